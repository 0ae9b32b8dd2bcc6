/**
 * Shortening server text for messages. Apart from the transport so that code the renderer loads
 * (address rules, the API contract) can use it without loading node:net and node:tls.
 */

/** How much of a server's text an excerpt looks at: the tag-stripping below is quadratic on a long run of '<'. */
const EXCERPT_INPUT_LIMIT = 8 * 1024;

/** A short, single-line excerpt of a body for error messages (never a whole page), in bounded time. */
export function excerpt(text: string, max = 160): string {
  const head = text.length > EXCERPT_INPUT_LIMIT ? text.slice(0, EXCERPT_INPUT_LIMIT) : text;
  const stripped = head.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return stripped.length > max ? `${stripped.slice(0, max)}…` : stripped;
}
