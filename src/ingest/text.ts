/** Text cleanup for ingested documents: feeds carry HTML, entities and odd whitespace. */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '\u2013',
  mdash: '\u2014',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  hellip: '\u2026',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  times: '\u00d7',
  middot: '\u00b7',
  bull: '\u2022',
  deg: '\u00b0',
  plusmn: '\u00b1',
  asymp: '\u2248',
  ge: '\u2265',
  le: '\u2264',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Plain text from an HTML fragment: scripts, styles and tags dropped, block ends turned into spaces,
 * entities decoded, control characters removed, whitespace collapsed. What is stored is text; pages
 * render it as text, so nothing here needs to be safe HTML.
 */
export function htmlToText(html: string): string {
  const withoutCode = html.replace(/<(script|style|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ');
  const withoutTags = withoutCode.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<\/?[a-z][^>]*>/gi, ' ');
  return collapse(decodeEntities(withoutTags));
}

/** Control characters out (tab and newline become spaces), runs of whitespace collapsed. */
export function collapse(text: string): string {
  // Stripping control characters is the point of this pattern.
  // eslint-disable-next-line no-control-regex
  const controls = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g;
  return text.replace(controls, ' ').replace(/\s+/g, ' ').trim();
}

/** Cuts at a word boundary and marks the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}\u2026`;
}

/**
 * A publication time from a feed or data file: RFC 822 (RSS), ISO 8601 (Atom, JSON), `YYYY-MM-DD`,
 * `MM/YYYY` (first of the month). Undefined when it cannot be read.
 */
export function parseDate(raw: unknown): Date | undefined {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : raw;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const s = raw.trim();
  const monthYear = /^(\d{1,2})\/(\d{4})$/.exec(s);
  if (monthYear) return validUtc(Number(monthYear[2]), Number(monthYear[1]), 1);
  const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (isoDay) return validUtc(Number(isoDay[1]), Number(isoDay[2]), Number(isoDay[3]));
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t);
}

function validUtc(year: number, month: number, day: number): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900) return undefined;
  return new Date(Date.UTC(year, month - 1, day));
}

/**
 * A percentage for a title: at most two decimals, no trailing zeros ("72.3%", "42%", "41.98%").
 */
export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

/** A FLOP count as "3.8e25". */
export function formatScientific(value: number): string {
  const [mantissa, exponent] = value.toExponential(2).split('e');
  return `${Number(mantissa)}e${Number(exponent)}`;
}
