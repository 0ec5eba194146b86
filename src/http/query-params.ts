import { z } from 'zod';
import { TIERS, type Tier } from '../domain/catalog.js';

/** Query-string pieces shared by several routes. Every one rejects junk with a 400 naming the field. */

const CODE = /^[a-z0-9_]{1,100}$/;

export const codeParam = z.string().regex(CODE, 'must be a lower_snake_case code');

/** `A` or a comma list such as `A,B` (case-insensitive). */
export const tiersParam = z
  .string()
  .regex(/^[ABCDabcd](,[ABCDabcd])*$/, 'must be tiers such as A or A,B')
  .transform((s) => [...new Set(s.toUpperCase().split(','))] as Tier[]);

export const booleanParam = z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1');

/** A calendar date or an ISO date-time (validated again where it is used). */
export const dateOrDateTimeParam = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be YYYY-MM-DD or an ISO date-time');

export const dateParam = z
  .string()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

/** Free text (Postgres text cannot hold NUL, so it is refused here rather than failing in the database). */
export function textParam(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');
}

export const searchParam = textParam(200);

export const ALL_TIERS: readonly Tier[] = TIERS;

/** Cursor of lists ordered by (published_at DESC, id DESC): the timestamp as Postgres text, exact to the microsecond. */
export const PublishedCursor = z.object({
  p: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/),
  i: z.number().int().positive(),
});

export function publishedCursorOf(row: { cursor_published_at: string; id: number }) {
  return { p: row.cursor_published_at, i: row.id };
}

export function afterPublished(cursor: z.infer<typeof PublishedCursor> | undefined) {
  return cursor ? { published_at: cursor.p, id: cursor.i } : undefined;
}

/**
 * Route option for the hot list routes: the response schema still documents the route (OpenAPI), but
 * the body is serialised with JSON.stringify instead of being re-validated by zod on every request
 * (about a fifth of an uncached /v1/events page's CPU). The typed presenters guarantee the shape.
 */
export const plainJsonSerializer = {
  serializerCompiler: () => (data: unknown) => JSON.stringify(data),
};
