import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { DB } from './schema.js';
import { acquireDataDirLock } from './data-dir-lock.js';

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

// Counts and sums come back as int8/numeric; our values fit in a double. Dates stay 'YYYY-MM-DD'
// strings so no time zone ever shifts a day.
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(NUMERIC, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Database {
  /** Primary handle: all writes, and reads that must see them. */
  db: Kysely<DB>;
  /** Analytics reads (history, exports): the replica when DATABASE_REPLICA_URL is set, else the primary. */
  reader: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  /** True when the pgvector extension is installed in this database. */
  hasVector(): Promise<boolean>;
  /** Round trip to the database, failing after timeoutMs. */
  ping(timeoutMs?: number): Promise<void>;
  poolStats(): PoolStats;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url?: string;
  replicaUrl?: string;
  poolMax?: number;
  dataDir?: string;
  /** Keep the embedded database in memory (tests). */
  inMemory?: boolean;
  applicationName?: string;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function makePool(url: string, max: number, applicationName: string): pg.Pool {
  // No named prepared statements, no session state, no advisory session locks: safe behind
  // PgBouncer in transaction mode.
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: applicationName,
  });
  // An idle client that loses its server (Postgres restarted) emits here; without a listener it would crash the process.
  pool.on('error', () => {});
  return pool;
}

/** The one database factory: server Postgres when a URL is given, embedded PGlite otherwise. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts);
  return openPglite(opts);
}

async function openPostgres(url: string, opts: DatabaseOptions): Promise<Database> {
  const appName = opts.applicationName ?? 'agi-tracker';
  const pool = makePool(url, opts.poolMax ?? 10, appName);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const replicaPool = opts.replicaUrl ? makePool(opts.replicaUrl, opts.poolMax ?? 10, `${appName}-replica`) : undefined;
  const reader = replicaPool ? new Kysely<DB>({ dialect: new PostgresDialect({ pool: replicaPool }) }) : db;
  let vectorCache: boolean | undefined;
  return {
    db,
    reader,
    kind: 'postgres',
    async hasVector() {
      if (vectorCache === undefined) {
        const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'vector'`.execute(db);
        vectorCache = (r.rows[0]?.n ?? 0) > 0;
      }
      return vectorCache;
    },
    async ping(timeoutMs = 2_000) {
      await withTimeout(sql`SELECT 1`.execute(db), timeoutMs, 'database ping');
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await db.destroy();
      if (replicaPool) await reader.destroy();
    },
  };
}

async function openPglite(opts: DatabaseOptions): Promise<Database> {
  const dataDir = opts.inMemory ? undefined : path.resolve(opts.dataDir ?? './data', 'pglite');
  const release = dataDir ? acquireDataDirLock(path.dirname(dataDir)) : () => {};
  let client: PGlite;
  try {
    client = await PGlite.create({
      dataDir,
      extensions: { vector },
      parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v), [DATE]: (v: string) => v },
    });
  } catch (err) {
    release();
    throw err;
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
  let closed = false;
  return {
    db,
    reader: db,
    kind: 'pglite',
    async hasVector() {
      const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'vector'`.execute(db);
      return (r.rows[0]?.n ?? 0) > 0;
    },
    async ping(timeoutMs = 2_000) {
      await withTimeout(sql`SELECT 1`.execute(db), timeoutMs, 'database ping');
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.destroy(); // the dialect closes the PGlite client
      } finally {
        release();
      }
    },
  };
}
