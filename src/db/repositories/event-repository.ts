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
   */
  async insertMany(trx: Transaction<DB>, items: EventWithObservations[]): Promise<Array<number | null>> {
    if (items.length === 0) return [];
    const inserted = await trx
      .insertInto('events')
      .values(items.map((i) => i.event))
      .onConflict((oc) => oc.column('content_hash').doNothing())
      .returning(['id', 'content_hash'])
      .execute();
    const idByHash = new Map(inserted.map((r) => [r.content_hash, r.id]));
    const observations: NewObservation[] = [];
    const ids = items.map((item) => {
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
