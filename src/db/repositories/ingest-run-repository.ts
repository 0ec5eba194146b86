import { sql, type Kysely } from 'kysely';
import type { DB, IngestRunRow } from '../schema.js';

export interface IngestRunCounts {
  fetched: number;
  new: number;
  duplicates: number;
  errors: number;
}

export interface SourceValidators {
  etag: string | null;
  last_modified: string | null;
}

export interface IngestRunCursor {
  started_at: string;
  id: number;
}

export type IngestRunListRow = IngestRunRow & { cursor_started_at: string };

/** Postgres unique_violation: the partial unique index allows one running run per source. */
function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/** The ingestion ledger: one row per source run (with its lease) and the HTTP validators remembered per source. */
export class IngestRunRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Starts a run that holds the source's lease. Returns undefined when another run of the source is
   * still marked running (the partial unique index refused the row).
   */
  async start(source: string, trigger: string, owner: string, details: Record<string, unknown> = {}): Promise<IngestRunRow | undefined> {
    try {
      return await this.db
        .insertInto('ingest_runs')
        .values({ source, trigger, status: 'running', owner, heartbeat_at: new Date(), details: JSON.stringify(details) })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (err) {
      if (isUniqueViolation(err)) return undefined;
      throw err;
    }
  }

  /** The running run of a source, if any. */
  findRunning(source: string): Promise<IngestRunRow | undefined> {
    return this.db.selectFrom('ingest_runs').selectAll().where('source', '=', source).where('status', '=', 'running').executeTakeFirst();
  }

  /** Every run still marked running (any source). */
  listRunning(): Promise<IngestRunRow[]> {
    return this.db.selectFrom('ingest_runs').selectAll().where('status', '=', 'running').orderBy('id').execute();
  }

  /** Records progress after a committed batch; doubles as the lease heartbeat. */
  async progress(id: number, counts: IngestRunCounts, details: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('ingest_runs')
      .set({ ...counts, details: JSON.stringify(details), heartbeat_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  async heartbeat(id: number): Promise<void> {
    await this.db
      .updateTable('ingest_runs')
      .set({ heartbeat_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  async finish(
    id: number,
    status: 'succeeded' | 'failed',
    counts: IngestRunCounts,
    details: Record<string, unknown>,
    errorMessage: string | null = null,
  ): Promise<void> {
    await this.db
      .updateTable('ingest_runs')
      .set({ ...counts, status, details: JSON.stringify(details), error_message: errorMessage, finished_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  /** Marks a run whose owner is gone as failed; only if it is still running (another process may have done it). */
  async abandon(id: number, reason: string): Promise<boolean> {
    const r = await this.db
      .updateTable('ingest_runs')
      .set({ status: 'failed', error_message: reason, finished_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  findById(id: number): Promise<IngestRunRow | undefined> {
    return this.db.selectFrom('ingest_runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Keyset page, newest first, optionally for one source and/or status. */
  list(filter: { source?: string; status?: IngestRunRow['status'] }, limit: number, after?: IngestRunCursor): Promise<IngestRunListRow[]> {
    let q = this.db
      .selectFrom('ingest_runs')
      .selectAll()
      .select(sql<string>`started_at::text`.as('cursor_started_at'));
    if (filter.source) q = q.where('source', '=', filter.source);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (after) {
      q = q.where((eb) => eb(eb.refTuple('started_at', 'id'), '<', eb.tuple(sql<Date>`${after.started_at}::timestamptz`, after.id)));
    }
    return q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  async getValidators(source: string): Promise<SourceValidators | undefined> {
    return this.db.selectFrom('ingest_source_state').select(['etag', 'last_modified']).where('source', '=', source).executeTakeFirst();
  }

  /**
   * Remembers what the last complete fetch of a source returned. `validators` is given only after the
   * whole document was processed, so a crash mid-run never leaves a validator that would hide the
   * unprocessed items behind a 304.
   */
  async recordFetch(source: string, status: number, validators?: SourceValidators): Promise<void> {
    const row = {
      source,
      last_fetched_at: new Date(),
      last_status: status,
      ...(validators ? { etag: validators.etag, last_modified: validators.last_modified } : {}),
    };
    const { source: _key, ...update } = row;
    await this.db
      .insertInto('ingest_source_state')
      .values(row)
      .onConflict((oc) => oc.column('source').doUpdateSet(update))
      .execute();
  }
}
