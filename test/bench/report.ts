/**
 * What a benchmark section hands back: tables of figures and the targets it checked. The
 * runner prints them and a summary; a missed target is reported, never an exit failure
 * (these are figures, not tests).
 */

export interface TargetCheck {
  name: string;
  /** The measured figure, as printed. */
  value: string;
  /** The target, as printed (e.g. "< 400 ms"). */
  target: string;
  met: boolean;
}

export interface SectionReport {
  /** Plain-text blocks (tables, notes), printed in order. */
  blocks: string[];
  targets: TargetCheck[];
}

export interface BenchOptions {
  /** Scratch space for stores; removed after the run. */
  tmp: string;
  /** The keyfleet.js to run (this checkout's unless --bin says otherwise). */
  bin: string;
  /** Refresh fleet sizes. */
  sizes: number[];
  latencyMs: number;
  /** Timed repetitions of each measurement (the median is reported). */
  runs: number;
  log(message: string): void;
}

export interface BenchSection {
  /** Short name for --only. */
  name: string;
  title: string;
  run(opts: BenchOptions): Promise<SectionReport>;
}

/** A plain-text table; numeric-looking cells are right-aligned. */
export function textTable(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => cells.every((r) => /^[-+]?[\d.,]+\s*[×%a-zA-Z]*$|^—$/.test(r[i] ?? '')));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function ms(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

export function mb(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(0)} MB`;
}

export function ratio(value: number): string {
  return `${value.toFixed(2)}×`;
}
