import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { decodeCursor, page, paginationQuery } from '../pagination.js';
import { EventDetailSchema, EventSchema, presentEvent, presentEventDetail } from '../presenters/event.js';
import {
  PublishedCursor,
  afterPublished,
  booleanParam,
  codeParam,
  dateOrDateTimeParam,
  plainJsonSerializer,
  publishedCursorOf,
  searchParam,
  tiersParam,
} from '../query-params.js';
import { CacheTags } from '../../services/cache-tags.js';
import type { EventQuery } from '../../services/tracker-service.js';

/** Filters shared by the events list, search, feeds and exports. */
export const eventFilterQuery = {
  tier: tiersParam.optional().describe('One tier or a comma list, e.g. A,B'),
  signpost: codeParam.optional().describe('Only events with an approved observation on this signpost'),
  category: codeParam.optional().describe('Only events with an approved observation on a signpost of this category'),
  since: dateOrDateTimeParam.optional().describe('Published at or after (a date means 00:00 UTC)'),
  until: dateOrDateTimeParam.optional().describe('Published at or before (a date includes the whole UTC day)'),
  include_retracted: booleanParam.optional().describe('Include retracted events (default false)'),
};

export function eventQueryOf(q: {
  tier?: EventQuery['tiers'];
  signpost?: string;
  category?: string;
  since?: string;
  until?: string;
  include_retracted?: boolean;
  q?: string;
}): EventQuery {
  return {
    tiers: q.tier,
    signpost: q.signpost,
    category: q.category,
    since: q.since,
    until: q.until,
    includeRetracted: q.include_retracted ?? false,
    q: q.q,
  };
}

/** An event id in a path: digits within Postgres integer range (anything else is a 400, an absent id a 404). */
export const eventIdParam = z
  .string()
  .regex(/^\d{1,10}$/, 'must be a positive integer')
  .transform(Number)
  .refine((n) => n >= 1 && n <= 2_147_483_647, 'must be a positive 32-bit integer');

const SearchCursor = z.object({ r: z.number().finite(), i: z.number().int().positive() });

export const eventRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { tracker } = ctx.services;
  const catalog = () => ctx.catalog.catalog;
  const List = z.object({ results: z.array(EventSchema), next_cursor: z.string().nullable() });

  app.get(
    '/v1/events',
    {
      ...plainJsonSerializer,
      config: { policy: { cache: { tags: () => [CacheTags.events] }, list: true } },
      schema: {
        tags: ['events'],
        summary: 'Evidence events, newest first (keyset pagination)',
        querystring: z.object({
          ...paginationQuery,
          ...eventFilterQuery,
          q: searchParam.optional().describe('Full-text filter (websearch syntax)'),
        }),
        response: { 200: List },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query;
      const rows = await tracker.listEvents(eventQueryOf(req.query), limit, afterPublished(decodeCursor(cursor, PublishedCursor)));
      const p = page(rows, limit, (r) => publishedCursorOf(r.event));
      return { results: p.results.map((r) => presentEvent(r.event, r.observations, catalog())), next_cursor: p.next_cursor };
    },
  );

  app.get(
    '/v1/events/:id',
    {
      config: { policy: { cache: { tags: (req) => [CacheTags.event((req.params as { id: string }).id)] } } },
      schema: {
        tags: ['events'],
        summary: 'One event with all its observations (rejected ones included)',
        params: z.object({ id: eventIdParam }),
        response: { 200: EventDetailSchema },
      },
    },
    async (req) => {
      const { event, observations } = await tracker.getEvent(req.params.id);
      return presentEventDetail(event, observations, catalog());
    },
  );

  app.get(
    '/v1/search',
    {
      ...plainJsonSerializer,
      config: { policy: { cache: { tags: () => [CacheTags.events] }, list: true } },
      schema: {
        tags: ['events'],
        summary: 'Full-text search over events (Postgres ts_rank; title weighs most)',
        querystring: z.object({
          ...paginationQuery,
          ...eventFilterQuery,
          q: searchParam.min(1, 'q is required').describe('Words, "quoted phrases", -excluded, or'),
        }),
        response: { 200: z.object({ results: z.array(EventSchema.extend({ rank: z.number() })), next_cursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query;
      const after = decodeCursor(cursor, SearchCursor);
      const rows = await tracker.search({ ...eventQueryOf(req.query), q: req.query.q }, limit, after && { rank: after.r, id: after.i });
      const p = page(rows, limit, (r) => ({ r: r.rank, i: r.event.id }));
      return {
        results: p.results.map((r) => ({ ...presentEvent(r.event, r.observations, catalog()), rank: r.rank })),
        next_cursor: p.next_cursor,
      };
    },
  );
};
