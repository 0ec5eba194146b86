import { CATEGORIES, type Catalog, type Category, type Metric, type Signpost, type Tier } from '../domain/catalog.js';
import { parseIsoDate } from '../domain/calendar.js';
import type { ForecastAssessment } from '../domain/forecast-status.js';
import type { SignpostResult } from '../domain/methodology.js';
import type { ObservationStatus } from '../domain/review-policy.js';
import type {
  EventCursor,
  EventFilter,
  EventListRow,
  EventRepository,
  EventSummaryRow,
  SearchCursor,
} from '../db/repositories/event-repository.js';
import type { EvidenceCursor, ObservationRepository, ObservationWithEvent } from '../db/repositories/observation-repository.js';
import type { ChangelogCursor, ChangelogRepository } from '../db/repositories/changelog-repository.js';
import type { ForecastRepository } from '../db/repositories/forecast-repository.js';
import type { SignpostRepository } from '../db/repositories/signpost-repository.js';
import type { ChangelogRow, ForecastRow, ObservationRow, SignpostRow } from '../db/schema.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { DEFAULT_PRESET, type IndexService } from './index-service.js';

/** Filters of the events list as the API takes them (validated here against the catalog). */
export interface EventQuery {
  tiers?: Tier[];
  signpost?: string;
  category?: string;
  since?: string;
  until?: string;
  q?: string;
  includeRetracted?: boolean;
}

export interface EventWithLinks {
  event: EventSummaryRow;
  observations: ObservationRow[];
}

export interface SignpostView {
  row: SignpostRow;
  metric: Metric;
  progress: SignpostResult | undefined;
}

export interface ForecastView extends ForecastRow {
  assessment: ForecastAssessment;
}

/** Longest page of observations shown on a signpost's page; the rest is in /v1/evidence. */
export const SIGNPOST_OBSERVATIONS_LIMIT = 100;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A `since`/`until` bound: a date means the whole UTC day; a date-time is taken as given. */
function parseBound(value: string, field: string): { at: Date; dateOnly: boolean } {
  const dateOnly = DATE_ONLY.test(value);
  const at = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  let valid = !Number.isNaN(at.getTime());
  try {
    parseIsoDate(value.slice(0, 10)); // Date() would roll 2025-02-30 over to March
  } catch {
    valid = false;
  }
  if (!valid) throw new BadRequestError(`${field} must be a calendar date (YYYY-MM-DD) or an ISO date-time`, { field });
  return { at, dateOnly };
}

/**
 * The read side of the tracker: events, evidence, signposts, forecasts, changelog, search, review
 * queue. Validates filters against the catalog and gathers what each page needs; the HTTP presenters
 * shape it.
 */
export class TrackerService {
  constructor(
    private readonly repos: {
      events: EventRepository;
      observations: ObservationRepository;
      changelog: ChangelogRepository;
      forecasts: ForecastRepository;
      signposts: SignpostRepository;
    },
    private readonly analytics: { events: EventRepository },
    private readonly index: IndexService,
    private readonly catalog: () => Catalog,
  ) {}

  /** Turns API filters into a repository filter; unknown signposts or categories and inverted ranges are 400s. */
  eventFilter(query: EventQuery): EventFilter {
    const filter: EventFilter = { tiers: query.tiers, includeRetracted: query.includeRetracted };
    const signpost = query.signpost === undefined ? undefined : this.signpostSpec(query.signpost, 'signpost');
    if (query.category !== undefined && !(CATEGORIES as readonly string[]).includes(query.category)) {
      throw new BadRequestError(`unknown category "${query.category}"; known: ${CATEGORIES.join(', ')}`, { field: 'category' });
    }
    // Both given: the signpost must be in the category (otherwise nothing matches).
    if (signpost) filter.linkedTo = (query.category === undefined || signpost.category === query.category) && { signpost: signpost.code };
    else if (query.category !== undefined) filter.linkedTo = { category: query.category };
    if (query.since !== undefined) filter.since = parseBound(query.since, 'since').at;
    if (query.until !== undefined) {
      const until = parseBound(query.until, 'until');
      filter.until = until.dateOnly
        ? { at: new Date(until.at.getTime() + 86_400_000), inclusive: false }
        : { at: until.at, inclusive: true };
    }
    if (filter.since && filter.until && filter.since.getTime() >= filter.until.at.getTime() + (filter.until.inclusive ? 1 : 0)) {
      throw new BadRequestError('since must be before until', { field: 'since' });
    }
    const q = query.q?.trim();
    if (q) filter.q = q;
    return filter;
  }

  private signpostSpec(code: string, field: string): Signpost {
    const signpost = this.catalog().signposts.find((s) => s.code === code);
    if (!signpost) throw new BadRequestError(`unknown signpost "${code}"`, { field });
    return signpost;
  }

  async listEvents(query: EventQuery, limit: number, after?: EventCursor): Promise<EventWithLinks[]> {
    return (await this.repos.events.list(this.eventFilter(query), limit, after)).map(({ links, ...event }) => ({
      event,
      observations: links,
    }));
  }

