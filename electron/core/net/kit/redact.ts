/**
 * One secret scrubber for everything a vendor client lets out (error messages, error details,
 * server text it quotes). A server may echo a request back in any encoding the request used,
 * so each secret is masked as typed, percent-encoded (URL query), form-encoded, XML-escaped
 * (XML-RPC bodies) and JSON-escaped (JSON bodies).
 */
export const REDACTED = '***';

export type Redact = (text: string) => string;

function xmlEscaped(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Every way a secret may come back in a server's answer. */
function encodings(secret: string): string[] {
  return [secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), xmlEscaped(secret), JSON.stringify(secret).slice(1, -1)];
}

/** A scrubber masking each given secret (empty and missing ones are skipped). */
export function secretRedactor(secrets: ReadonlyArray<string | null | undefined>): Redact {
  const forms = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s !== '').flatMap(encodings))]
    // Longest first, so a secret that contains another is masked whole.
    .sort((a, b) => b.length - a.length);
  if (forms.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
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
