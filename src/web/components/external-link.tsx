import type { ReactNode } from 'react';
import { EXTERNAL_REL, safeHttpUrl } from '../markdown/safe-url.js';

/** A link to a source outside the site: rendered only for http(s) URLs, otherwise plain text. */
export function ExternalLink({ href, children }: { href: string | null | undefined; children?: ReactNode }) {
  const safe = safeHttpUrl(href);
  const label = children ?? href ?? '';
  if (!safe) return <span>{label}</span>;
  return (
    <a href={safe} rel={EXTERNAL_REL} target="_blank">
      {label}
      <span className="visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}

/** The host of a URL, for "(arxiv.org)" labels; empty for anything not http(s). */
export function hostOf(href: string | null | undefined): string {
  const safe = safeHttpUrl(href);
  return safe ? new URL(safe).host.replace(/^www\./, '') : '';
}
