import { parse as parseCsv } from 'csv-parse/sync';
import { DocumentError } from '../source.js';

export type Row = Record<string, unknown>;

/** Rows of a CSV document with a header line; a malformed file (an unclosed quote, say) is a document error. */
export function csvRows(body: string): Row[] {
  try {
    return parseCsv(body, { columns: true, skip_empty_lines: true, relax_column_count: true, bom: true, trim: true }) as Row[];
  } catch (err) {
    throw new DocumentError(`not a readable CSV file: ${(err as Error).message}`);
  }
}

export function jsonDocument(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    throw new DocumentError(`not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Follows a small path into a JSON document: dot-separated keys, each optionally selecting the array
 * element whose field equals a value (`leaderboards[name=Verified].results`). An empty path is the root.
 */
export function select(doc: unknown, path: string): unknown {
  let node = doc;
  for (const segment of path.split('.').filter(Boolean)) {
    const m = /^([^[\]]+)(?:\[([^=\]]+)=([^\]]*)\])?$/.exec(segment);
    if (!m) throw new DocumentError(`bad path segment "${segment}"`);
    node = node && typeof node === 'object' ? (node as Row)[m[1]!] : undefined;
    if (m[2] !== undefined) {
      node = Array.isArray(node) ? node.find((x) => x && typeof x === 'object' && String((x as Row)[m[2]!]) === m[3]) : undefined;
    }
    if (node === undefined) throw new DocumentError(`the document has no "${path}" (missing at "${segment}")`);
  }
  return node;
}

/** The first non-empty value among the given fields of a row. */
export function pick(row: Row, fields: readonly string[] | undefined): string | undefined {
  for (const f of fields ?? []) {
    const v = row[f];
    if (v === undefined || v === null) continue;
    const s = String(v).trim();
    if (s !== '') return s;
  }
  return undefined;
}

/** A number written plainly, with a percent sign, or with thousands separators; undefined otherwise. */
export function toNumber(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const s = raw.replace(/[,%\s]/g, '');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Fills `{field}` placeholders with a row's values (URL-encoded); undefined when one is missing. */
export function fillTemplate(template: string, row: Row): string | undefined {
  let missing = false;
  const out = template.replace(/\{([^}]+)\}/g, (_, f: string) => {
    const v = row[f];
    if (v === undefined || v === null || String(v).trim() === '') {
      missing = true;
      return '';
    }
    return encodeURIComponent(String(v).trim());
  });
  return missing ? undefined : out;
}
