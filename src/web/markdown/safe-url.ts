/**
 * The one URL filter of the web app: a link is rendered only when its target is an absolute
 * http(s) URL. Everything else (javascript:, data:, vbscript:, relative or protocol-relative URLs,
 * anything the URL parser rejects) gives null, and the caller renders the text without a link.
 *
 * The WHATWG URL parser strips tabs and newlines and lower-cases the scheme, so obfuscations such
 * as "java\tscript:" or "JaVaScRiPt:" are seen for what they are.
 */
export function safeHttpUrl(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (text === '' || text.length > 2048) return null;
  // Control characters and spaces never belong in a URL we would link to.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f]/.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url.href;
}

/** rel for every link that leaves the site. */
export const EXTERNAL_REL = 'noopener noreferrer nofollow';
