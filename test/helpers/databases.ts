import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import { bootstrap } from '../../src/services/bootstrap-service.js';

export type DatabaseKind = 'pglite' | 'postgres';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;
const IN_CI = process.env.CI === 'true';

if (IN_CI && !TEST_DATABASE_URL) {
  throw new Error('CI=true but TEST_DATABASE_URL is not set: the Postgres half of the database tests cannot be skipped in CI');
}

/** Database tests run on PGlite always, and on server Postgres when TEST_DATABASE_URL is set (always in CI). */
export function databaseKinds(): DatabaseKind[] {
  return TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** Redis tests need TEST_REDIS_URL; in CI its absence fails rather than skips. */
export function requireRedisUrl(): string | undefined {
  if (!TEST_REDIS_URL && IN_CI) throw new Error('CI=true but TEST_REDIS_URL is not set');
  return TEST_REDIS_URL;
}

export interface TestDatabase {
  url?: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, empty database: a new Postgres database per call, or in-memory PGlite (url undefined). */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') return { url: undefined, drop: async () => {} };
  const name = `agt_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(TEST_DATABASE_URL!, name),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({ ENVIRONMENT: 'test', LOG_LEVEL: 'silent', INGEST_ENABLED: 'false', ...env });
}

export interface TestContext {
  ctx: AppContext;
  database: TestDatabase;
  cleanup(): Promise<void>;
}

/**
 * A full application context on a fresh database, migrated and loaded like a first start
 * (catalog, bundled evidence, admin key from ADMIN_API_KEY).
 */
export async function createTestContext(
  kind: DatabaseKind,
  env: Record<string, string | undefined> = {},
  opts: { loadData?: boolean; redisPrefix?: string } = {},
): Promise<TestContext> {
  const database = await createTestDatabase(kind);
  const config = testConfig({ ADMIN_API_KEY: TEST_ADMIN_KEY, ...env, DATABASE_URL: database.url });
  const ctx = await createContext(config, createLogger('silent'), {
    inMemory: kind === 'pglite',
    name: 'agi-tracker-test',
    redisPrefix: opts.redisPrefix ?? `test-${randomBytes(4).toString('hex')}:`,
  });
  await bootstrap(ctx, { loadData: opts.loadData ?? true });
  return {
    ctx,
    database,
    async cleanup() {
      await ctx.close();
      await database.drop();
    },
  };
}

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';
