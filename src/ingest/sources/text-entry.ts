import type { ArxivSource, FeedSource, Normalised } from '../source.js';
import { collapse, htmlToText, parseDate, truncate } from '../text.js';

/** One article of a feed as read from the document, before cleanup. */
export interface TextEntry {
  title: string;
  /** Absolute when it could be resolved against the feed URL. */
  link: string;
  /** HTML or text. */
  summary: string;
  date: string;
}

export const MAX_TITLE = 500;
export const MAX_SUMMARY = 4000;

/** Resolves a possibly relative link against the document URL; empty when there is none. */
export function resolveLink(href: string, documentUrl: string): string {
  if (!href.trim()) return '';
  try {
    return new URL(href.trim(), documentUrl).toString();
  } catch {
    return '';
  }
}

/**
 * A feed or arXiv entry as a candidate event: HTML to text, lengths capped, an http(s) link required, the
 * date read (the fetch time when the entry has none, and never later than the fetch).
 */
export function normaliseTextEntry(entry: TextEntry, config: FeedSource | ArxivSource, fetchedAt: Date): Normalised {
  const title = truncate(htmlToText(entry.title), MAX_TITLE);
  if (title.length < 3) return { ok: false, reason: 'entry has no title' };
  if (!/^https?:\/\//i.test(entry.link)) return { ok: false, reason: `entry "${truncate(title, 80)}" has no http(s) link` };
  const date = parseDate(entry.date);
  const published = !date || date > fetchedAt ? fetchedAt : date;
  return {
    ok: true,
    event: {
      title,
      summary: truncate(htmlToText(entry.summary), MAX_SUMMARY),
      url: entry.link,
      publisher: collapse(config.publisher),
      source_type: config.source_type,
      tier: config.tier,
      published_at: published.toISOString(),
    },
  };
}
