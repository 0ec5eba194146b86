import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';

/** Signposts the bulk observations link to (all exist in the catalog). */
export const BULK_SIGNPOSTS = [
  'swe_bench_85',
  'osworld_65',
  'webarena_70',
  'gpqa_sota',
  'arc_agi_85',
  'compute_1e26',
  'gpu_cluster_100k',
  'dc_power_5gw',
  'agent_reliability_80',
  'sec_maturity',
];

/**
 * Inserts `count` synthetic events in one statement (generate_series), spread over five years from
 * 2021, all four tiers, about 1% retracted, and an observation on every third event (2% of them
 * pending), then ANALYZEs: the planner sees the table as it would in production.
 */
export async function insertBulkEvents(db: Kysely<DB>, count: number): Promise<void> {
  const topics = `ARRAY['agents','compute','benchmarks','security','chips']`;
  const benches = `ARRAY['swe-bench','osworld','gpqa','arc','webarena']`;
  await sql
    .raw(
      `INSERT INTO events (title, summary, url, canonical_url, publisher, source_type, tier, published_at, content_hash, retracted, retracted_reason)
       SELECT 'Bulk event ' || g || ' about ' || (${topics})[1 + g % 5],
              'Synthetic result number ' || g || ' on ' || (${benches})[1 + (g * 7) % 5],
              'https://bulk.example/e/' || g, 'https://bulk.example/e/' || g,
              'Publisher ' || (g % 50), 'paper', (ARRAY['A','B','C','D'])[1 + (g * 13) % 4],
              timestamptz '2021-01-01 00:00:00+00' + g * interval '26 minutes' + (g % 1000) * interval '1 microsecond',
              md5('bulk-' || g), g % 97 = 0, CASE WHEN g % 97 = 0 THEN 'synthetic retraction' END
       FROM generate_series(1, ${Number(count)}) AS g`,
    )
    .execute(db);
  const codes = `ARRAY[${BULK_SIGNPOSTS.map((c) => `'${c}'`).join(',')}]`;
  await sql
    .raw(
      `INSERT INTO observations (event_id, signpost_code, value, confidence, method, status)
       SELECT id, (${codes})[1 + id % ${BULK_SIGNPOSTS.length}], 0.5, 0.9, 'rule', CASE WHEN id % 50 = 0 THEN 'pending' ELSE 'approved' END
       FROM events WHERE id % 3 = 0 AND url LIKE 'https://bulk.example/%'
       ON CONFLICT DO NOTHING`,
    )
    .execute(db);
  await sql`ANALYZE events`.execute(db);
  await sql`ANALYZE observations`.execute(db);
}
