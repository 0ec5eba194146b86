import type { Kysely } from 'kysely';
import { runScript } from './run-script.js';

/**
 * The LLM ledger records a call before it is made: a row starts as `reserved` (holding the call's
 * maximum cost) and is settled to ok, failed or cancelled. A row left `reserved` by a crashed
 * process is visible, and the sweeper expires it and frees its reservation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    ALTER TABLE llm_usage DROP CONSTRAINT IF EXISTS llm_usage_status_check;
    ALTER TABLE llm_usage ADD CONSTRAINT llm_usage_status_check CHECK (status IN ('reserved', 'ok', 'failed', 'cancelled'));
    ALTER TABLE llm_usage ADD COLUMN settled_at timestamptz;
    CREATE INDEX idx_llm_usage_reserved ON llm_usage (created_at) WHERE status = 'reserved';
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    DROP INDEX IF EXISTS idx_llm_usage_reserved;
    UPDATE llm_usage SET status = 'failed', error = coalesce(error, 'unsettled reservation (migration rolled back)') WHERE status = 'reserved';
    ALTER TABLE llm_usage DROP COLUMN IF EXISTS settled_at;
    ALTER TABLE llm_usage DROP CONSTRAINT IF EXISTS llm_usage_status_check;
    ALTER TABLE llm_usage ADD CONSTRAINT llm_usage_status_check CHECK (status IN ('ok', 'failed', 'cancelled'));
  `,
  );
}
