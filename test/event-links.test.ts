import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { createTestContext, databaseKinds, type TestContext } from './helpers/databases.js';
import type { DB } from '../src/db/schema.js';

/**
 * event_links (migration 20251126_event_links) is derived data kept by triggers: after any change to
 * observations it must equal what the approved observations say. `expected` recomputes it from
 * scratch with plain SQL; every step compares the table with it.
 */
async function actual(db: Kysely<DB>, ids: number[]): Promise<string[]> {
  const rows = await db
    .selectFrom('event_links')
    .select(['event_id', 'link', 'published_at'])
    .where('event_id', 'in', ids)
    .orderBy('event_id')
    .orderBy('link')
    .execute();
  return rows.map((r) => `${r.event_id} ${r.link} ${r.published_at.toISOString()}`);
}

async function expected(db: Kysely<DB>, ids: number[]): Promise<string[]> {
  const r = await sql<{ x: string }>`
    SELECT DISTINCT e.id || ' ' || l.link || ' ' || to_char(e.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS x, e.id, l.link
    FROM observations o JOIN events e ON e.id = o.event_id JOIN signposts s ON s.code = o.signpost_code
    CROSS JOIN LATERAL (VALUES ('signpost:' || o.signpost_code), ('category:' || s.category)) AS l (link)
    WHERE o.status = 'approved' AND e.id IN (${sql.join(ids)})
    ORDER BY e.id, l.link`.execute(db);
  return r.rows.map((row) => row.x);
}

describe.each(databaseKinds())('event_links kept by triggers on %s', (kind) => {
  let t: TestContext;
  let db: Kysely<DB>;
  let ids: number[];

  async function insertEvent(n: number): Promise<number> {
    const row = await db
      .insertInto('events')
      .values({
        title: `Links test ${n}`,
        summary: 's',
        url: `https://links.example/${n}`,
        canonical_url: `https://links.example/${n}`,
        publisher: 'P',
        source_type: 'paper',
        tier: 'A',
        published_at: new Date(Date.UTC(2025, 0, n)),
        content_hash: `links-test-${n}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const observation = (event_id: number, signpost_code: string, status: 'pending' | 'approved' | 'rejected') => ({
    event_id,
    signpost_code,
    value: 0.5,
    confidence: 0.9,
    method: 'manual' as const,
    status,
  });

  async function check() {
    expect(await actual(db, ids)).toEqual(await expected(db, ids));
  }

  beforeAll(async () => {
    t = await createTestContext(kind);
    db = t.ctx.database.db;
    ids = [await insertEvent(1), await insertEvent(2), await insertEvent(3)];
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('a multi-row insert links only approved observations, one category row per event', async () => {
    // swe_bench_85 and osworld_65 are in different categories; gpqa_sota shares capabilities with swe_bench_85.
    await db
      .insertInto('observations')
      .values([
        observation(ids[0]!, 'swe_bench_85', 'approved'),
        observation(ids[0]!, 'gpqa_sota', 'approved'),
        observation(ids[0]!, 'osworld_65', 'pending'),
        observation(ids[1]!, 'osworld_65', 'approved'),
        observation(ids[2]!, 'compute_1e26', 'rejected'),
      ])
      .execute();
    await check();
    const links = await actual(db, [ids[0]!]);
    expect(links.filter((l) => l.includes(' category:'))).toHaveLength(1);
    expect(links.some((l) => l.includes('signpost:osworld_65'))).toBe(false);
    expect(await actual(db, [ids[2]!])).toEqual([]);
  });

  it('approving, rejecting and moving observations update the links', async () => {
    await db
      .updateTable('observations')
      .set({ status: 'approved' })
      .where('event_id', '=', ids[0]!)
      .where('signpost_code', '=', 'osworld_65')
      .execute();
    await check();
    await db
      .updateTable('observations')
      .set({ status: 'rejected' })
      .where('event_id', '=', ids[0]!)
      .where('signpost_code', '=', 'swe_bench_85')
      .execute();
    await check();
    // The other capabilities observation keeps the category link.
    expect((await actual(db, [ids[0]!])).some((l) => l.includes('category:capabilities'))).toBe(true);
    // An observation moved to another event leaves the first and links the second.
    await db
      .updateTable('observations')
      .set({ event_id: ids[2]! })
      .where('event_id', '=', ids[1]!)
      .where('signpost_code', '=', 'osworld_65')
      .execute();
    await check();
    expect(await actual(db, [ids[1]!])).toEqual([]);
  });

  it('deleting observations, moving a signpost to another category and changing a date are followed', async () => {
    await db.deleteFrom('observations').where('event_id', '=', ids[0]!).where('signpost_code', '=', 'gpqa_sota').execute();
    await check();
    const before = await db.selectFrom('signposts').select('category').where('code', '=', 'osworld_65').executeTakeFirstOrThrow();
    await db.updateTable('signposts').set({ category: 'inputs' }).where('code', '=', 'osworld_65').execute();
    await check();
    expect((await actual(db, [ids[2]!])).some((l) => l.includes('category:inputs'))).toBe(true);
    await db.updateTable('signposts').set({ category: before.category }).where('code', '=', 'osworld_65').execute();
    await db
      .updateTable('events')
      .set({ published_at: new Date('2020-02-02T02:02:02.123Z') })
      .where('id', '=', ids[2]!)
      .execute();
    await check();
    expect(await actual(db, [ids[2]!])).not.toEqual([]);
  });

  it('deleting an event removes its links', async () => {
    await db.deleteFrom('events').where('id', '=', ids[2]!).execute();
    expect(await actual(db, [ids[2]!])).toEqual([]);
    ids = ids.slice(0, 2);
    await check();
  });

  it.runIf(kind === 'postgres')(
    'two transactions approving observations of one category on one event concurrently both end up linked',
    async () => {
      const event = await insertEvent(10);
      ids = [...ids, event];
      await db
        .insertInto('observations')
        .values([observation(event, 'swe_bench_85', 'pending'), observation(event, 'gpqa_sota', 'pending')])
        .execute();
      const pool = new pg.Pool({ connectionString: t.database.url, max: 2 });
      try {
        const [a, b] = [await pool.connect(), await pool.connect()];
        await a.query('BEGIN');
        await b.query('BEGIN');
        await a.query(`UPDATE observations SET status = 'approved' WHERE event_id = $1 AND signpost_code = 'swe_bench_85'`, [event]);
        // Both would insert category:capabilities; b waits for a's lock on the event inside the trigger,
        // then recomputes from a's committed rows (without the lock: a duplicate-key error in b).
        const bDone = b.query(`UPDATE observations SET status = 'approved' WHERE event_id = $1 AND signpost_code = 'gpqa_sota'`, [event]);
        await new Promise((r) => setTimeout(r, 200));
        await a.query('COMMIT');
        await bDone;
        await b.query('COMMIT');
        a.release();
        b.release();
      } finally {
        await pool.end();
      }
      await check();
      expect(await actual(db, [event])).toHaveLength(3);
    },
  );
});
