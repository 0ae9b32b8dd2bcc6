// Long by design: one wire client; every call of the iSymphony REST API shares Basic auth, the bind redirect, the response schemas and the error mapping.
import { z } from 'zod';
import { KeyfleetError } from '../../errors.ts';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, type HttpResponse, excerpt } from '../../net/http.ts';
import { basicCredential } from '../../net/kit/redact.ts';
import { VendorHttp, type VendorRequest } from '../../net/kit/vendor-http.ts';
import { parseVendorUrl } from '../../net/kit/vendor-url.ts';
import type { CallOptions, IsoDate, VendorEndpoint } from '../types.ts';
import { isEmailAddress } from '../../email.ts';

/**
 * Client for the iSymphony core-server configuration REST API (docs/vendors/isymphony.md): list the
 * core servers, read and activate their license. Instances are keyed by the configuration
 * slug (Live-API UUIDs change on restart).
 */

export const ISYMPHONY_DEFAULT_PORT = 58080;
export const ISYMPHONY_DEFAULT_USER = 'manager';
/** The core server forgets a pending bind authorization this long after answering 307. */
export const ISYMPHONY_BIND_WINDOW_MS = 5_000;
const REST_ROOT_PATH = '/communication_manager/rest/config/server/coreServers';
const MAX_SERIAL_LENGTH = 512;
const MAX_LICENSED_TO_LENGTH = 200;

export interface ISymphonyCoreServer {
  id: string;
  slug: string;
  name: string;
}

export interface ISymphonyLicense {
  id: string;
  serial: string;
  type: string;
  licensedTo: string | null;
  /** null = perpetual (the server sends expirationDate null). */
  expiresAt: IsoDate | null;
  maintenanceExpiresAt: IsoDate | null;
  /** null = unlimited (the server sends -1). */
  clientConnections: number | null;
  /** null = unlimited (the server sends -1). */
  configuredUsers: number | null;
  /** The license JSON as the server sent it (it holds no secret). */
  raw: Record<string, unknown>;
}

export interface ISymphonyModuleLicense {
  id: string;
  moduleId: string;
  properties: Record<string, unknown>;
}

export interface ISymphonyBindDetails {
  licensedTo: string;
  email: string;
}

export type ISymphonyBindDecision = 'continue' | 'cancel';

export interface ISymphonyActivateOptions extends CallOptions {
  /** Asked once the server requests a bind authorization; default 'continue'. Answer quickly: the bind window is 5 s. */
  onBindRequested?: (info: { location: string }) => Promise<ISymphonyBindDecision> | ISymphonyBindDecision;
}

export interface ISymphonyActivation {
  outcome: 'activated' | 'bound' | 'bind-cancelled';
  license: ISymphonyLicense;
}

export interface ISymphonyConnectionTest {
  coreServers: ISymphonyCoreServer[];
  certSha256?: string;
}

type PostOutcome = 'success' | 'bind-requested' | 'auth' | 'denied' | 'not-found' | 'unexpected';

/**
 * Every iSymphony wire detail that i9's docs leave open ("inferred" in docs/vendors/isymphony.md).
 * Correct them here and nowhere else.
 */
