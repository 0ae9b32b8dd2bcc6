// Long by design: one wire client; every XML-RPC call of QueueMetrics shares the session, the restart wait and the error mapping.
import { PassThrough } from 'node:stream';
import { abortableSleep } from '../../net/sleep.ts';
import { KeyfleetError } from '../../errors.ts';
import { excerpt } from '../../net/http.ts';
import type { HttpTarget } from '../../net/http-target.ts';
import { VendorHttp } from '../../net/kit/vendor-http.ts';
import { decodePlainXmlRpcResponse, decodeStringTablesResponse, encodePlainMethodCall } from '../../net/xmlrpc-plain.ts';
import type { CallOptions, VendorEndpoint } from '../types.ts';
import { queueMetricsXmlRpcEndpoint, queueMetricsXmlRpcUrl } from './url.ts';
import { QM_KEY_MAX_LENGTH, QM_KEY_MIN_LENGTH } from './key-length.ts';
import type { XmlRpcFault } from './xmlrpc-package.ts';

export { queueMetricsXmlRpcUrl };

/**
 * A QueueMetrics instance, spoken to over its XML-RPC interface (`<webapp>/xmlrpc.do`).
 * QM.setActivationKey changes or reads the instance's license key; setting one restarts
 * QueueMetrics, so installation is only done when the key read back after the restart matches.
 *
 * We use only the xmlrpc package's (de)serializer, over our own HttpTransport, so deadlines,
 * size caps, TLS pinning and cancellation are the same as everywhere else. We never send a
 * Date (the serializer would write local time without an offset). Protocol: docs/vendors/queuemetrics.md.
 */

let xmlrpcPackage: Promise<typeof import('./xmlrpc-package.ts')> | undefined;

/** The xmlrpc package, loaded on first need: most calls and answers go through the plain codec. */
function loadXmlRpcPackage(): Promise<typeof import('./xmlrpc-package.ts')> {
  return (xmlrpcPackage ??= import('./xmlrpc-package.ts'));
}

export type QmBlocks = Record<string, string[][]>;

export interface QmInstallProgress {
  phase: 'installing' | 'waiting-restart' | 'verifying' | 'verified';
  attempt: number;
  elapsedMs: number;
  message: string;
}

export interface QmInstallOptions {
  /** Overall bound for sending the key and confirming it (default 120 s). */
  timeoutMs?: number;
  onProgress?: (p: QmInstallProgress) => void;
  signal?: AbortSignal;
}

export interface QmInstallResult {
  verified: boolean;
  /** Read-back attempts made. */
  attempts: number;
  elapsedMs: number;
}

export type QueueMetricsClientOptions = VendorEndpoint & {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => Date;
};

export const QM_DEFAULT_TIMEOUT_MS = 20_000;
export const QM_DEFAULT_MAX_BYTES = 1024 * 1024;
export const QM_INSTALL_TIMEOUT_MS = 120_000;
export const QM_POLL_FIRST_DELAY_MS = 500;
export const QM_POLL_GROWTH = 1.5;
export const QM_POLL_MAX_DELAY_MS = 5_000;
/**
 * If the instance keeps answering its old key and we never saw it go down, it may have
 * restarted between two polls and kept the old key, or not restarted at all. After this long
 * (or half the overall bound, if shorter) we stop waiting and say so.
 */
export const QM_RESTART_GRACE_MS = 15_000;
export { QM_KEY_MIN_LENGTH, QM_KEY_MAX_LENGTH };

const METHOD = 'QM.setActivationKey';
const XMLRPC_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml' });

const KEYS_HINT =
  "the QueueMetrics user needs the security keys ROBOT and KEYUPDATE (QueueMetrics ships a 'keyupdater' user for this, disabled by default: enable it and change its password)";

/** "5231317C…307C": enough to recognise a key, not enough to use it. */
export function maskKey(key: string): string {
  if (key.length <= 12) return key.length <= 4 ? '…' : `…${key.slice(-4)}`;
  return `${key.slice(0, 8)}…${key.slice(-4)}`;
}

function cellText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (v === null || v === undefined) return '';
  return JSON.stringify(v);
}

