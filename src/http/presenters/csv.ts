import type { EventJson } from './event.js';

/**
 * CSV export of events (RFC 4180). A cell that a spreadsheet would read as a formula (starting with
 * = + - @, a tab or a carriage return) gets a leading apostrophe, so opening an export never runs
 * anything an ingested title smuggled in.
 */
export const EVENT_CSV_COLUMNS = [
  'id',
  'published_at',
  'tier',
  'verified',
  'title',
  'publisher',
  'source_type',
  'url',
  'retracted',
  'retracted_reason',
  'signposts',
  'summary',
] as const;

export function csvCell(value: string | number | boolean | null): string {
  let s = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function eventCsvRow(e: EventJson): string {
  const signposts = e.observations.map((o) => `${o.signpost}=${o.value}${o.status === 'approved' ? '' : ` (${o.status})`}`).join('; ');
  const cells = [
    e.id,
    e.published_at,
    e.tier,
    e.verified,
    e.title,
    e.publisher,
    e.source_type,
    e.url,
    e.retracted,
    e.retracted_reason,
    signposts,
    e.summary,
  ];
  return cells.map(csvCell).join(',');
}

export function eventsCsv(events: EventJson[], header: boolean): string {
  const lines = events.map(eventCsvRow);
  if (header) lines.unshift(EVENT_CSV_COLUMNS.join(','));
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}
