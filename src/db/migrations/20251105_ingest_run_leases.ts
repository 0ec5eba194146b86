import { type Kysely } from 'kysely';
import { runScript } from './run-script.js';

/**
 * Ingestion runs carry a lease: the process that owns a running run (`owner`) and when it last
 * showed it was alive (`heartbeat_at`). A partial unique index allows one running run per source,
 * so two processes can never ingest the same source at once; a run whose owner died is marked
 * failed by the next process that wants the source.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    ALTER TABLE ingest_runs ADD COLUMN owner text;
    ALTER TABLE ingest_runs ADD COLUMN heartbeat_at timestamptz;
    CREATE UNIQUE INDEX idx_ingest_runs_one_running ON ingest_runs (source) WHERE status = 'running';
    CREATE INDEX idx_ingest_runs_source_started ON ingest_runs (source, started_at DESC, id DESC);
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    DROP INDEX idx_ingest_runs_source_started;
    DROP INDEX idx_ingest_runs_one_running;
    ALTER TABLE ingest_runs DROP COLUMN heartbeat_at;
    ALTER TABLE ingest_runs DROP COLUMN owner;
  `,
  );
}