export function isymphonyInferredWire() {
  return {
    /**
     * The docs' curl posts `-d '<serial>'` with Content-Type application/json: the bare serial,
     * not a JSON-quoted string (JAX-RS hands a String parameter the raw body either way).
     */
    activationRequest(serial: string): { body: string; contentType: string } {
      return { body: serial, contentType: 'application/json' };
    },
    /** What the status of a POST to …/license/activate or …/license/bind/{serial} means. */
    postOutcome(status: number): PostOutcome {
      if (status === 200 || status === 201 || status === 204) return 'success';
      // 307 is documented; 308 is the same request-preserving redirect and is read the same way.
      if (status === 307 || status === 308) return 'bind-requested';
      if (status === 401) return 'auth';
      if (status === 403) return 'denied';
      if (status === 404) return 'not-found';
      return 'unexpected';
    },
    /** A 403 to a bind means "too late" when the server says so, or when our own clock says the window passed. */
    isLateBindRefusal(serverText: string, elapsedMs: number): boolean {
      return elapsedMs >= ISYMPHONY_BIND_WINDOW_MS || /timed?[\s-]*out|expired/i.test(serverText);
    },
    /** Path of one module license's properties, relative to …/license/moduleLicenses. */
    moduleLicensePropertiesPath(moduleLicenseId: string): string {
      return `/${encodeURIComponent(moduleLicenseId)}/properties`;
    },
    /** Properties arrive as a JSON object, or as a list of {name|key|property, value}; null = neither. */
    moduleLicenseProperties(json: unknown): Record<string, unknown> | null {
      if (json === null) return {};
      if (typeof json === 'object' && !Array.isArray(json)) return { ...(json as Record<string, unknown>) };
      if (!Array.isArray(json)) return null;
      const out: Record<string, unknown> = {};
      for (const entry of json) {
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
        const e = entry as Record<string, unknown>;
        const name = e.name ?? e.key ?? e.property;
        if (typeof name !== 'string') return null;
        out[name] = e.value ?? null;
      }
      return out;
    },
  };
}

const wire = isymphonyInferredWire();

const coreServerSchema = z.looseObject({ id: z.string(), slug: z.string(), name: z.string() });
const coreServerListSchema = z.array(coreServerSchema);
const msTimestamp = z.number().int().min(0).max(253_402_300_799_999); // up to 9999-12-31
const limit = z.number().int().min(-1);
// Documented shape; nullable fields are also accepted when absent (a serializer may omit nulls).
const licenseSchema = z.looseObject({
  id: z.string(),
  serial: z.string(),
  type: z.string(),
  licensedTo: z.string().nullish(),
  expirationDate: msTimestamp.nullish(),
  maintenanceExpirationDate: msTimestamp.nullish(),
  clientConnections: limit.nullish(),
  configuredUsers: limit.nullish(),
});
const moduleLicenseListSchema = z.array(z.looseObject({ id: z.string(), moduleId: z.string() }));

function msToDate(ms: number | null | undefined): IsoDate | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString().slice(0, 10);
}

function limitOrUnlimited(n: number | null | undefined): number | null {
  return n === null || n === undefined || n === -1 ? null : n;
}

function toLicense(json: z.infer<typeof licenseSchema>): ISymphonyLicense {
  return {
    id: json.id,
    serial: json.serial,
    type: json.type,
    licensedTo: json.licensedTo ?? null,
    expiresAt: msToDate(json.expirationDate),
    maintenanceExpiresAt: msToDate(json.maintenanceExpirationDate),
    clientConnections: limitOrUnlimited(json.clientConnections),
    configuredUsers: limitOrUnlimited(json.configuredUsers),
    raw: { ...json },
  };
}

/** The REST root for a base URL as a person types it ("pbx", "https://pbx:58080", "https://proxy/isym", or a URL already under /communication_manager). */
export function isymphonyRestRoot(baseUrl: string): string {
  const { url, path } = parseVendorUrl(baseUrl, {
    name: 'iSymphony base URL',
    example: 'https://pbx:58080',
    schemeless: true,
    // Only a bare host gets iSymphony's own port; a path means a reverse proxy on the scheme's port.
    defaultPort: { port: ISYMPHONY_DEFAULT_PORT, unless: 'path' },
    query: 'refuse',
    credentialsBelong: 'the password belongs in the keychain',
  });
  const at = url.pathname.indexOf('/communication_manager');
  const prefix = at >= 0 ? url.pathname.slice(0, at) : path;
  return `${url.origin}${prefix}${REST_ROOT_PATH}`;
}

function checkSerial(serial: string): string {
  if (typeof serial !== 'string') throw new KeyfleetError('BAD_INPUT', 'serial must be text');
  const s = serial.trim();
  if (!s) throw new KeyfleetError('BAD_INPUT', 'serial is empty');
  if (/[\u0000-\u001f\u007f]/.test(s)) throw new KeyfleetError('BAD_INPUT', 'serial must be one line without control characters');
  if (s.length > MAX_SERIAL_LENGTH) throw new KeyfleetError('BAD_INPUT', `serial is ${s.length} characters long, more than ${MAX_SERIAL_LENGTH}`);
  return s;
}

