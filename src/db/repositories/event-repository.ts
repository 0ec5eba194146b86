import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB, EventRow, NewEvent, NewObservation, ObservationRow } from '../schema.js';
import type { Tier } from '../../domain/catalog.js';

export interface EventWithObservations {
  event: NewEvent;
  observations: Array<Omit<NewObservation, 'event_id'>>;
}

/** An event row as the API reads it: the stored columns (minus the search vector) and its exact keyset position. */
export type EventListRow = EventRow & {
  /** published_at as Postgres text, microseconds included, so a cursor resumes exactly after this row. */
  cursor_published_at: string;
};

export interface EventFilter {
  tiers?: readonly Tier[];
  /**
   * Only events with an approved observation on this signpost, or on a signpost of this category
   * (read from event_links); `false` matches nothing (e.g. a signpost outside the asked category).
   */
  linkedTo?: { signpost: string } | { category: string } | false;
  since?: Date;
  until?: { at: Date; inclusive: boolean };
  /** Full text (websearch syntax) over title, summary and publisher. */
  q?: string;
  includeRetracted?: boolean;
}

export interface EventCursor {
  published_at: string;
  id: number;
}

export interface SearchCursor {
  rank: number;
  id: number;
}

export type SearchRow = EventSummaryRow & { rank: number };

type Executor = Kysely<DB> | Transaction<DB>;
type EventsEb = ExpressionBuilder<DB, 'events'>;

/** Every column the API shows; the tsvector and embedding stay in the database. */
const EVENT_COLUMNS = [
  'events.id',
  'events.title',
  'events.summary',
  'events.url',
  'events.canonical_url',
  'events.publisher',
  'events.source_type',
  'events.source_id',
  'events.tier',
  'events.published_at',
  'events.ingested_at',
  'events.content_hash',
  'events.retracted',
  'events.retracted_reason',
  'events.retracted_at',
  'events.analysis',
] as const;

/** What lists show: no LLM analysis (can be large), no dedup keys. */
const SUMMARY_COLUMNS = EVENT_COLUMNS.filter(
  (c) => c !== 'events.analysis' && c !== 'events.canonical_url' && c !== 'events.content_hash' && c !== 'events.source_id',
) as Array<
  Exclude<(typeof EVENT_COLUMNS)[number], 'events.analysis' | 'events.canonical_url' | 'events.content_hash' | 'events.source_id'>
>;

const cursorColumn = sql<string>`events.published_at::text`.as('cursor_published_at');

/** An event as lists show it, with its keyset position and its non-rejected observations. */
export type EventSummaryRow = Omit<EventRow, 'analysis' | 'canonical_url' | 'content_hash' | 'source_id'> & { cursor_published_at: string };
export type EventWithLinksRow = EventSummaryRow & { links: ObservationRow[] };

/** The event_links key of a signpost or category filter. */
function linkKey(linkedTo: { signpost: string } | { category: string }): string {
  return 'signpost' in linkedTo ? `signpost:${linkedTo.signpost}` : `category:${linkedTo.category}`;
}

/**
 * The evidence ledger's events: writes (import, retraction) and the API's reads. List queries are
 * shaped for the composite indexes of migration 20251029_p0_composite_indexes: newest first by
 * (published_at DESC, id DESC), `NOT retracted` spelled literally so the partial indexes apply.
 */
