import type { Context } from '../context.ts';
import type { KeySource } from '../store/schema.ts';
import { newId } from '../ids.ts';
import { KeyfleetError } from '../errors.ts';
import { normalizeFingerprint } from '../net/http.ts';
import { assertUniqueName, findByRef, replaceById } from './lookup.ts';
import { checkUrl } from './instances.ts';
import { normalizeQlmBaseUrl } from '../vendors/qlm/client.ts';

export interface SourceInput {
  name: string;
  kind: KeySource['kind'];
  url: string;
  email?: string | undefined;
  vendor?: string | undefined;
  user?: string | undefined;
  secret?: string | undefined;
  productDefaults?: { productId: number; major: number; minor: number } | undefined;
  dateFormat?: string | undefined;
  pinSha256?: string | undefined;
}

export function findSource(ctx: Context, ref: string | undefined, kind: KeySource['kind']): KeySource {
  const ofKind = ctx.store.data.sources.filter((s) => s.kind === kind);
  if (ref) {
    const s = findByRef(ctx.store.data.sources, ref, 'key source');
    if (s.kind !== kind) throw new KeyfleetError('BAD_INPUT', `key source "${s.name}" is a ${s.kind} account, not ${kind}`);
    return s;
  }
  if (ofKind.length === 1) return ofKind[0]!;
  if (ofKind.length === 0) throw new KeyfleetError('NOT_FOUND', `no ${kind} key source yet; add one first`);
  throw new KeyfleetError('BAD_INPUT', `there are ${ofKind.length} ${kind} key sources; name one (${ofKind.map((s) => s.name).join(', ')})`);
}

export async function addSource(ctx: Context, input: SourceInput): Promise<KeySource> {
  assertUniqueName(ctx.store.data.sources, input.name, 'key source');
  const url = checkUrl(input.url);
  const source: KeySource = { id: newId('src'), name: input.name.trim(), kind: input.kind, url: input.kind === 'qlm' ? normalizeQlmBaseUrl(url) : url, createdAt: ctx.now().toISOString() };
  if (input.email) source.email = input.email.trim();
  if (input.kind === 'qlm') {
    if (!input.vendor?.trim()) throw new KeyfleetError('BAD_INPUT', 'vendor: a QLM key source needs is_vendor (--vendor)');
    if (!input.user?.trim()) throw new KeyfleetError('BAD_INPUT', 'user: a QLM key source needs is_user (--user)');
    if (!input.secret) throw new KeyfleetError('BAD_INPUT', 'secret: a QLM key source needs is_pwd (--secret-stdin)');
    source.vendor = input.vendor.trim();
    source.user = input.user.trim();
    source.hasSecret = true;
    if (input.productDefaults) source.productDefaults = input.productDefaults;
    if (input.dateFormat) source.dateFormat = input.dateFormat;
  } else if (input.secret) {
    throw new KeyfleetError('BAD_INPUT', 'secret: a Loway key server account has no password');
  }
  if (input.pinSha256) source.pinSha256 = normalizeFingerprint(input.pinSha256);
  if (input.secret) await ctx.vault.set({ type: 'source', id: source.id }, input.secret);
  ctx.store.update((d) => ({ ...d, sources: [...d.sources, source] }));
  ctx.journal.append({ action: 'source.add', target: source.name, sourceId: source.id, outcome: 'ok', summary: `${source.kind} at ${source.url}` });
  return source;
}

export async function updateSource(ctx: Context, ref: string, patch: Partial<Omit<SourceInput, 'kind'>>): Promise<KeySource> {
  const current = findByRef(ctx.store.data.sources, ref, 'key source');
  if (patch.name !== undefined) assertUniqueName(ctx.store.data.sources, patch.name, 'key source', current.id);
  const next: KeySource = { ...current };
  if (patch.name !== undefined) next.name = patch.name.trim();
  if (patch.url !== undefined) next.url = next.kind === 'qlm' ? normalizeQlmBaseUrl(checkUrl(patch.url)) : checkUrl(patch.url);
  if (patch.email !== undefined) next.email = patch.email.trim() || undefined;
  if (patch.vendor !== undefined) next.vendor = patch.vendor.trim();
  if (patch.user !== undefined) next.user = patch.user.trim();
  if (patch.productDefaults !== undefined) next.productDefaults = patch.productDefaults;
  if (patch.dateFormat !== undefined) next.dateFormat = patch.dateFormat;
  if (patch.pinSha256 !== undefined) next.pinSha256 = patch.pinSha256 ? normalizeFingerprint(patch.pinSha256) : undefined;
  if (patch.secret !== undefined) {
    await ctx.vault.set({ type: 'source', id: current.id }, patch.secret);
    next.hasSecret = true;
  }
  ctx.store.update((d) => ({ ...d, sources: replaceById(d.sources, next) }));
  ctx.journal.append({ action: 'source.update', target: next.name, sourceId: next.id, outcome: 'ok' });
  return next;
}

export async function removeSource(ctx: Context, ref: string): Promise<void> {
  const source = findByRef(ctx.store.data.sources, ref, 'key source');
  ctx.store.update((d) => ({ ...d, sources: d.sources.filter((s) => s.id !== source.id) }));
  if (source.hasSecret) await ctx.vault.delete({ type: 'source', id: source.id });
  ctx.journal.append({ action: 'source.remove', target: source.name, sourceId: source.id, outcome: 'ok' });
}
