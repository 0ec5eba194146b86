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
  /**
   * Run repeated SELECTs as named prepared statements (parsed and planned once per connection).
   * Off behind a transaction-mode pooler that cannot track them (PgBouncer before 1.21, or 1.21+
   * without max_prepared_statements); default on.
   */
  preparedStatements?: boolean;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Most SELECT texts a pool names; the rest run unnamed. Bounds the plans each server connection keeps. */
const MAX_NAMED_STATEMENTS = 256;

/**
 * Names for SELECT texts, shared by one pool's clients: the same text gets the same name on every
 * connection, and pg sends Parse only the first time a connection sees it. Postgres then reuses the
 * parse tree and, once its generic plan is as good as a custom one, the plan: on /v1/events that is
 * about half of Postgres' CPU per page. Only the first MAX_NAMED_STATEMENTS distinct texts are named
 * (queries with variable-length IN lists produce many texts).
 */
class StatementNames {
  private readonly names = new Map<string, string>();

  nameOf(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= MAX_NAMED_STATEMENTS || !/^\s*select\b/i.test(text)) return known;
    const name = `agt_${this.names.size}`;
    this.names.set(text, name);
    return name;
  }
}

/** Postgres' "cached plan must not change result type" (SQLSTATE 0A000): a migration changed a table under a prepared statement. */
function isCachedPlanChange(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}

/**
 * A pg client that sends the (text, values) queries Kysely makes as named prepared statements. If a
 * schema change invalidates one (another process migrated), the query is retried unnamed and this
 * connection stops naming statements; new connections start clean.
 */
function preparingClient(names: StatementNames): typeof pg.Client {
  return class PreparingClient extends pg.Client {
    private naming = true;

    // pg's query() has many overloads; Kysely only uses query(text, values) -> Promise.
    override query(config: any, values?: any, callback?: any): any {
      const name =
        this.naming && typeof config === 'string' && Array.isArray(values) && callback === undefined ? names.nameOf(config) : undefined;
      if (name === undefined) return super.query(config, values, callback);
      return (super.query({ name, text: config, values }) as Promise<pg.QueryResult>).catch((err: unknown) => {
        if (!isCachedPlanChange(err)) throw err;
        this.naming = false;
        return super.query(config, values);
      });
    }
  };
}

function makePool(url: string, max: number, applicationName: string, preparedStatements: boolean): pg.Pool {
  // No session state and no advisory session locks: safe behind PgBouncer in transaction mode
  // (named prepared statements only where the pooler supports them: see preparedStatements).
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: applicationName,
    ...(preparedStatements ? { Client: preparingClient(new StatementNames()) } : {}),
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
  const prepared = opts.preparedStatements ?? true;
  const pool = makePool(url, opts.poolMax ?? 10, appName, prepared);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const replicaPool = opts.replicaUrl ? makePool(opts.replicaUrl, opts.poolMax ?? 10, `${appName}-replica`, prepared) : undefined;
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