function checkBind(bind: ISymphonyBindDetails): ISymphonyBindDetails {
  const licensedTo = typeof bind.licensedTo === 'string' ? bind.licensedTo.trim() : '';
  const email = typeof bind.email === 'string' ? bind.email.trim() : '';
  if (!licensedTo) throw new KeyfleetError('BAD_INPUT', 'licensedTo is empty: the bind needs the name of the license owner');
  if (/[\u0000-\u001f\u007f]/.test(licensedTo)) throw new KeyfleetError('BAD_INPUT', 'licensedTo must be one line');
  if (licensedTo.length > MAX_LICENSED_TO_LENGTH) throw new KeyfleetError('BAD_INPUT', `licensedTo is longer than ${MAX_LICENSED_TO_LENGTH} characters`);
  if (!isEmailAddress(email) || email.length > 254) {
    throw new KeyfleetError('BAD_INPUT', `email "${excerpt(email, 60)}" is not an e-mail address`);
  }
  return { licensedTo, email };
}

function checkSlug(slug: string): string {
  if (typeof slug !== 'string' || !slug.trim()) throw new KeyfleetError('BAD_INPUT', 'core server slug is empty');
  return slug.trim();
}

export class ISymphonyClient {
  readonly #endpoint: VendorEndpoint;
  readonly #root: string;
  readonly #timeoutMs: number;
  readonly #http: VendorHttp;
  /** The HTTP Basic header every call sends; undefined when no password is stored. */
  readonly #authorization: string | undefined;

