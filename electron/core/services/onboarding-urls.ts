import { INSTANCE_KINDS, type InstanceKind } from '../store/schema.ts';
import { instanceDrivers } from '../vendors/registry.ts';

/**
 * Pasted URLs, one instance a line, read into instance rows. The kind is inferred where the URL
 * shows it; a line can also name it (`webitel https://…` or `webitel,https://…`).
 */
export interface UrlRow {
  line: number;
  kind: InstanceKind;
  url: string;
  name: string;
}

export interface UrlLineError {
  line: number;
  message: string;
}

const KIND_WORDS = new Map<string, InstanceKind>(
  INSTANCE_KINDS.flatMap((k) => [k, ...(instanceDrivers[k].kindWords ?? [])].map((word) => [word, k] as [string, InstanceKind])),
);

/**
 * What a URL says of the software behind it: each kind's driver recognizes its own URLs
 * (`recognizesUrl`), asked in the order of INSTANCE_KINDS. Anything else is left for the user to name.
 */
export function inferInstanceKind(url: URL): InstanceKind | null {
  return INSTANCE_KINDS.find((k) => instanceDrivers[k].recognizesUrl(url)) ?? null;
}

/** A name from the host, made unique against `taken` (lower-cased names) by adding the port, then the path, then a number. */
export function nameFromUrl(url: URL, taken: ReadonlySet<string>): string {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const withPort = url.port ? `${host}:${url.port}` : host;
  const path = url.pathname.replace(/\/+$/, '');
  const candidates = [host, withPort, path ? `${withPort}${path}` : withPort];
  for (const c of candidates) if (!taken.has(c.toLowerCase())) return c;
  const base = candidates[candidates.length - 1]!;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`.toLowerCase())) return `${base}-${n}`;
}

function parseUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * Every line read, or every bad line named: blank lines and lines starting with # are skipped.
 * Names are unique against `takenNames` (the instances already stored, lower-cased) and each other.
 */
export function parseInstanceUrls(text: string, takenNames: ReadonlySet<string>): { rows: UrlRow[]; errors: UrlLineError[] } {
  const rows: UrlRow[] = [];
  const errors: UrlLineError[] = [];
  const taken = new Set(takenNames);
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const named = /^([A-Za-z]+)\s*[,;\s]\s*(\S+)$/.exec(trimmed);
    let kindWord: string | undefined;
    let urlText = trimmed;
    if (named && !/^[a-z]+:\/\//i.test(trimmed)) {
      kindWord = named[1]!.toLowerCase();
      urlText = named[2]!;
    }
    const url = parseUrl(urlText);
    if (!url) {
      errors.push({ line, message: `"${urlText.slice(0, 120)}" is not an http:// or https:// URL` });
      return;
    }
    if (url.username || url.password) {
      errors.push({ line, message: `${url.host}: the URL holds a user or password; remove it and give the password once with the shared secret` });
      return;
    }
    let kind: InstanceKind | null;
    if (kindWord !== undefined) {
      kind = KIND_WORDS.get(kindWord) ?? null;
      if (!kind) {
        errors.push({ line, message: `"${kindWord}" is not a kind; write one of ${INSTANCE_KINDS.join(', ')} before the URL` });
        return;
      }
    } else kind = inferInstanceKind(url);
    if (!kind) {
      errors.push({ line, message: `cannot tell what runs at ${url.href}: write the kind before it, e.g. "${INSTANCE_KINDS[0]} ${url.href}" (or ${INSTANCE_KINDS.slice(1).join(', ')})` });
      return;
    }
    const name = nameFromUrl(url, taken);
    taken.add(name.toLowerCase());
    rows.push({ line, kind, url: urlText, name });
  });
  return { rows, errors };
}
