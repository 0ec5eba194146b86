import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.js';
import { TEST_DATABASE_URL, createTestDatabase, type TestDatabase } from './helpers/databases.js';

/** The statements prepared on the (single) connection of this database handle. */
async function prepared(database: Database): Promise<Array<{ name: string; statement: string }>> {
  const r = await sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements`.execute(database.db);
  return r.rows;
}

// Named prepared statements are a server-Postgres feature of the pg driver (PGlite runs in process).
describe.runIf(TEST_DATABASE_URL)('named prepared statements on Postgres', () => {
  let testDb: TestDatabase;
  let open: Database[] = [];
  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    const setup = new pg.Client({ connectionString: testDb.url });
    await setup.connect();
    await setup.query('CREATE TABLE t (id integer PRIMARY KEY, label text)');
    await setup.query(`INSERT INTO t VALUES (1, 'one'), (2, 'two')`);
    await setup.end();
  });
  afterEach(async () => {
    await Promise.all(open.map((d) => d.close()));
    open = [];
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  async function connect(preparedStatements: boolean): Promise<Database> {
    const database = await openDatabase({ url: testDb.url, poolMax: 1, preparedStatements });
    open.push(database);
    return database;
  }

  it('a repeated SELECT is prepared once on its connection and gives the same rows', async () => {
    const database = await connect(true);
    const read = (id: number) =>
      database.db
        .selectFrom('t' as never)
        .selectAll()
        .where('id' as never, '=', id as never)
        .execute();
    expect(await read(1)).toEqual([{ id: 1, label: 'one' }]);
    expect(await read(2)).toEqual([{ id: 2, label: 'two' }]);
    const statements = (await prepared(database)).filter((p) => p.statement.includes('from "t"'));
    expect(statements).toHaveLength(1);
    expect(statements[0]!.name).toMatch(/^agt_\d+$/);
  });

  it('writes are never prepared, and with the setting off nothing is', async () => {
    const on = await connect(true);
    await on.db
      .updateTable('t' as never)
      .set({ label: 'one' } as never)
      .where('id' as never, '=', 1 as never)
      .execute();
    expect((await prepared(on)).filter((p) => /update/i.test(p.statement))).toEqual([]);
    const off = await connect(false);
    await off.db
      .selectFrom('t' as never)
      .selectAll()
      .execute();
    await off.db
      .selectFrom('t' as never)
      .selectAll()
      .execute();
    expect(await prepared(off)).toEqual([]);
  });

  it('a table changed under a prepared statement (another process migrated) does not break the query', async () => {
    const database = await connect(true);
    const all = () =>
      database.db
        .selectFrom('t' as never)
        .selectAll()
        .orderBy('id' as never)
        .execute();
    expect(await all()).toHaveLength(2);
    const other = new pg.Client({ connectionString: testDb.url });
    await other.connect();
    await other.query('ALTER TABLE t ADD COLUMN extra text');
    await other.end();
    // Postgres refuses the old plan ("cached plan must not change result type"); the client retries unnamed.
    expect(await all()).toEqual([
      { id: 1, label: 'one', extra: null },
      { id: 2, label: 'two', extra: null },
    ]);
    expect(await all()).toHaveLength(2);
  });
});
