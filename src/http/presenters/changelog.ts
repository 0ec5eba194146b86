import { z } from 'zod';
import type { ChangelogRow } from '../../db/schema.js';

export const ChangelogSchema = z.object({
  id: z.number().int(),
  kind: z.string().describe('index_move (composite moved >= 2 points), index_status (insufficient <-> computed), retraction'),
  title: z.string(),
  body: z.string(),
  preset: z.string().nullable(),
  as_of: z.string().nullable().describe('The day the change took effect'),
  created_at: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export function presentChangelog(row: ChangelogRow): z.infer<typeof ChangelogSchema> {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    preset: row.preset,
    as_of: row.as_of,
    created_at: row.created_at.toISOString(),
    details: row.details ?? {},
  };
}
