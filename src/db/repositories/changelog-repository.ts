import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { ChangelogRow, DB } from '../schema.js';

type Executor = Kysely<DB> | Transaction<DB>;

export interface ChangelogWrite {
  kind: string;
  title: string;
  body: string;
  preset: string | null;
  as_of: string;
  details: Record<string, unknown>;
}

export interface ChangelogCursor {
  as_of: string;
  id: number;
}

/** What changed and why: index moves found by snapshots, retractions and other curator decisions. */
export class ChangelogRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(trx: Executor, entry: ChangelogWrite): Promise<ChangelogRow> {
    return trx
      .insertInto('changelog')
      .values({ ...entry, details: JSON.stringify(entry.details) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Entries of these kinds for these presets with as_of in [from, to] (the computed entries a recompute reconciles). */
  computedEntries(trx: Executor, kinds: readonly string[], presets: readonly string[], from: string, to: string): Promise<ChangelogRow[]> {
    if (presets.length === 0) return Promise.resolve([]);
    return trx
      .selectFrom('changelog')
      .selectAll()
      .where('kind', 'in', [...kinds])
      .where('preset', 'in', [...presets])
      .where('as_of', '>=', from)
      .where('as_of', '<=', to)
      .execute();
  }

  async update(trx: Executor, id: number, entry: Pick<ChangelogWrite, 'title' | 'body' | 'details'>): Promise<void> {
    await trx
      .updateTable('changelog')
      .set({ title: entry.title, body: entry.body, details: JSON.stringify(entry.details) })
      .where('id', '=', id)
      .execute();
  }

  async delete(trx: Executor, ids: readonly number[]): Promise<void> {
    if (ids.length > 0)
      await trx
        .deleteFrom('changelog')
        .where('id', 'in', [...ids])
        .execute();
  }

  /** Newest first by the day the change took effect, then id. */
  list(
    filter: { preset?: string; kinds?: readonly string[] },
    limit: number,
    after?: ChangelogCursor,
    exec: Executor = this.db,
  ): Promise<ChangelogRow[]> {
    let q = exec.selectFrom('changelog').selectAll().where('as_of', 'is not', null);
    if (filter.preset) q = q.where((eb) => eb.or([eb('preset', '=', filter.preset!), eb('preset', 'is', null)]));
    if (filter.kinds && filter.kinds.length > 0) q = q.where('kind', 'in', [...filter.kinds]);
    if (after) q = q.where(sql<SqlBool>`(as_of, id) < (${after.as_of}::date, ${after.id})`);
    return q.orderBy('as_of', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }
}
