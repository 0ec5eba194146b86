import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Logger } from 'pino';
import * as coreSchema from './20251020115051_core_schema.js';
import * as addEmbeddings from './20251029_add_embeddings.js';
import * as compositeIndexes from './20251029_p0_composite_indexes.js';
import * as auditLog from './20251029_p1_audit_log.js';
import * as llmUsageReservations from './20251101_llm_usage_reservations.js';
import * as ingestRunLeases from './20251105_ingest_run_leases.js';
import * as eventLinks from './20251126_event_links.js';

export interface MigrationContext {
  log: Pick<Logger, 'info' | 'warn'>;
}

interface MigrationModule {
  up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void>;
  down(db: Kysely<unknown>, ctx: MigrationContext): Promise<void>;
}

/**
 * Every migration, in order. Listed here rather than read from the folder so the same list works
 * from TypeScript sources and from the compiled build. Names keep the seed guide's revisions.
 */
const MIGRATIONS: Array<[string, MigrationModule]> = [
  ['20251020115051_core_schema', coreSchema],
  ['20251029_add_embeddings', addEmbeddings],
  ['20251029_p0_composite_indexes', compositeIndexes],
  ['20251029_p1_audit_log', auditLog],
  ['20251101_llm_usage_reservations', llmUsageReservations],
  ['20251105_ingest_run_leases', ingestRunLeases],
  ['20251126_event_links', eventLinks],
];

export const MIGRATION_NAMES = MIGRATIONS.map(([name]) => name);

export function migrationProvider(ctx: MigrationContext): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, m] of MIGRATIONS) {
        out[name] = { up: (db) => m.up(db, ctx), down: (db) => m.down(db, ctx) };
      }
      return out;
    },
  };
}
