import type { Kysely } from 'kysely';
import type { DB, ForecastRow } from '../schema.js';

/** Expert forecasts per signpost (loaded from the catalog). */
export class ForecastRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Keyset page by id. */
  list(filter: { signpost?: string }, limit: number, afterId?: number): Promise<ForecastRow[]> {
    let q = this.db.selectFrom('forecasts').selectAll();
    if (filter.signpost) q = q.where('signpost_code', '=', filter.signpost);
    if (afterId !== undefined) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).execute();
  }

  /** Every forecast of one signpost (a handful), earliest predicted date first. */
  forSignpost(code: string): Promise<ForecastRow[]> {
    return this.db
      .selectFrom('forecasts')
      .selectAll()
      .where('signpost_code', '=', code)
      .orderBy('predicted_date')
      .orderBy('id')
      .limit(200)
      .execute();
  }
}
