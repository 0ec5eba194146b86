import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB, ObservationRow } from '../schema.js';
import type { Tier } from '../../domain/catalog.js';
import type { ObservationStatus } from '../../domain/review-policy.js';

type Executor = Kysely<DB> | Transaction<DB>;

/** What the methodology needs of one observation, read from the ledger. */
export interface ScoringRow {
  id: number;
  event_id: number;
  signpost_code: string;
  value: number;
  tier: Tier;
  published_at: Date;
}

/** An observation with the event that carries it (evidence lists, signpost pages). */
export interface ObservationWithEvent extends ObservationRow {
  event_title: string;
  event_url: string;
  event_publisher: string;
  event_source_type: string;
  event_tier: Tier;
  event_published_at: Date;
  event_retracted: boolean;
  cursor_published_at: string;
}

export interface EvidenceFilter {
  signposts?: readonly string[];
  statuses: readonly ObservationStatus[];
  tiers?: readonly Tier[];
  includeRetracted?: boolean;
}

export interface EvidenceCursor {
  published_at: string;
  id: number;
}

/** Observations (event × signpost links): scoring input, evidence lists, review. */
export class ObservationRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * The scoring ledger: approved observations of non-retracted A/B events, published by the end of
   * `throughDay` (UTC) when given. The methodology applies the same rules again; filtering here keeps
   * the rows read small.
   */
  forScoring(throughDay?: string, exec: Executor = this.db): Promise<ScoringRow[]> {
    let q = exec
      .selectFrom('observations as o')
      .innerJoin('events as e', 'e.id', 'o.event_id')
      .select(['o.id', 'o.event_id', 'o.signpost_code', 'o.value', 'e.tier', 'e.published_at'])
      .where('o.status', '=', 'approved')
      .where(sql<SqlBool>`NOT e.retracted`)
      .where('e.tier', 'in', ['A', 'B']);
    if (throughDay !== undefined) {
      q = q.where(sql<SqlBool>`e.published_at < ((${throughDay}::date + 1)::timestamp AT TIME ZONE 'UTC')`);
    }
    return q.orderBy('o.id').execute();
  }

  /** Observations of these events, in event then signpost order; rejected ones only when asked. */
  forEvents(eventIds: readonly number[], opts: { includeRejected?: boolean } = {}, exec: Executor = this.db): Promise<ObservationRow[]> {
    if (eventIds.length === 0) return Promise.resolve([]);
    let q = exec
      .selectFrom('observations')
      .selectAll()
      .where('event_id', 'in', [...eventIds]);
    if (!opts.includeRejected) q = q.where('status', '<>', 'rejected');
    return q.orderBy('event_id').orderBy('signpost_code').execute();
  }

  /** Pending observations of these events (review queue). */
  pendingForEvents(eventIds: readonly number[], exec: Executor = this.db): Promise<ObservationRow[]> {
    if (eventIds.length === 0) return Promise.resolve([]);
    return exec
      .selectFrom('observations')
      .selectAll()
      .where('event_id', 'in', [...eventIds])
      .where('status', '=', 'pending')
      .orderBy('event_id')
      .orderBy('signpost_code')
      .execute();
  }

  /** Evidence list: observations with their events, newest publication first, keyset on (published_at, id). */
  list(filter: EvidenceFilter, limit: number, after?: EvidenceCursor, exec: Executor = this.db): Promise<ObservationWithEvent[]> {
    let q = this.withEvent(exec).where('o.status', 'in', [...filter.statuses]);
    if (filter.signposts && filter.signposts.length > 0) q = q.where('o.signpost_code', 'in', [...filter.signposts]);
    if (filter.tiers && filter.tiers.length > 0) q = q.where('e.tier', 'in', [...filter.tiers]);
    if (!filter.includeRetracted) q = q.where(sql<SqlBool>`NOT e.retracted`);
    if (after) {
      q = q.where((eb) =>
        eb(eb.refTuple('e.published_at', 'o.id'), '<', eb.tuple(sql<Date>`${after.published_at}::timestamptz`, after.id)),
      );
    }
    return q.orderBy('e.published_at', 'desc').orderBy('o.id', 'desc').limit(limit).execute();
  }

  findWithEvent(id: number, exec: Executor = this.db): Promise<ObservationWithEvent | undefined> {
    return this.withEvent(exec).where('o.id', '=', id).executeTakeFirst();
  }

  private withEvent(exec: Executor) {
    return exec
      .selectFrom('observations as o')
      .innerJoin('events as e', 'e.id', 'o.event_id')
      .selectAll('o')
      .select([
        'e.title as event_title',
        'e.url as event_url',
        'e.publisher as event_publisher',
        'e.source_type as event_source_type',
        'e.tier as event_tier',
        'e.published_at as event_published_at',
        'e.retracted as event_retracted',
        sql<string>`e.published_at::text`.as('cursor_published_at'),
      ]);
  }

  /**
   * Moves the event's pending observations (all, or those on the given signposts) to a review status,
   * inside the caller's transaction; returns the rows changed.
   */
  review(
    trx: Transaction<DB>,
    eventId: number,
    to: 'approved' | 'rejected',
    reviewer: { api_key_id: number | null; at: Date },
    signposts?: readonly string[],
  ): Promise<ObservationRow[]> {
    let q = trx
      .updateTable('observations')
      .set({ status: to, reviewed_by: reviewer.api_key_id, reviewed_at: reviewer.at })
      .where('event_id', '=', eventId)
      .where('status', '=', 'pending');
    if (signposts && signposts.length > 0) q = q.where('signpost_code', 'in', [...signposts]);
    return q.returningAll().execute();
  }
}