function toRows(v: unknown): string[][] {
  if (Array.isArray(v)) {
    // Plain loops: every answer of a bulk refresh passes here.
    let allRows = true;
    for (const r of v) if (!Array.isArray(r)) allRows = false;
    const out: string[][] = [];
    if (allRows) {
      for (const r of v as unknown[][]) {
        const row: string[] = [];
        for (const c of r) row.push(cellText(c));
        out.push(row);
      }
      return out;
    }
    const row: string[] = [];
    for (const c of v) row.push(Array.isArray(c) ? c.map(cellText).join(' ') : cellText(c));
    return [row];
  }
  if (v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v)) {
    const out: string[][] = [];
    for (const k in v) if (Object.hasOwn(v, k)) out.push([k, cellText((v as Record<string, unknown>)[k])]);
    return out;
  }
  return [[cellText(v)]];
}

/**
 * Inferred: QueueMetrics answers with a struct of named blocks, each a 2-D array of strings.
 * Anything else is folded into that shape: a bare array or scalar becomes the `result` block,
 * a flat row becomes one row, a struct-valued block becomes [name, value] rows.
 */
export function qmBlocks(value: unknown): QmBlocks {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    const out: QmBlocks = {};
    for (const name in value) if (Object.hasOwn(value, name)) out[name] = toRows((value as Record<string, unknown>)[name]);
    return out;
  }
  return { result: toRows(value) };
}

function isKeyShaped(s: string): boolean {
  return s.length >= QM_KEY_MIN_LENGTH && s.length <= QM_KEY_MAX_LENGTH && /^[\x21-\x7e]+$/.test(s);
}

/**
 * Inferred: where the current license key sits in a QM.setActivationKey answer. We look in the
 * `result` block (every block when there is none): a cell on a row labelled like a key
 * ("Key", "License", "Licenza"…) wins; otherwise the longest key-shaped string (one line of
 * 20–400 printable characters, no spaces). Null when nothing key-shaped is there.
 */
export function findKeyInResponse(blocks: unknown): string | null {
  return keyInBlocks(qmBlocks(blocks));
}

const KEY_LABEL = /key|licen[cs]e|licenza/i;

/**
 * The longest key-shaped cell, trimmed (the first of equal length), of every row or of the
 * labelled rows only (their cells after the label). Plain loops: every answer of a bulk refresh
 * passes here, and the arrays a map/filter/sort chain would build are most of its cost.
 */
function longestKeyShaped(rows: readonly string[][], labelledOnly: boolean): string | null {
  let best: string | null = null;
  for (const row of rows) {
    if (labelledOnly && !KEY_LABEL.test(row[0] ?? '')) continue;
    for (let i = labelledOnly ? 1 : 0; i < row.length; i++) {
      const cell = row[i]!.trim();
      if ((best === null || cell.length > best.length) && isKeyShaped(cell)) best = cell;
    }
  }
  return best;
}

/** findKeyInResponse for an answer already in QmBlocks shape (every call's answer is). */
function keyInBlocks(normalized: QmBlocks): string | null {
  const rows = normalized.result ?? Object.values(normalized).flat();
  return longestKeyShaped(rows, true) ?? longestKeyShaped(rows, false);
}

/**
 * Inferred: how QueueMetrics words a refused call. Credentials and missing security keys
 * come back as faults; we recognise them by their words and add what the user must do.
 */
export function classifyQmFault(faultString: string): { code: 'AUTH' | 'DENIED' | 'VENDOR_REFUSED'; hint: string | null } {
  // Key names are upper-case in QueueMetrics; matched case-sensitively so that a user called
  // "keyupdater" or "robot" in an ordinary login failure does not look like a missing key.
  if (/\b(KEYUPDATE|ROBOT)\b/.test(faultString) || /security key/i.test(faultString)) {
    return { code: 'DENIED', hint: KEYS_HINT };
  }
  const s = faultString.toLowerCase();
  if (/login|password|passwd|authenticat|credential|disabled|unknown user|no such user/.test(s)) return { code: 'AUTH', hint: KEYS_HINT };
  if (/not allowed|permission|privilege|forbidden|denied|unauthori[sz]ed/.test(s)) return { code: 'DENIED', hint: KEYS_HINT };
  return { code: 'VENDOR_REFUSED', hint: null };
}

