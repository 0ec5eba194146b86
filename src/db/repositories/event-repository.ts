import type { Kysely, Transaction } from 'kysely';
import type { DB, NewEvent, NewObservation } from '../schema.js';

export interface EventWithObservations {
  event: NewEvent;
  observations: Array<Omit<NewObservation, 'event_id'>>;
}

/** Writes to the evidence ledger (events and their observations). Reads for the API live beside it. */
export class EventRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Inserts events and their observations inside the caller's transaction. Dedup happens in the insert
   * itself (unique content_hash, ON CONFLICT DO NOTHING), so concurrent writers cannot duplicate a row.
   * Returns the id of each new event, or null where the event already existed.
   * With `skipKnownUrls`, an event whose canonical URL is already in the ledger (or earlier in the
   * batch) also counts as existing: checked in the same transaction, backed by idx_events_canonical_url.
   */
  async insertMany(trx: Transaction<DB>, items: EventWithObservations[], opts: { skipKnownUrls?: boolean } = {}): Promise<Array<number | null>> {
    if (items.length === 0) return [];
    const skip = new Set<EventWithObservations>();
    if (opts.skipKnownUrls) {
      const urls = [...new Set(items.map((i) => i.event.canonical_url))];
      const known = new Set(
        (await trx.selectFrom('events').select('canonical_url').where('canonical_url', 'in', urls).execute()).map((r) => r.canonical_url),
      );
      for (const item of items) {
        if (known.has(item.event.canonical_url)) skip.add(item);
        known.add(item.event.canonical_url);
      }
    }
    const fresh = items.filter((i) => !skip.has(i));
    const inserted =
      fresh.length === 0
        ? []
        : await trx
            .insertInto('events')
            .values(fresh.map((i) => i.event))
            .onConflict((oc) => oc.column('content_hash').doNothing())
            .returning(['id', 'content_hash'])
            .execute();
    const idByHash = new Map(inserted.map((r) => [r.content_hash, r.id]));
    const observations: NewObservation[] = [];
    const ids = items.map((item) => {
      if (skip.has(item)) return null;
      const id = idByHash.get(item.event.content_hash);
      if (id === undefined) return null;
      idByHash.delete(item.event.content_hash); // a hash repeated inside one batch counts once
      for (const o of item.observations) observations.push({ ...o, event_id: id });
      return id;
    });
    if (observations.length > 0) {
      await trx
        .insertInto('observations')
        .values(observations)
        .onConflict((oc) => oc.columns(['event_id', 'signpost_code']).doNothing())
        .execute();
    }
    return ids;
  }

  transaction<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }
}
