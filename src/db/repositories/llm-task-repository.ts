import { sql, type Kysely } from 'kysely';
import type { DB, NewObservation } from '../schema.js';
import type { EventDocument } from './search-repository.js';

export interface EventForTask extends EventDocument {
  source_type: string;
}

const EVENT_COLUMNS = ['id', 'title', 'summary', 'url', 'publisher', 'tier', 'published_at', 'source_type'] as const;

/** Reads and writes of the LLM tasks: event analyses, unmapped events, the week's events, LLM observations. */
export class LlmTaskRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async event(id: number): Promise<EventForTask | undefined> {
    return this.db.selectFrom('events').select(EVENT_COLUMNS).where('id', '=', id).where('retracted', '=', false).executeTakeFirst();
  }

  async setAnalysis(id: number, analysis: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('events')
      .set({ analysis: JSON.stringify(analysis) })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Events to analyse: never analysed, or analysed offline for a reason that may have passed (no
   * provider then, budget exhausted then). Outputs that failed validation are not retried forever.
   */
  async eventsNeedingAnalysis(limit: number, retryReasons: string[]): Promise<number[]> {
    const rows = await this.db
      .selectFrom('events')
      .select('id')
      .where('retracted', '=', false)
      .where((eb) =>
        eb.or([
          eb('analysis', 'is', null),
          ...(retryReasons.length
            ? [sql<boolean>`analysis->>'method' = 'offline' AND analysis->>'reason' IN (${sql.join(retryReasons)})`]
            : []),
        ]),
      )
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Events after `afterId` that carry no observation at all: what the extraction rules could not map. */
  async unmappedEventsAfter(afterId: number, limit: number): Promise<EventForTask[]> {
    return this.db
      .selectFrom('events as e')
      .select(EVENT_COLUMNS.map((c) => `e.${c}` as const))
      .where('e.id', '>', afterId)
      .where('e.retracted', '=', false)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('observations as o').select('o.id').whereRef('o.event_id', '=', 'e.id'))),
      )
      .orderBy('e.id')
      .limit(limit)
      .execute();
  }

  async maxEventId(): Promise<number> {
    const r = await this.db
      .selectFrom('events')
      .select(sql<number>`coalesce(max(id), 0)`.as('m'))
      .executeTakeFirstOrThrow();
    return Number(r.m);
  }

  /** Events published in [since, until), A/B first then newest. */
  async eventsPublishedBetween(since: Date, until: Date, limit: number): Promise<EventForTask[]> {
    return this.db
      .selectFrom('events')
      .select(EVENT_COLUMNS)
      .where('retracted', '=', false)
      .where('published_at', '>=', since)
      .where('published_at', '<', until)
      .orderBy('tier')
      .orderBy('published_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** Inserts observations; an (event, signpost) pair that already exists is left as it is. Returns how many were new. */
  async insertObservations(rows: NewObservation[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = await this.db
      .insertInto('observations')
      .values(rows)
      .onConflict((oc) => oc.columns(['event_id', 'signpost_code']).doNothing())
      .returning('id')
      .execute();
    return inserted.length;
  }
}
