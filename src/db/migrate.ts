import { Migrator, NO_MIGRATIONS, type MigrationResultSet } from 'kysely';
import type { Kysely } from 'kysely';
import { migrationProvider, MIGRATION_NAMES, type MigrationContext } from './migrations/index.js';

export interface MigrationStatus {
  name: string;
  applied: boolean;
  executed_at: Date | null;
}

function migrator(db: Kysely<unknown>, ctx: MigrationContext): Migrator {
  return new Migrator({ db, provider: migrationProvider(ctx) });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const err = result.error instanceof Error ? result.error : new Error(String(result.error));
    if (failed) err.message = `migration ${failed.migrationName} failed: ${err.message}`;
    throw err;
  }
  return (result.results ?? []).map((r) => `${r.direction === 'Up' ? 'applied' : 'reverted'} ${r.migrationName}`);
}

/** Applies every pending migration; returns what it did. */
export async function migrateUp(db: Kysely<any>, ctx: MigrationContext): Promise<string[]> {
  return unwrap(await migrator(db, ctx).migrateToLatest());
}

/** Reverts the last applied migration. */
export async function migrateDown(db: Kysely<any>, ctx: MigrationContext): Promise<string[]> {
  return unwrap(await migrator(db, ctx).migrateDown());
}

/** Moves to the named revision (up or down); `base` reverts everything. */
export async function migrateTo(db: Kysely<any>, ctx: MigrationContext, name: string): Promise<string[]> {
  if (name !== 'base' && !MIGRATION_NAMES.includes(name)) {
    throw new Error(`unknown migration "${name}"; known: base, ${MIGRATION_NAMES.join(', ')}`);
  }
  return unwrap(await migrator(db, ctx).migrateTo(name === 'base' ? NO_MIGRATIONS : name));
}

export async function migrationStatus(db: Kysely<any>, ctx: MigrationContext): Promise<MigrationStatus[]> {
  const list = await migrator(db, ctx).getMigrations();
  return list.map((m) => ({ name: m.name, applied: m.executedAt !== undefined, executed_at: m.executedAt ?? null }));
}
