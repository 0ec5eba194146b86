import { createHash } from 'node:crypto';

/** Query parameters that only track the click, never change the document. */
const TRACKING_PARAMS =
  /^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ref|ref_src|ref_url|source|igshid|_hsenc|_hsmi|mkt_tok|cmpid|s_cid)$/i;

/**
 * The canonical form of an article URL, so the same document reached through different links dedups:
 * lower-case scheme and host, no default port, no fragment, no tracking parameters, sorted query,
 * no trailing slash (except the root), arXiv versions folded (abs/2401.00001v2 -> abs/2401.00001).
 */
export function canonicalUrl(raw: string): string {
  const url = new URL(raw.trim());
  url.hash = '';
  url.hostname = url.hostname.toLowerCase().replace(/^www\./, '');
  if ((url.protocol === 'https:' && url.port === '443') || (url.protocol === 'http:' && url.port === '80')) url.port = '';
  const kept = [...url.searchParams.entries()].filter(([k]) => !TRACKING_PARAMS.test(k)).sort(([a], [b]) => a.localeCompare(b));
  url.search = '';
  for (const [k, v] of kept) url.searchParams.append(k, v);
  let pathname = url.pathname.replace(/\/{2,}/g, '/');
  if (url.hostname === 'arxiv.org') pathname = pathname.replace(/^\/(abs|pdf)\/(\d{4}\.\d{4,5})(v\d+)?(\.pdf)?$/, '/abs/$2');
  if (pathname.length > 1) pathname = pathname.replace(/\/$/, '');
  url.pathname = pathname;
  // Both schemes name the same document.
  return url.toString().replace(/^http:/, 'https:');
}

export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** sha256 of canonical URL + normalised title: the dedup key of an event (unique in the database). */
export function contentHash(url: string, title: string): string {
  return createHash('sha256')
    .update(`${canonicalUrl(url)}\n${normaliseTitle(title)}`)
    .digest('hex');
}