export class EventRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Inserts events and their observations inside the caller's transaction. Dedup happens in the insert
   * itself (unique content_hash, ON CONFLICT DO NOTHING), so concurrent writers cannot duplicate a row.
   * Returns the id of each new event, or null where the event already existed.
   * With `skipKnownUrls`, an event whose canonical URL is already in the ledger (or earlier in the
   * batch) also counts as existing: checked in the same transaction, backed by idx_events_canonical_url.
   */
  async insertMany(
    trx: Transaction<DB>,
    items: EventWithObservations[],
    opts: { skipKnownUrls?: boolean } = {},
  ): Promise<Array<number | null>> {
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

  /**
   * The WHERE clause shared by the list, the exports, the feeds and search. `linkedTo` is tested here
   * only when asked (search): the list drives its scan from event_links instead.
   */
  private filterWhere(eb: EventsEb, filter: EventFilter, opts: { linkedTo: boolean }): Expression<SqlBool> {
    const parts: Expression<SqlBool>[] = [];
    if (!filter.includeRetracted) parts.push(sql<SqlBool>`NOT events.retracted`);
    if (filter.tiers && filter.tiers.length > 0) {
      parts.push(filter.tiers.length === 1 ? eb('events.tier', '=', filter.tiers[0]!) : eb('events.tier', 'in', [...filter.tiers]));
    }
    if (filter.since) parts.push(eb('events.published_at', '>=', filter.since));
    if (filter.until) parts.push(eb('events.published_at', filter.until.inclusive ? '<=' : '<', filter.until.at));
    if (filter.q !== undefined) parts.push(sql<SqlBool>`events.search @@ websearch_to_tsquery('english', ${filter.q})`);
    if (opts.linkedTo && filter.linkedTo) {
      parts.push(
        eb.exists(
          eb
            .selectFrom('event_links as l')
            .select(sql`1`.as('one'))
            .whereRef('l.event_id', '=', 'events.id')
            .where('l.link', '=', linkKey(filter.linkedTo)),
        ),
      );
    }
    return eb.and(parts);
  }

  /**
   * One keyset page, newest first, each event with its non-rejected observations; pass the last row's
   * (published_at text, id) to continue. With `linkedTo`, the page is a range of event_links' primary
   * key joined to events (the same order: event_links copies published_at).
   */
  async list(filter: EventFilter, limit: number, after?: EventCursor, exec: Executor = this.db): Promise<EventWithLinksRow[]> {
    if (filter.linkedTo === false) return [];
    const linkedTo = filter.linkedTo;
    const position = after && sql<Date>`${after.published_at}::timestamptz`;
    if (linkedTo) {
      let q = exec
        .selectFrom('event_links as l')
        .innerJoin('events', 'events.id', 'l.event_id')
        .select([...SUMMARY_COLUMNS, cursorColumn])
        .where('l.link', '=', linkKey(linkedTo))
        // filterWhere reads only events columns, which the joined builder has too. The date range
        // applies to l.published_at instead (the same value), so it narrows the key range.
        .where((eb) => this.filterWhere(eb as unknown as EventsEb, { ...filter, since: undefined, until: undefined }, { linkedTo: false }));
      if (filter.since) q = q.where('l.published_at', '>=', filter.since);
      if (filter.until) q = q.where('l.published_at', filter.until.inclusive ? '<=' : '<', filter.until.at);
      if (after) q = q.where((eb) => eb(eb.refTuple('l.published_at', 'l.event_id'), '<', eb.tuple(position!, after.id)));
      return this.withLinks(await q.orderBy('l.published_at', 'desc').orderBy('l.event_id', 'desc').limit(limit).execute(), exec);
    }
    let q = exec
      .selectFrom('events')
      .select([...SUMMARY_COLUMNS, cursorColumn])
      .where((eb) => this.filterWhere(eb, filter, { linkedTo: false }));
    if (after) q = q.where((eb) => eb(eb.refTuple('events.published_at', 'events.id'), '<', eb.tuple(position!, after.id)));
    return this.withLinks(await q.orderBy('events.published_at', 'desc').orderBy('events.id', 'desc').limit(limit).execute(), exec);
  }

  /** Full-text search ranked by ts_rank (title weighs most), ties broken by id; keyset on (rank, id). */
  async search(
    query: string,
    filter: Omit<EventFilter, 'q'>,
    limit: number,
    after?: SearchCursor,
    exec: Executor = this.db,
  ): Promise<Array<SearchRow & { links: ObservationRow[] }>> {
    if (filter.linkedTo === false) return [];
    const tsquery = sql`websearch_to_tsquery('english', ${query})`;
    const rank = sql<number>`ts_rank(events.search, ${tsquery})`;
    let q = exec
      .selectFrom('events')
      .select([...SUMMARY_COLUMNS, cursorColumn, rank.as('rank')])
      .where((eb) => this.filterWhere(eb, { ...filter, q: query }, { linkedTo: true }));
    if (after) {
      q = q.where((eb) => eb(eb.tuple(rank, eb.ref('events.id')), '<', eb.tuple(sql<number>`${after.rank}::real`, after.id)));
    }
    return this.withLinks(
      await q
        .orderBy(sql`ts_rank(events.search, ${tsquery})`, 'desc')
        .orderBy('events.id', 'desc')
        .limit(limit)
        .execute(),
      exec,
    );
  }

  /**
   * Attaches each event's non-rejected observations, read in one statement for the whole page. The ids
   * travel as one array parameter, so the statement text is the same for every page.
   */
  private async withLinks<R extends { id: number }>(rows: R[], exec: Executor): Promise<Array<R & { links: ObservationRow[] }>> {
    if (rows.length === 0) return [];
    const observations = await exec
      .selectFrom('observations')
      .selectAll()
      .where('event_id', '=', sql<number>`ANY(${rows.map((r) => r.id)}::integer[])`)
      .where('status', '<>', 'rejected')
      .orderBy('event_id')
      .orderBy('signpost_code')
      .execute();
    const byEvent = new Map<number, ObservationRow[]>();
    for (const o of observations) {
      const list = byEvent.get(o.event_id);
      if (list) list.push(o);
      else byEvent.set(o.event_id, [o]);
    }
    return rows.map((r) => ({ ...r, links: byEvent.get(r.id) ?? [] }));
  }

  findById(id: number, exec: Executor = this.db): Promise<EventListRow | undefined> {
    return exec
      .selectFrom('events')
      .select([...EVENT_COLUMNS, cursorColumn])
      .where('events.id', '=', id)
      .executeTakeFirst();
  }

  /** Reads and locks the event row for the rest of the transaction (serialises curation of one event). */
  lockById(trx: Transaction<DB>, id: number): Promise<EventListRow | undefined> {
    return trx
      .selectFrom('events')
      .select([...EVENT_COLUMNS, cursorColumn])
      .where('events.id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }

  async retract(trx: Transaction<DB>, id: number, reason: string, at: Date): Promise<void> {
    await trx.updateTable('events').set({ retracted: true, retracted_reason: reason, retracted_at: at }).where('id', '=', id).execute();
  }

  /** Events that have pending observations, newest first (the curators' review queue). */
  listWithPendingObservations(limit: number, after?: EventCursor, exec: Executor = this.db): Promise<EventListRow[]> {
    let q = exec
      .selectFrom('events')
      .select([...EVENT_COLUMNS, cursorColumn])
      .where(sql<SqlBool>`NOT events.retracted`)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('observations as o')
            .select(sql`1`.as('one'))
            .whereRef('o.event_id', '=', 'events.id')
            .where('o.status', '=', 'pending'),
        ),
      );
    if (after) {
      q = q.where((eb) =>
        eb(eb.refTuple('events.published_at', 'events.id'), '<', eb.tuple(sql<Date>`${after.published_at}::timestamptz`, after.id)),
      );
    }
    return q.orderBy('events.published_at', 'desc').orderBy('events.id', 'desc').limit(limit).execute();
  }

  /** Earliest publication date (UTC, YYYY-MM-DD) among these events; undefined for none. */
  async earliestPublishedDay(ids: readonly number[], exec: Executor = this.db): Promise<string | undefined> {
    if (ids.length === 0) return undefined;
    const row = await exec
      .selectFrom('events')
      .select(sql<string | null>`to_char(min(published_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('day'))
      .where('id', 'in', [...ids])
      .executeTakeFirst();
    return row?.day ?? undefined;
  }
}
