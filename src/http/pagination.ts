import { z } from 'zod';
import { BadRequestError } from '../errors.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

/** `limit`: a whole number >= 1 (else 400), clamped to `max`, `fallback` when absent. */
function limitParam(fallback: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, 'limit must be a positive integer')
    .transform(Number)
    .refine((n) => n >= 1, 'limit must be at least 1')
    .transform((n) => Math.min(n, max))
    .default(fallback);
}

/**
 * The one pagination schema (P0-2): `limit` defaults to 50, values above 100 are clamped to 100,
 * below 1 or not an integer are a 400; `cursor` is an opaque keyset cursor from a previous page.
 * Every list route spreads this into its querystring schema.
 */
export const paginationQuery = {
  limit: limitParam(DEFAULT_LIMIT, MAX_LIMIT),
  cursor: z.string().max(512).optional(),
};

export const EXPORT_DEFAULT_LIMIT = 1000;
export const EXPORT_MAX_LIMIT = 5000;

/**
 * The one exception: bulk downloads under /v1/export/ page by the same rules with larger bounds
 * (default 1000, clamped to 5000), since a 100-row CSV page is not a download. The pagination lint
 * accepts it on those routes only.
 */
export const exportPaginationQuery = {
  limit: limitParam(EXPORT_DEFAULT_LIMIT, EXPORT_MAX_LIMIT).describe(
    `Rows per export page, default ${EXPORT_DEFAULT_LIMIT}, clamped to ${EXPORT_MAX_LIMIT}`,
  ),
  cursor: paginationQuery.cursor,
};

/** Marker the pagination lint test looks for in a route's querystring schema. */
export const PAGINATION_FIELDS = Object.keys(paginationQuery);

/**
 * Keyset cursors are base64url JSON of the last row's sort key. They are validated on the way in
 * (shape and types) rather than trusted, so a forged cursor can only move within the same list.
 */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, schema: T): z.infer<T> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError('cursor is not a cursor returned by this API', { field: 'cursor' });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new BadRequestError('cursor is not a cursor returned by this API', { field: 'cursor' });
  return parsed.data;
}

/** Response shape of every paginated list. */
export function page<T>(results: T[], limit: number, keyOf: (last: T) => Record<string, string | number>) {
  const next = results.length === limit ? encodeCursor(keyOf(results[results.length - 1]!)) : null;
  return { results, next_cursor: next };
}
