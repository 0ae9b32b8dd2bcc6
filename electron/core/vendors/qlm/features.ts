import { KeyfleetError } from '../../errors.ts';

/**
 * QLM features: numbered feature sets, each a bit mask of enabled features.
 * On the wire `0:3;1:1` = set 0 has features 1 and 2, set 1 has feature 1.
 */
export interface QlmFeature {
  set: number;
  mask: number;
}

/** Masks are 32-bit in QLM (an int per feature set). */
const MAX_MASK = 0x7fffffff;

export function validateFeatures(features: readonly QlmFeature[], field = 'features'): void {
  if (!Array.isArray(features)) throw new KeyfleetError('BAD_INPUT', `${field} must be a list of { set, mask }`);
  if (features.length === 0) throw new KeyfleetError('BAD_INPUT', `${field} is empty; give at least one { set, mask } (mask 0 clears a set)`);
  const seen = new Set<number>();
  features.forEach((f, i) => {
    if (!Number.isInteger(f?.set) || f.set < 0) {
      throw new KeyfleetError('BAD_INPUT', `${field}[${i}].set must be a whole number ≥ 0, got ${String(f?.set)}`);
    }
    if (!Number.isInteger(f.mask) || f.mask < 0 || f.mask > MAX_MASK) {
      throw new KeyfleetError('BAD_INPUT', `${field}[${i}].mask must be a whole number between 0 and ${MAX_MASK}, got ${String(f.mask)}`);
    }
    if (seen.has(f.set)) throw new KeyfleetError('BAD_INPUT', `${field} names feature set ${f.set} twice`);
    seen.add(f.set);
  });
}

export function serializeFeatures(features: readonly QlmFeature[]): string {
  validateFeatures(features);
  return features.map((f) => `${f.set}:${f.mask}`).join(';');
}

/**
 * Reads `0:1;1:2` (tolerates spaces, a trailing `;` and `,` separators). An empty text is
 * no features. Anything else malformed is a BAD_RESPONSE, since this reads server output.
 */
export function parseFeatures(text: string): QlmFeature[] {
  const out: QlmFeature[] = [];
  for (const part of text.split(/[;,]/)) {
    const item = part.trim();
    if (!item) continue;
    const m = /^(\d+)\s*:\s*(\d+)$/.exec(item);
    if (!m) throw new KeyfleetError('BAD_RESPONSE', `QLM features "${text.slice(0, 80)}" are not in the form set:mask;set:mask`);
    out.push({ set: Number(m[1]), mask: Number(m[2]) });
  }
  return out;
}

/** The enabled features of one mask as their bit values: 5 → [1, 4]. */
export function featureBitsToList(mask: number): number[] {
  if (!Number.isInteger(mask) || mask < 0 || mask > MAX_MASK) {
    throw new KeyfleetError('BAD_INPUT', `feature mask must be a whole number between 0 and ${MAX_MASK}, got ${String(mask)}`);
  }
  const bits: number[] = [];
  for (let bit = 1; bit <= mask; bit *= 2) if (mask & bit) bits.push(bit);
  return bits;
}
