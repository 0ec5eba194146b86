import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, SnapshotRow } from '../schema.js';

type Executor = Kysely<DB> | Transaction<DB>;

export interface SnapshotWrite {
  as_of: string;
  preset: string;
  methodology_version: number;
  composite: number | null;
  status: string;
  payload: Record<string, unknown>;
}

export interface SnapshotHistoryRow {
  as_of: string;
  composite: unknown;
  categories: unknown;
  safety_margin: unknown;
  inputs: unknown;
}

/** Rows per INSERT: payloads are ~12 KB, so a batch stays a few MB. */
const BATCH = 100;

/** Daily index snapshots, one per (day, preset, methodology version). */
export class SnapshotRepository {
  constructor(private readonly db: Kysely<DB>) {}

  transaction<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /**
   * Serialises snapshot writers for the rest of the transaction (two recomputes never interleave their
   * changelog checks). A transaction-scoped advisory lock: safe behind PgBouncer in transaction mode.
   */
  async lockWriters(trx: Transaction<DB>): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtext('agi-tracker:index-snapshots'))`.execute(trx);
  }

  /** Inserts or replaces snapshots on (as_of, preset, methodology_version). */
  async upsertMany(trx: Transaction<DB>, rows: readonly SnapshotWrite[]): Promise<void> {
    for (let i = 0; i < rows.length; i += BATCH) {
      const values = rows.slice(i, i + BATCH).map((r) => ({ ...r, payload: JSON.stringify(r.payload) }));
      await trx
        .insertInto('index_snapshots')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['as_of', 'preset', 'methodology_version']).doUpdateSet((eb) => ({
            composite: eb.ref('excluded.composite'),
            status: eb.ref('excluded.status'),
            payload: eb.ref('excluded.payload'),
          })),
        )
        .execute();
    }
  }

  find(asOf: string, preset: string, version: number, exec: Executor = this.db): Promise<SnapshotRow | undefined> {
    return exec
      .selectFrom('index_snapshots')
      .selectAll()
      .where('as_of', '=', asOf)
      .where('preset', '=', preset)
      .where('methodology_version', '=', version)
      .executeTakeFirst();
  }

  /**
   * The aggregate parts of one preset's snapshots with as_of in [from, to], oldest first. Signpost
   * detail stays in the database: a history chart needs only the scores.
   */
  history(preset: string, version: number, from: string, to: string, exec: Executor = this.db): Promise<SnapshotHistoryRow[]> {
    return exec
      .selectFrom('index_snapshots')
      .select([
        'as_of',
        sql<unknown>`payload->'composite'`.as('composite'),
        sql<unknown>`payload->'categories'`.as('categories'),
        sql<unknown>`payload->'safety_margin'`.as('safety_margin'),
        sql<unknown>`payload->'inputs'`.as('inputs'),
      ])
      .where('preset', '=', preset)
      .where('methodology_version', '=', version)
      .where('as_of', '>=', from)
      .where('as_of', '<=', to)
      .orderBy('as_of')
      .execute();
  }

  /** Which (day, preset) pairs already have a snapshot in [from, to]. */
  async existingDays(
    version: number,
    from: string,
    to: string,
    exec: Executor = this.db,
  ): Promise<Array<{ as_of: string; preset: string }>> {
    return exec
      .selectFrom('index_snapshots')
      .select(['as_of', 'preset'])
      .where('methodology_version', '=', version)
      .where('as_of', '>=', from)
      .where('as_of', '<=', to)
      .execute();
  }
}
