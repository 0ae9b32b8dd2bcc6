import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Context } from '../core/context.ts';
import { KeyfleetError } from '../core/errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
}

export interface CommandArgs {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  io: CliIo;
  json: boolean;
  /** Report progress on stderr (human mode only). */
  progress(message: string): void;
}

export interface CommandOutput {
  /** The --json document. */
  json: unknown;
  /**
   * What a person reads. Only read without --json: a listing that grows with the fleet makes
   * it a getter (`get text() { … }`) so --json does not build a table nobody sees.
   */
  text: string;
  /** Exit code when the command ran but failed in part (e.g. refresh with failures). */
  exitCode?: number;
}

export interface Command {
  /** e.g. ['instance', 'add'] */
  path: string[];
  usage: string;
  summary: string;
  /** More for `keyfleet COMMAND --help` than the one-line summary (e.g. a file format's rules), as text or lines. */
  help?: string | readonly string[];
  options?: OptionSpec;
  /** Positional arguments: [min, max] (max Infinity for lists). */
  positionals?: [number, number];
  run(ctx: Context, args: CommandArgs): Promise<CommandOutput>;
}

export function parseCommandArgs(cmd: Command, argv: string[]): { positionals: string[]; values: CommandArgs['values'] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...cmd.options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new KeyfleetError('BAD_INPUT', `${(e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}\nusage: keyfleet ${cmd.usage}`);
  }
  const [min, max] = cmd.positionals ?? [0, 0];
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    throw new KeyfleetError('BAD_INPUT', `wrong number of arguments\nusage: keyfleet ${cmd.usage}`);
  }
  return { positionals: parsed.positionals, values: parsed.values as CommandArgs['values'] };
}

/** Read one line (the secret) from standard input; never from an argument. */
export async function readSecretLine(stdin: NodeJS.ReadableStream, what = 'secret'): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    if (Buffer.concat(chunks).includes(0x0a)) break;
    if (Buffer.concat(chunks).length > 8192) break;
  }
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (line.length === 0) throw new KeyfleetError('BAD_INPUT', `--secret-stdin: no ${what} on standard input (expected one line)`);
  if (line.length > 4096) throw new KeyfleetError('BAD_INPUT', `--secret-stdin: the ${what} is longer than 4096 characters`);
  return line;
}

export function str(values: CommandArgs['values'], key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

export function requireStr(values: CommandArgs['values'], key: string): string {
  const v = str(values, key);
  if (v === undefined || v.trim() === '') throw new KeyfleetError('BAD_INPUT', `--${key} is required`);
  return v;
}

export function int(values: CommandArgs['values'], key: string, range: [number, number] = [0, Number.MAX_SAFE_INTEGER]): number | undefined {
  const v = str(values, key);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw new KeyfleetError('BAD_INPUT', `--${key} must be a whole number, got "${v}"`);
  const n = Number(v);
  if (n < range[0] || n > range[1]) throw new KeyfleetError('BAD_INPUT', `--${key} must be between ${range[0]} and ${range[1]}, got ${n}`);
  return n;
}

/** A plain-text table for human output. */
export function table(headers: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '—' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
