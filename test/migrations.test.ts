import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrateDown, migrateTo, migrateUp, migrationStatus } from '../src/db/migrate.js';
import { MIGRATION_NAMES } from '../src/db/migrations/index.js';
import { splitStatements } from '../src/db/migrations/run-script.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from './helpers/databases.js';

const log = { info: () => {}, warn: () => {} };

/** Tables, columns, indexes, constraints and triggers of the public schema, as sorted text. */
async function schemaFingerprint(db: Kysely<any>): Promise<string[]> {
  const cols = await sql<{ x: string }>`
    SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable AS x
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'`.execute(db);
  const idx = await sql<{
    x: string;
  }>`SELECT indexdef AS x FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%'`.execute(db);
  const cons = await sql<{ x: string }>`
    SELECT conrelid::regclass::text || ':' || conname || ':' || pg_get_constraintdef(oid) AS x
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT LIKE 'kysely_%'`.execute(db);
  const trig = await sql<{ x: string }>`SELECT tgname AS x FROM pg_trigger WHERE NOT tgisinternal`.execute(db);
  return [...cols.rows, ...idx.rows, ...cons.rows, ...trig.rows].map((r) => r.x).sort();
}

async function userTables(db: Kysely<any>): Promise<string[]> {
  const r = await sql<{
    t: string;
  }>`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%'`.execute(db);
  return r.rows.map((x) => x.t).sort();
}

describe.each(databaseKinds())('migrations on %s', (kind) => {
  let testDb: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    database = await openDatabase({ url: testDb.url, inMemory: true, poolMax: 2 });
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it('up applies every migration, named as in the seed guide', async () => {
    const applied = await migrateUp(database.db, { log });
    expect(applied).toEqual(MIGRATION_NAMES.map((n) => `applied ${n}`));
    expect(MIGRATION_NAMES).toEqual(
      expect.arrayContaining(['20251029_add_embeddings', '20251029_p0_composite_indexes', '20251029_p1_audit_log']),
    );
    const status = await migrationStatus(database.db, { log });
    expect(status.every((s) => s.applied)).toBe(true);
    expect(await userTables(database.db)).toEqual(
      expect.arrayContaining([
        'metrics',
        'signposts',
        'events',
        'observations',
        'index_snapshots',
        'forecasts',
        'changelog',
        'api_keys',
        'audit_logs',
        'llm_usage',
        'ingest_runs',
      ]),
    );
  });

  it('up, down to nothing, up again leaves the same schema', async () => {
    const before = await schemaFingerprint(database.db);
    await migrateTo(database.db, { log }, 'base');
    expect(await userTables(database.db)).toEqual([]);
    expect((await migrationStatus(database.db, { log })).some((s) => s.applied)).toBe(false);
    await migrateUp(database.db, { log });
    expect(await schemaFingerprint(database.db)).toEqual(before);
  });

  it('down reverts exactly the last migration and `to` moves to a named revision', async () => {
    expect(await migrateDown(database.db, { log })).toEqual([`reverted ${MIGRATION_NAMES.at(-1)}`]);
    // Everything after the target except the one already reverted, newest first.
    const target = MIGRATION_NAMES.indexOf('20251029_add_embeddings');
    const between = MIGRATION_NAMES.slice(target + 1, -1).reverse();
    expect(await migrateTo(database.db, { log }, '20251029_add_embeddings')).toEqual(between.map((n) => `reverted ${n}`));
    expect(await migrateUp(database.db, { log })).toHaveLength(MIGRATION_NAMES.length - 1 - target);
    await expect(migrateTo(database.db, { log }, 'no_such_revision')).rejects.toThrow(/unknown migration/);
  });

  it('embeddings use HNSW where pgvector exists and are skipped cleanly where it does not', async () => {
    const hasVector = await database.hasVector();
    const idx = await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_events_embedding_hnsw'`.execute(
      database.db,
    );
    if (kind === 'pglite') expect(hasVector).toBe(true);
    expect(idx.rows.length).toBe(hasVector ? 1 : 0);
    if (hasVector) expect(idx.rows[0]!.indexdef).toMatch(/USING hnsw/);
  });

  it('constraints are real: unique content hash, tier check, foreign keys, unique event x signpost', async () => {
    const db = database.db;
    const event = {
      title: 't',
      summary: '',
      url: 'https://example.org/a',
      canonical_url: 'https://example.org/a',
      publisher: 'p',
      source_type: 'press',
      tier: 'A' as const,
      published_at: new Date('2025-01-01'),
      content_hash: 'h1',
    };
    const { id } = await db.insertInto('events').values(event).returning('id').executeTakeFirstOrThrow();
    await expect(db.insertInto('events').values(event).execute()).rejects.toThrow(/events_content_hash_key/);
    await expect(
      db
        .insertInto('events')
        .values({ ...event, content_hash: 'h2', tier: 'E' as never })
        .execute(),
    ).rejects.toThrow(/check/i);
    await expect(
      db
        .insertInto('observations')
        .values({ event_id: id, signpost_code: 'nope', value: 1, confidence: 1, method: 'manual', status: 'approved' })
        .execute(),
    ).rejects.toThrow(/foreign key/);
    await expect(
      db
        .insertInto('observations')
        .values({ event_id: id, signpost_code: 'x', value: 1, confidence: 1, method: 'manual', status: 'maybe' as never })
        .execute(),
    ).rejects.toThrow();
    await db.deleteFrom('events').execute();
  });

  it('audit_logs is append-only: UPDATE and DELETE are rejected by the database', async () => {
    const db = database.db;
    await db.insertInto('audit_logs').values({ action: 'test', success: true, details: '{}' }).execute();
    await expect(db.updateTable('audit_logs').set({ action: 'changed' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_logs').execute()).rejects.toThrow(/append-only/);
    const rows = await db.selectFrom('audit_logs').select('action').execute();
    expect(rows.map((r) => r.action)).toEqual(['test']);
  });
});

describe('migration scripts', () => {
  it('split at top-level semicolons, not inside quotes, comments or $$ bodies', () => {
    const parts = splitStatements(`
      CREATE TABLE a (x text DEFAULT ';'); -- a comment; with a semicolon
      CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no; way'; END; $$;
      SELECT 1`);
    expect(parts).toHaveLength(3);
    expect(parts[1]).toMatch(/^CREATE FUNCTION[\s\S]*END; \$\$$/);
  });
});
