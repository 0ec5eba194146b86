import type { Kysely } from 'kysely';
import type { DB, SignpostRow } from '../schema.js';

const COLUMNS = [
  'code',
  'name',
  'category',
  'metric_code',
  'baseline',
  'target',
  'first_class',
  'monitor_only',
  'description',
  'why_it_matters',
  'sources',
  'display_order',
  'updated_at',
] as const;

/** Signposts as loaded from the catalog, in catalog order. */
export class SignpostRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Keyset page in catalog order (display_order, code). */
  list(filter: { category?: string }, limit: number, after?: { order: number; code: string }): Promise<SignpostRow[]> {
    let q = this.db.selectFrom('signposts').select(COLUMNS);
    if (filter.category) q = q.where('category', '=', filter.category);
    if (after) q = q.where((eb) => eb(eb.refTuple('display_order', 'code'), '>', eb.tuple(after.order, after.code)));
    return q.orderBy('display_order').orderBy('code').limit(limit).execute();
  }

  findByCode(code: string): Promise<SignpostRow | undefined> {
    return this.db.selectFrom('signposts').select(COLUMNS).where('code', '=', code).executeTakeFirst();
  }
}
