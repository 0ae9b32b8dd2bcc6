/**
 * One secret scrubber for everything a vendor client lets out (error messages, error details,
 * server text it quotes). A server may echo a request back in any encoding the request used,
 * so each secret is masked as typed, percent-encoded (URL query), form-encoded, XML- or
 * HTML-escaped (XML-RPC bodies, error pages) and JSON-escaped (JSON bodies).
 */
export const REDACTED = '***';

export type Redact = (text: string) => string;

/** Markup escaping as servers write it: always & < >, quotes as named or numbered entities, or not at all. */
function markupEscaped(s: string): string[] {
  const base = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return [base, base.replace(/"/g, '&quot;').replace(/'/g, '&apos;'), base.replace(/"/g, '&quot;').replace(/'/g, '&#39;'), base.replace(/"/g, '&#34;').replace(/'/g, '&#39;')];
}

/** The ways one piece of text is written inside a URL, a form, markup or JSON. */
function encodedOnce(text: string): string[] {
  const percent = encodeURIComponent(text);
  return [text, percent, percent.replace(/%20/g, '+'), ...markupEscaped(text), JSON.stringify(text).slice(1, -1)];
}

/** Every way a secret may come back: encoded once, or once more inside another format (a header quoted in JSON inside an XML fault). */
function encodings(secret: string): string[] {
  return encodedOnce(secret).flatMap(encodedOnce);
}

/**
 * Below this length a secret is masked only where it stands alone (not inside a word): a
 * password "p" must not turn every "fingerprint" into "finger***rint", yet `is_pwd=p` is masked.
 */
const SHORT_SECRET = 6;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every form of the secrets to mask, longest first, as a literal or (for short ones) a standalone-word pattern. */
function masksFor(secrets: readonly string[]): Array<string | RegExp> {
  const forms = [...new Set(secrets.flatMap(encodings))]
    // Longest first, so a secret that contains another is masked whole.
    .sort((a, b) => b.length - a.length);
  const alone = (form: string) => new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(form)}(?![A-Za-z0-9])`, 'g');
  return forms.map((form) => (form.length < SHORT_SECRET ? alone(form) : form));
}

/**
 * A scrubber masking each given secret (empty and missing ones are skipped). The forms are worked
 * out on first use: every vendor client makes a scrubber, and most never have anything to scrub
 * (a refresh makes one client per instance; ~60 encodings of a password each).
 */
export function secretRedactor(secrets: ReadonlyArray<string | null | undefined>): Redact {
  const given = secrets.filter((s): s is string => typeof s === 'string' && s !== '');
  if (given.length === 0) return (text) => text;
  let masks: Array<string | RegExp> | null = null;
  return (text) => {
    masks ??= masksFor(given);
    let out = text;
    for (const mask of masks) {
      if (typeof mask === 'string') {
        if (out.includes(mask)) out = out.split(mask).join(REDACTED);
      } else out = out.replace(mask, REDACTED);
    }
    return out;
  };
}

/** What HTTP Basic puts on the wire besides the password itself: base64 of "user:password". */
export function basicCredential(user: string, secret: string): string {
  return Buffer.from(`${user}:${secret}`, 'utf8').toString('base64');
}

/** A value with every string inside it (deeply) scrubbed; other values are kept as they are. */
export function redactValue(value: unknown, redact: Redact): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, redact));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, redact)]));
  }
  return value;
}