function validateKey(key: string): string {
  const k = key.trim();
  if (k === '') throw new KeyfleetError('BAD_INPUT', 'license key is empty', { field: 'key' });
  if (/[\r\n]/.test(k)) throw new KeyfleetError('BAD_INPUT', 'license key must be written on one line', { field: 'key' });
  if (/\s/.test(k)) throw new KeyfleetError('BAD_INPUT', 'license key contains spaces', { field: 'key' });
  if (!/^[\x21-\x7e]+$/.test(k)) throw new KeyfleetError('BAD_INPUT', 'license key contains characters a QueueMetrics key never has', { field: 'key' });
  if (k.length < QM_KEY_MIN_LENGTH || k.length > QM_KEY_MAX_LENGTH) {
    throw new KeyfleetError('BAD_INPUT', `license key is ${k.length} characters long; expected ${QM_KEY_MIN_LENGTH}–${QM_KEY_MAX_LENGTH}`, { field: 'key' });
  }
  return k;
}


/** An answer the plain decoder leaves alone (a fault, a date, CDATA…), read by the xmlrpc package. */
async function deserialize(body: Buffer): Promise<{ fault: XmlRpcFault } | { value: unknown }> {
  const { Deserializer } = await loadXmlRpcPackage();
  return new Promise((resolve, reject) => {
    let settled = false;
    const stream = new PassThrough();
    try {
      new Deserializer('utf8').deserializeMethodResponse(stream, (err, value) => {
        if (settled) return;
        settled = true;
        if (err && 'faultCode' in err && err.faultCode !== undefined) resolve({ fault: err });
        else if (err) reject(err);
        else resolve({ value });
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    stream.end(body);
  });
}

/** Errors during the restart window that just mean "not back yet". */
function isRestartNoise(e: unknown): boolean {
  return e instanceof KeyfleetError && (e.code === 'NETWORK' || e.code === 'TIMEOUT' || e.code === 'HTTP_STATUS' || e.code === 'BAD_RESPONSE');
}

/** A failed send that may still have reached QueueMetrics (as opposed to a refused connection). */
function mayHaveBeenDelivered(e: unknown): boolean {
  if (!(e instanceof KeyfleetError)) return false;
  if (e.code === 'TIMEOUT') return true;
  return e.code === 'NETWORK' && !/refused|cannot resolve|unreachable/.test(e.message);
}

const currentTime = () => new Date();

export class QueueMetricsClient {
  readonly url: string;
  readonly host: string;
  readonly #target: HttpTarget;
  readonly #http: VendorHttp;
  readonly #login: string | undefined;
  readonly #secret: string | undefined;
  readonly #timeoutMs: number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #now: () => Date;

  constructor(endpoint: QueueMetricsClientOptions) {
    ({ url: this.url, target: this.#target } = queueMetricsXmlRpcEndpoint(endpoint.baseUrl));
    this.host = this.#target.host;
    this.#login = endpoint.user;
    this.#secret = endpoint.secret;
    this.#timeoutMs = endpoint.timeoutMs ?? QM_DEFAULT_TIMEOUT_MS;
    this.#http = new VendorHttp({
      transport: endpoint.http,
      label: `QueueMetrics at ${this.host}`,
      timeoutMs: this.#timeoutMs,
      maxBytes: endpoint.maxBytes ?? QM_DEFAULT_MAX_BYTES,
      pinSha256: endpoint.pinSha256,
      secrets: [endpoint.secret],
    });
    this.#sleep = endpoint.sleep ?? abortableSleep;
    this.#now = endpoint.now ?? currentTime;
  }

  /** The key the instance runs with now (an empty newKey only queries). */
  async readKey(opts: CallOptions = {}): Promise<{ key: string | null; blocks: QmBlocks }> {
    const blocks = await this.#call('', opts.signal, this.#timeoutMs);
    return { key: keyInBlocks(blocks), blocks };
  }

  /** Send a new key. QueueMetrics restarts afterwards; use installAndVerify to know it took. */
  async setKey(key: string, opts: CallOptions = {}): Promise<void> {
    await this.#call(validateKey(key), opts.signal, this.#timeoutMs);
  }

  /**
   * Set the key, wait out QueueMetrics' automatic restart, and read the key back until it is
   * the one installed. Refused connections, 5xx and timeouts during the restart are expected.
   */
  async installAndVerify(key: string, opts: QmInstallOptions = {}): Promise<QmInstallResult> {
    const k = validateKey(key);
    const timeoutMs = opts.timeoutMs ?? QM_INSTALL_TIMEOUT_MS;
    const signal = opts.signal;
    const start = this.#now().getTime();
    const deadline = start + timeoutMs;
    const elapsed = () => this.#now().getTime() - start;
    const remaining = () => deadline - this.#now().getTime();
    const report = (phase: QmInstallProgress['phase'], attempt: number, message: string) =>
      opts.onProgress?.({ phase, attempt, elapsedMs: elapsed(), message });

    report('installing', 1, `sending key ${maskKey(k)} to ${this.host}`);
    let setConfirmed = false;
    let setConfirmedAt = 0;
    const graceMs = Math.min(QM_RESTART_GRACE_MS, timeoutMs / 2);
    let lastError: KeyfleetError | undefined;
    try {
      await this.#call(k, signal, Math.min(this.#timeoutMs, Math.max(1, remaining())));
      setConfirmed = true;
      setConfirmedAt = elapsed();
    } catch (e) {
      // Without an answer the key may or may not have been taken; reading it back tells.
      if (!mayHaveBeenDelivered(e)) throw e;
      lastError = e as KeyfleetError;
    }
    report('waiting-restart', 0, `${this.host} is restarting to load the new key`);

    let attempt = 0;
    let delay = QM_POLL_FIRST_DELAY_MS;
    let restartSeen = false;
    let lastKey: string | null | undefined;
    for (;;) {
      if (remaining() <= 0) break;
      await this.#sleep(Math.min(delay, remaining()), signal).catch(() => {
        throw new KeyfleetError('CANCELLED', `installing the key on ${this.host} was cancelled; the key may have been sent`);
      });
      delay = Math.min(delay * QM_POLL_GROWTH, QM_POLL_MAX_DELAY_MS);
      if (remaining() <= 0) break;
      attempt++;
      report('verifying', attempt, `reading the key back from ${this.host}`);
      let current: string | null;
      try {
        current = keyInBlocks(await this.#call('', signal, Math.min(this.#timeoutMs, Math.max(1, remaining()))));
      } catch (e) {
        if (!isRestartNoise(e)) throw e;
        restartSeen = true;
        lastError = e as KeyfleetError;
        report('waiting-restart', attempt, `${this.host} is not back yet (${lastError.message})`);
        continue;
      }
      if (current === k) {
        report('verified', attempt, `${this.host} runs with key ${maskKey(k)}`);
        return { verified: true, attempts: attempt, elapsedMs: elapsed() };
      }
      lastKey = current;
      if (!setConfirmed) {
        // The first send's answer was lost and the key did not take: send again (setting the
        // same key twice is harmless).
        report('installing', attempt + 1, `sending key ${maskKey(k)} to ${this.host} again`);
        try {
          await this.#call(k, signal, Math.min(this.#timeoutMs, Math.max(1, remaining())));
          setConfirmed = true;
          setConfirmedAt = elapsed();
          restartSeen = false;
        } catch (e) {
          if (!isRestartNoise(e)) throw e;
          lastError = e as KeyfleetError;
        }
        continue;
      }
      const kept = current ? maskKey(current) : '(none)';
      if (restartSeen) {
        throw new KeyfleetError(
          'VENDOR_REFUSED',
          `${this.host} restarted but kept key ${kept} instead of ${maskKey(k)}; QueueMetrics did not accept the new key`,
          { installedKey: current ? maskKey(current) : null, attempts: attempt },
        );
      }
      if (elapsed() - setConfirmedAt >= graceMs) {
        throw new KeyfleetError(
          'VENDOR_REFUSED',
          `${this.host} accepted key ${maskKey(k)} but still runs with key ${kept} ${Math.round(graceMs / 100) / 10} s later; QueueMetrics did not take the new key`,
          { installedKey: current ? maskKey(current) : null, attempts: attempt },
        );
      }
      report('waiting-restart', attempt, `${this.host} has not restarted yet`);
    }
    const last =
      lastKey !== undefined
        ? `it still reports key ${lastKey ? maskKey(lastKey) : '(none)'}`
        : lastError
          ? `last error: ${lastError.message}`
          : 'no answer yet';
    throw new KeyfleetError(
      'TIMEOUT',
      `key ${maskKey(k)} was sent to ${this.host} but could not be confirmed within ${Math.round(timeoutMs / 100) / 10} s (${last})`,
      { attempts: attempt, elapsedMs: elapsed() },
    );
  }

  /** One QM.setActivationKey call; newKey '' queries. Returns the answer as blocks. */
  async #call(newKey: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<QmBlocks> {
    if (!this.#login) {
      throw new KeyfleetError('BAD_INPUT', `no QueueMetrics login set for ${this.host} (a user holding ROBOT and KEYUPDATE, e.g. keyupdater)`, { field: 'user' });
    }
    if (this.#secret === undefined) throw new KeyfleetError('SECRET_MISSING', `no password stored for QueueMetrics user ${this.#login} on ${this.host}`);
    const params = [this.#login, this.#secret, newKey];
    let body = encodePlainMethodCall(METHOD, params);
    if (body === null) {
      const { serializeMethodCall } = await loadXmlRpcPackage();
      try {
        body = serializeMethodCall(METHOD, params);
      } catch {
        // The serializer's message quotes the offending string, which may be the password.
        throw new KeyfleetError('BAD_INPUT', 'the login, password or key contains characters that cannot be sent over XML-RPC');
      }
    }
    const res = await this.#http.send({
      method: 'POST',
      url: this.url,
      target: this.#target,
      headers: XMLRPC_HEADERS,
      body,
      timeoutMs,
      // An empty newKey only queries the key; setting one restarts QueueMetrics.
      idempotent: newKey === '',
      signal,
    });
    // Status first: the xmlrpc parser would call a 401 HTML page "Unknown XML-RPC tag 'TITLE'".
    if (res.status !== 200) {
      throw this.#http.statusError(res, METHOD, {
        auth: `${this.host} answered HTTP 401 (authentication required by the web server in front of QueueMetrics; QueueMetrics itself takes the login as XML-RPC parameters)`,
        denied: `${this.host} answered HTTP 403 (forbidden) for ${this.url}`,
        wrongUrl: () => `no XML-RPC endpoint at ${this.url} (HTTP 404); check the QueueMetrics URL`,
      });
    }
    const text = this.#http.text(res);
    // QueueMetrics' usual answer, a struct of tables of strings, is already in the blocks' shape.
    const tables = decodeStringTablesResponse(text);
    if (tables) return tables.value;
    let parsed: { fault: XmlRpcFault } | { value: unknown };
    try {
      // Most answers are plain and decoded here, without a trip through the microtask queue.
      parsed = decodePlainXmlRpcResponse(text) ?? (await deserialize(res.body));
    } catch (e) {
      // The parser's own message spans lines ("Unexpected end\nLine: 1\nColumn: 490…"): one line here.
      const why = excerpt(this.#http.redact(e instanceof Error ? e.message : String(e)), 120);
      throw new KeyfleetError('BAD_RESPONSE', `${this.url} did not answer with XML-RPC (${why})${text.trim() ? `: ${excerpt(this.#http.redact(text))}` : ''}`);
    }
    if ('fault' in parsed) throw this.#faultError(parsed.fault);
    return qmBlocks(parsed.value);
  }

  #faultError(fault: XmlRpcFault): KeyfleetError {
    const faultString = excerpt(this.#http.redact(cellText(fault.faultString ?? fault.message)), 300);
    const faultCode = typeof fault.faultCode === 'number' || typeof fault.faultCode === 'string' ? fault.faultCode : null;
    const { code, hint } = classifyQmFault(faultString);
    const who = this.#login ? ` (user ${this.#login})` : '';
    const message =
      code === 'VENDOR_REFUSED'
        ? `QueueMetrics at ${this.host} refused: ${faultString}`
        : `QueueMetrics at ${this.host} refused the call${who}: ${faultString}; ${hint}`;
    return new KeyfleetError(code, message, { faultCode, faultString });
  }
}
