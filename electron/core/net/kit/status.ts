import { KeyfleetError } from '../../errors.ts';
import { excerpt, type HttpResponse } from '../http.ts';

/**
 * What a vendor says for each kind of refusal. The kit decides the error code from the status;
 * the vendor words the sentence. A string gets the server's own words appended (": …"); a
 * function places them itself (or leaves them out, when they would only repeat the sentence).
 */
export type Wording = string | ((said: string) => string);

export interface StatusWording {
  /** 401 (AUTH): the credentials were refused. */
  auth?: Wording;
  /** 403 (DENIED): signed in but not allowed. */
  denied?: Wording;
  /** 404 meaning the named thing does not exist (NOT_FOUND). */
  missing?: Wording;
  /** 404 meaning the address is wrong (HTTP_STATUS); used when `missing` is not given. */
  wrongUrl?: Wording;
  /** 400, 409 and 422 read as the vendor refusing the request (VENDOR_REFUSED); without it they are HTTP_STATUS. */
  refused?: (status: number) => Wording;
}

export interface StatusContext {
  /** Who answered, as every message of this client starts: "Webitel pbx:443". */
  label: string;
  /** Which request: "GET /customer", "QM.setActivationKey". */
  what: string;
  /** The server's own words from the body, already shortened and scrubbed of secrets ('' for none). */
  serverWords: string;
  /** Added to `details` (which always carry `status`). */
  details?: Record<string, unknown>;
  /** Scrubs a redirect's Location before it is shortened (it may quote the request). */
  redact?: (text: string) => string;
}

function worded(wording: Wording, said: string): string {
  return typeof wording === 'function' ? wording(said) : `${wording}${said}`;
}

/** The KeyfleetError a non-2xx answer means: one status → code table for every vendor. */
export function statusError(res: HttpResponse, ctx: StatusContext, wording: StatusWording = {}): KeyfleetError {
  const s = res.status;
  const said = ctx.serverWords ? `: ${ctx.serverWords}` : '';
  const details = { ...ctx.details, status: s };
  const fallback = `${ctx.label}: ${ctx.what} answered HTTP ${s}`;
  if (s === 401) return new KeyfleetError('AUTH', worded(wording.auth ?? `${fallback} (the credentials were refused)`, said), details);
  if (s === 403) return new KeyfleetError('DENIED', worded(wording.denied ?? `${fallback} (forbidden)`, said), details);
  if (s === 404) {
    if (wording.missing) return new KeyfleetError('NOT_FOUND', worded(wording.missing, said), details);
    return new KeyfleetError('HTTP_STATUS', worded(wording.wrongUrl ?? `${fallback} (not found; check the URL)`, said), details);
  }
  if ((s === 400 || s === 409 || s === 422) && wording.refused) return new KeyfleetError('VENDOR_REFUSED', worded(wording.refused(s), said), details);
  if (s >= 300 && s < 400) {
    const location = Array.isArray(res.headers.location) ? res.headers.location[0] : res.headers.location;
    const to = typeof location === 'string' ? ` to ${excerpt(ctx.redact ? ctx.redact(location) : location, 120)}` : '';
    return new KeyfleetError('HTTP_STATUS', `${ctx.label}: ${ctx.what} was redirected (${s})${to}; check the URL (https?)`, details);
  }
  return new KeyfleetError('HTTP_STATUS', `${fallback}${said}`, details);
}
