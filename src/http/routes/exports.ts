import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { decodeCursor, encodeCursor, exportPaginationQuery } from '../pagination.js';
import { EventSchema, presentEvent, type EventJson } from '../presenters/event.js';
import { eventsCsv } from '../presenters/csv.js';
import { PublishedCursor, afterPublished, publishedCursorOf, searchParam } from '../query-params.js';
import { CacheTags } from '../../services/cache-tags.js';
import { eventFilterQuery, eventQueryOf } from './events.js';
import type { EventCursor } from '../../db/repositories/event-repository.js';

/** Rows per database query while an export page is assembled. */
const CHUNK = 500;

/** Exports are bounded like every list, with the shared export page size (see exportPaginationQuery). */
const exportQuery = z.object({
  ...exportPaginationQuery,
  ...eventFilterQuery,
  q: searchParam.optional(),
});

/** Events for download as CSV or JSON: the /v1/events filters, newest first, one bounded page per request. */
export const exportRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const collect = async (q: z.infer<typeof exportQuery>): Promise<{ events: EventJson[]; next: string | null }> => {
    const query = eventQueryOf(q);
    let after: EventCursor | undefined = afterPublished(decodeCursor(q.cursor, PublishedCursor));
    const events: EventJson[] = [];
    let last: { cursor_published_at: string; id: number } | undefined;
    while (events.length < q.limit) {
      const want = Math.min(CHUNK, q.limit - events.length);
      const rows = await ctx.services.tracker.exportEvents(query, want, after);
      for (const r of rows) events.push(presentEvent(r.event, r.observations, ctx.catalog.catalog));
      if (rows.length < want) return { events, next: null };
      last = rows[rows.length - 1]!.event;
      after = { published_at: last.cursor_published_at, id: last.id };
    }
    return { events, next: last ? encodeCursor(publishedCursorOf(last)) : null };
  };

  const nextLink = (path: string, url: string, next: string | null) => {
    if (!next) return undefined;
    const params = new URLSearchParams(url.split('?')[1] ?? '');
    params.set('cursor', next);
    return `<${path}?${params.toString()}>; rel="next"`;
  };

  app.get(
    '/v1/export/events.csv',
    {
      config: { policy: { cache: { tags: () => [CacheTags.events] }, list: true } },
      schema: {
        tags: ['exports'],
        summary: 'Events as CSV (formula-like cells neutralised); the Link header carries the next page',
        querystring: exportQuery,
        response: { 200: z.string().describe('text/csv') },
      },
    },
    async (req, reply) => {
      const { events, next } = await collect(req.query);
      const link = nextLink('/v1/export/events.csv', req.url, next);
      if (link) reply.header('link', link);
      reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="agi-tracker-events.csv"');
      return eventsCsv(events, true);
    },
  );

  app.get(
    '/v1/export/events.json',
    {
      config: { policy: { cache: { tags: () => [CacheTags.events] }, list: true } },
      schema: {
        tags: ['exports'],
        summary: 'Events as JSON, one bounded page with next_cursor',
        querystring: exportQuery,
        response: { 200: z.object({ results: z.array(EventSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (req, reply) => {
      const { events, next } = await collect(req.query);
      const link = nextLink('/v1/export/events.json', req.url, next);
      if (link) reply.header('link', link);
      reply.header('content-disposition', 'attachment; filename="agi-tracker-events.json"');
      return { results: events, next_cursor: next };
    },
  );
};