  /** Exports read from the replica when one is configured. */
  async exportEvents(query: EventQuery, limit: number, after?: EventCursor): Promise<EventWithLinks[]> {
    return (await this.analytics.events.list(this.eventFilter(query), limit, after)).map(({ links, ...event }) => ({
      event,
      observations: links,
    }));
  }

  async getEvent(id: number): Promise<{ event: EventListRow; observations: ObservationRow[] }> {
    const event = await this.repos.events.findById(id);
    if (!event) throw new NotFoundError(`event ${id} does not exist`);
    const observations = await this.repos.observations.forEvents([id], { includeRejected: true });
    return { event, observations };
  }

  async search(
    query: Omit<EventQuery, 'q'> & { q: string },
    limit: number,
    after?: SearchCursor,
  ): Promise<Array<EventWithLinks & { rank: number }>> {
    const q = query.q.trim();
    if (!q) throw new BadRequestError('q must not be empty', { field: 'q' });
    const { q: _q, ...filter } = this.eventFilter(query);
    const rows = await this.repos.events.search(q, filter, limit, after);
    return rows.map(({ links, rank, ...event }) => ({ event, observations: links, rank }));
  }

  async evidence(
    query: { signpost?: string; status?: ObservationStatus[]; tiers?: Tier[]; includeRetracted?: boolean },
    limit: number,
    after?: EvidenceCursor,
  ): Promise<ObservationWithEvent[]> {
    if (query.signpost !== undefined) this.signpostSpec(query.signpost, 'signpost');
    return this.repos.observations.list(
      {
        signposts: query.signpost ? [query.signpost] : undefined,
        statuses: query.status?.length ? query.status : ['approved'],
        tiers: query.tiers,
        includeRetracted: query.includeRetracted,
      },
      limit,
      after,
    );
  }

  private metricOf(code: string): Metric {
    const metric = this.catalog().metrics.find((m) => m.code === code);
    if (!metric) throw new Error(`catalog has no metric ${code}`);
    return metric;
  }

  /** Signpost progress as of today (the same under every preset; read from today's snapshot when stored). */
  private async progressByCode(): Promise<Map<string, SignpostResult>> {
    const view = await this.index.index(DEFAULT_PRESET);
    return new Map(view.result.signposts.map((s) => [s.code, s]));
  }

  async signposts(filter: { category?: string }, limit: number, after?: { order: number; code: string }): Promise<SignpostView[]> {
    if (filter.category !== undefined && !(CATEGORIES as readonly string[]).includes(filter.category)) {
      throw new BadRequestError(`unknown category "${filter.category}"; known: ${CATEGORIES.join(', ')}`, { field: 'category' });
    }
    const rows = await this.repos.signposts.list(filter, limit, after);
    const progress = await this.progressByCode();
    return rows.map((row) => ({ row, metric: this.metricOf(row.metric_code), progress: progress.get(row.code) }));
  }

  async signpost(
    code: string,
  ): Promise<SignpostView & { best: ObservationWithEvent | null; observations: ObservationWithEvent[]; forecasts: ForecastView[] }> {
    const row = await this.repos.signposts.findByCode(code);
    if (!row) throw new NotFoundError(`signpost ${code} does not exist`);
    const progress = (await this.progressByCode()).get(code);
    const bestId = progress?.observation_id;
    const [best, observations, forecasts] = await Promise.all([
      bestId === null || bestId === undefined ? null : this.repos.observations.findWithEvent(Number(bestId)),
      this.repos.observations.list(
        { signposts: [code], statuses: ['approved', 'pending'], includeRetracted: true },
        SIGNPOST_OBSERVATIONS_LIMIT,
      ),
      this.repos.forecasts.forSignpost(code),
    ]);
    return {
      row,
      metric: this.metricOf(row.metric_code),
      progress,
      best: best ?? null,
      observations,
      forecasts: await this.index.assessForecasts(forecasts),
    };
  }

  async forecasts(filter: { signpost?: string }, limit: number, afterId?: number): Promise<ForecastView[]> {
    if (filter.signpost !== undefined) this.signpostSpec(filter.signpost, 'signpost');
    return this.index.assessForecasts(await this.repos.forecasts.list(filter, limit, afterId));
  }

  async changelog(filter: { preset?: string }, limit: number, after?: ChangelogCursor): Promise<ChangelogRow[]> {
    if (filter.preset !== undefined) this.index.preset(filter.preset);
    return this.repos.changelog.list(filter, limit, after);
  }

  /** Events with pending observations, newest first, with those observations. */
  async reviewQueue(limit: number, after?: EventCursor): Promise<Array<{ event: EventListRow; pending: ObservationRow[] }>> {
    const events = await this.repos.events.listWithPendingObservations(limit, after);
    const pending = await this.repos.observations.pendingForEvents(events.map((e) => e.id));
    return events.map((event) => ({ event, pending: pending.filter((o) => o.event_id === event.id) }));
  }

  categoryOf(code: string): Category | undefined {
    return this.catalog().signposts.find((s) => s.code === code)?.category;
  }
}