  constructor(endpoint: VendorEndpoint) {
    this.#endpoint = endpoint;
    this.#root = isymphonyRestRoot(endpoint.baseUrl);
    this.#timeoutMs = endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const secret = endpoint.secret;
    // One encoding of "user:password", sent on every call and masked in everything let out.
    const credential = secret === undefined ? undefined : basicCredential(this.#user, secret);
    this.#authorization = credential === undefined ? undefined : `Basic ${credential}`;
    this.#http = new VendorHttp({
      transport: endpoint.http,
      label: `iSymphony ${new URL(this.#root).host}`,
      timeoutMs: this.#timeoutMs,
      maxBytes: endpoint.maxBytes ?? DEFAULT_MAX_BYTES,
      pinSha256: endpoint.pinSha256,
      secrets: secret ? [secret, credential] : [],
    });
  }

  /** The REST root every call is made under (no secret in it). */
  get restRoot(): string {
    return this.#root;
  }

  async listCoreServers(opts?: CallOptions): Promise<ISymphonyCoreServer[]> {
    return (await this.#listWithResponse(opts)).coreServers;
  }

  async getCoreServer(slug: string, opts?: CallOptions): Promise<ISymphonyCoreServer> {
    const s = checkSlug(slug);
    const res = await this.#send({ method: 'GET', url: `${this.#root}/getByName/${encodeURIComponent(s)}`, idempotent: true }, opts);
    this.#expectOk(res, 'reading the core server', s);
    const { id, slug: gotSlug, name } = this.#parse(res, coreServerSchema, `core server ${s}`);
    return { id, slug: gotSlug, name };
  }

  async readLicense(slug: string, opts?: CallOptions): Promise<ISymphonyLicense> {
    const s = checkSlug(slug);
    const res = await this.#send({ method: 'GET', url: `${this.#licenseUrl(s)}`, idempotent: true }, opts);
    this.#expectOk(res, 'reading the license', s);
    return toLicense(this.#parse(res, licenseSchema, `license of core server ${s}`));
  }

  async moduleLicenses(slug: string, opts?: CallOptions): Promise<ISymphonyModuleLicense[]> {
    const s = checkSlug(slug);
    const listUrl = `${this.#licenseUrl(s)}/moduleLicenses`;
    const res = await this.#send({ method: 'GET', url: listUrl, idempotent: true }, opts);
    this.#expectOk(res, 'reading the module licenses', s);
    const modules = this.#parse(res, moduleLicenseListSchema, `module licenses of core server ${s}`);
    const out: ISymphonyModuleLicense[] = [];
    for (const m of modules) {
      const propsRes = await this.#send({ method: 'GET', url: `${listUrl}${wire.moduleLicensePropertiesPath(m.id)}`, idempotent: true }, opts);
      let properties: Record<string, unknown> = {};
      if (propsRes.status !== 404) {
        this.#expectOk(propsRes, `reading the properties of module license ${m.moduleId}`, s);
        const json = this.#http.json(propsRes, `properties of module license ${m.moduleId}`);
        const props = wire.moduleLicenseProperties(json);
        if (!props) throw this.#error('BAD_RESPONSE', `properties of module license ${m.moduleId} are neither an object nor a list of name/value pairs`);
        properties = props;
      }
      out.push({ id: m.id, moduleId: m.moduleId, properties });
    }
    return out;
  }

  /**
   * Activate a serial. Never retried: the server may bind the serial to this machine.
   * When the server asks for a bind authorization (307), the bind details are posted to the
   * Location it named, provided it is this same server (credentials never go elsewhere).
   */
  async activate(slug: string, serial: string, bind: ISymphonyBindDetails | null, opts?: ISymphonyActivateOptions): Promise<ISymphonyActivation> {
    const s = checkSlug(slug);
    const key = checkSerial(serial);
    const details = bind ? checkBind(bind) : null;
    const activateUrl = `${this.#licenseUrl(s)}/activate`;
    const { body, contentType } = wire.activationRequest(key);
    const res = await this.#send({ method: 'POST', url: activateUrl, body, headers: { 'content-type': contentType } }, opts);
    const outcome = wire.postOutcome(res.status);
    if (outcome === 'success') return { outcome: 'activated', license: await this.readLicense(s, opts) };
    if (outcome !== 'bind-requested') throw this.#postError(res, 'activation', s);

    const askedAt = Date.now();
    const location = this.#bindLocation(res, activateUrl);
    if (!details) {
      // Release the server's pending bind; the missing details are the error worth reporting.
      await this.#bind(location, { cancel: true, licensedTo: '', email: '' }, askedAt, s, opts).catch(() => undefined);
      throw this.#error(
        'BAD_INPUT',
        `activating ${key} on core server ${s} needs a bind authorization: give licensedTo and email (the pending bind was cancelled, nothing was activated)`,
      );
    }
    const decision = (await opts?.onBindRequested?.({ location })) ?? 'continue';
    const cancel = decision === 'cancel';
    await this.#bind(location, { cancel, licensedTo: details.licensedTo, email: details.email }, askedAt, s, opts);
    return { outcome: cancel ? 'bind-cancelled' : 'bound', license: await this.readLicense(s, opts) };
  }

  async testConnection(opts?: CallOptions): Promise<ISymphonyConnectionTest> {
    const { coreServers, certSha256 } = await this.#listWithResponse(opts);
    return certSha256 ? { coreServers, certSha256 } : { coreServers };
  }

  async #listWithResponse(opts?: CallOptions): Promise<{ coreServers: ISymphonyCoreServer[]; certSha256?: string }> {
    const res = await this.#send({ method: 'GET', url: this.#root, idempotent: true }, opts);
    this.#expectOk(res, 'listing core servers');
    const list = this.#parse(res, coreServerListSchema, 'core server list');
    const coreServers = list.map(({ id, slug, name }) => ({ id, slug, name }));
    return res.certSha256 ? { coreServers, certSha256: res.certSha256 } : { coreServers };
  }

  async #bind(location: string, payload: { cancel: boolean; licensedTo: string; email: string }, askedAt: number, slug: string, opts?: CallOptions): Promise<void> {
    const what = payload.cancel ? 'bind cancellation' : 'bind';
    // The server drops the pending bind after 5 s, so waiting longer than that is pointless.
    const remaining = ISYMPHONY_BIND_WINDOW_MS - (Date.now() - askedAt);
    const timeoutMs = Math.min(this.#timeoutMs, Math.max(remaining, 1_500));
    let res: HttpResponse;
    try {
      res = await this.#send(
        { method: 'POST', url: location, body: JSON.stringify(payload), headers: { 'content-type': 'application/json' }, timeoutMs },
        opts,
      );
    } catch (e) {
      if (e instanceof KeyfleetError && e.code === 'TIMEOUT') {
        throw this.#error(
          'TIMEOUT',
          `the ${what} got no answer within ${(timeoutMs / 1000).toFixed(1)} s; the server's bind window of 5 s has passed, so the activation is probably not complete (read the license to check)`,
        );
      }
      throw e;
    }
    const outcome = wire.postOutcome(res.status);
    if (outcome === 'success') return;
    if (outcome === 'denied') {
      const text = this.#text(res);
      const elapsed = Date.now() - askedAt;
      const late = wire.isLateBindRefusal(text, elapsed);
      throw this.#error(
        'DENIED',
        `${what} refused: ${text || 'no reason given'}` +
          (late ? ` (the server's bind window of 5 s passed: the bind was sent ${(elapsed / 1000).toFixed(1)} s after the server asked for it; activate again and answer sooner)` : ''),
        { status: res.status, late },
      );
    }
    throw this.#postError(res, what, slug);
  }

  /** The bind Location, resolved against the activate URL, and only if it is this same server. */
  #bindLocation(res: HttpResponse, activateUrl: string): string {
    const raw = res.headers.location;
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (!value) throw this.#error('BAD_RESPONSE', `asked for a bind authorization (HTTP ${res.status}) without a Location to send it to`);
    let target: URL;
    try {
      target = new URL(value, activateUrl);
    } catch {
      throw this.#error('BAD_RESPONSE', `asked for a bind authorization at an invalid Location: ${excerpt(value, 120)}`);
    }
    const expected = new URL(activateUrl).origin;
    if (target.origin !== expected) {
      throw this.#error(
        'DENIED',
        `asked to send the bind authorization to ${target.origin}, which is not the configured server ${expected}; refusing to send credentials there (nothing was sent, the activation is not complete)`,
        { location: `${target.origin}${target.pathname}` },
      );
    }
    target.hash = '';
    target.username = '';
    target.password = '';
    return target.toString();
  }

  #licenseUrl(slug: string): string {
    return `${this.#root}/getByName/${encodeURIComponent(slug)}/license`;
  }

  get #user(): string {
    return this.#endpoint.user || ISYMPHONY_DEFAULT_USER;
  }

  async #send(req: VendorRequest, opts?: CallOptions): Promise<HttpResponse> {
    if (this.#authorization === undefined) throw this.#error('SECRET_MISSING', 'no password for the iSymphony manager user');
    const headers = { accept: 'application/json', authorization: this.#authorization, ...req.headers };
    return await this.#http.send({ ...req, headers, signal: opts?.signal });
  }

  #expectOk(res: HttpResponse, doing: string, slug?: string): void {
    if (res.status !== 200) throw this.#postError(res, doing, slug);
  }

  /** A refusal or an answer that was not expected, by status (401, 403 and 404 as postOutcome reads them). */
  #postError(res: HttpResponse, doing: string, slug: string | undefined): KeyfleetError {
    const label = this.#http.label;
    return this.#http.statusError(res, doing, {
      auth: () => `${label}: manager user or password refused (user "${this.#user}")`,
      denied: (said) => `${label}: ${doing} denied${said || ': no reason given'}`,
      ...(slug !== undefined ? { missing: () => `${label}: no core server named "${slug}"` } : { wrongUrl: `${label}: ${doing}: HTTP 404` }),
    });
  }

  /** The server's own words from an error body, shortened; never throws. */
  #text(res: HttpResponse): string {
    return this.#http.serverWords(res);
  }

  #parse<T>(res: HttpResponse, schema: z.ZodType<T>, what: string): T {
    return this.#http.parse(schema, this.#http.json(res, what), what);
  }

  #error(code: KeyfleetError['code'], message: string, details?: Record<string, unknown>): KeyfleetError {
    return new KeyfleetError(code, `${this.#http.label}: ${message}`, details);
  }
}
