import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Catalog } from '../../domain/catalog.js';

/** Catalog tables: metrics, signposts and forecasts, written only from the validated catalog files. */
export class CatalogRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Upserts the whole catalog in one transaction; forecasts no longer in the files are removed. */
  async sync(catalog: Catalog): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const m of catalog.metrics) {
        const row = {
          code: m.code,
          name: m.name,
          unit: m.unit,
          scale: m.scale,
          direction: m.direction,
          aliases: JSON.stringify(m.aliases),
          description: m.description,
          sources: JSON.stringify(m.sources),
          updated_at: new Date(),
        };
        await trx
          .insertInto('metrics')
          .values(row)
          .onConflict((oc) => oc.column('code').doUpdateSet(row))
          .execute();
      }
      let order = 0;
      for (const s of catalog.signposts) {
        const row = {
          code: s.code,
          name: s.name,
          category: s.category,
          metric_code: s.metric,
          baseline: s.baseline,
          target: s.target,
          first_class: s.first_class,
          monitor_only: s.monitor_only,
          description: s.description,
          why_it_matters: s.why_it_matters,
          sources: JSON.stringify(s.sources),
          display_order: order++,
          updated_at: new Date(),
        };
        await trx
          .insertInto('signposts')
          .values(row)
          .onConflict((oc) => oc.column('code').doUpdateSet(row))
          .execute();
      }
      await trx.deleteFrom('forecasts').execute();
      if (catalog.forecasts.length > 0) {
        await trx
          .insertInto('forecasts')
          .values(
            catalog.forecasts.map((f) => ({
              signpost_code: f.signpost,
              forecaster: f.forecaster,
              predicted_date: f.predicted_date,
              interval_low: f.interval_low ?? null,
              interval_high: f.interval_high ?? null,
              confidence: f.confidence ?? null,
              quote: f.quote ?? null,
              url: f.url,
              published_at: f.published_at,
            })),
          )
          .onConflict((oc) => oc.columns(['signpost_code', 'forecaster', 'predicted_date']).doNothing())
          .execute();
      }
    });
  }
}
