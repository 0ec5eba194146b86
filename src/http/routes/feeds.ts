import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { decodeCursor, page, paginationQuery } from '../pagination.js';
import { presentEvent } from '../presenters/event.js';
import { JSON_FEED_VERSION, JsonFeedSchema, atomFeed, jsonFeed, type FeedPage } from '../presenters/feeds.js';
import { PublishedCursor, afterPublished, publishedCursorOf, tiersParam } from '../query-params.js';
import { CacheTags } from '../../services/cache-tags.js';
import type { Tier } from '../../domain/catalog.js';

const DEFAULT_TIERS: Tier[] = ['A', 'B'];

const feedQuery = z.object({
  ...paginationQuery,
  tiers: tiersParam.optional().describe('Default A,B (the evidence that moves gauges); e.g. A,B,C,D for everything'),
});

/** JSON Feed 1.1 and Atom feeds of the newest evidence; `next_url` / rel="next" page with the same cursors as /v1/events. */
export const feedRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const feedPage = async (path: string, q: z.infer<typeof feedQuery>): Promise<FeedPage> => {
    const tiers = q.tiers ?? DEFAULT_TIERS;
    const rows = await ctx.services.tracker.listEvents({ tiers }, q.limit, afterPublished(decodeCursor(q.cursor, PublishedCursor)));
    const p = page(rows, q.limit, (r) => publishedCursorOf(r.event));
    const query = (cursor?: string) => {
      const params = new URLSearchParams({ tiers: tiers.join(','), limit: String(q.limit) });
      if (cursor) params.set('cursor', cursor);
      return `${path}?${params.toString()}`;
    };
    return {
      items: p.results.map((r) => presentEvent(r.event, r.observations, ctx.catalog.catalog)),
      selfPath: query(q.cursor),
      nextPath: p.next_cursor ? query(p.next_cursor) : null,
      tiers,
    };
  };

  app.get(
    '/v1/feed.json',
    {
      config: { policy: { cache: { tags: () => [CacheTags.events] }, list: true } },
      schema: {
        tags: ['feeds'],
        summary: `JSON Feed 1.1 (${JSON_FEED_VERSION}) of the newest evidence`,
        querystring: feedQuery,
        response: { 200: JsonFeedSchema },
      },
    },
    async (req, reply) => {
      reply.type('application/feed+json; charset=utf-8');
      return jsonFeed(await feedPage('/v1/feed.json', req.query));
    },
  );

  app.get(
    '/v1/feed.xml',
    {
      config: { policy: { cache: { tags: () => [CacheTags.events] }, list: true } },
      schema: {
        tags: ['feeds'],
        summary: 'Atom 1.0 feed of the newest evidence',
        querystring: feedQuery,
        response: { 200: z.string().describe('application/atom+xml') },
      },
    },
    async (req, reply) => {
      const p = await feedPage('/v1/feed.xml', req.query);
      reply.type('application/atom+xml; charset=utf-8');
      return atomFeed(p, p.items[0]?.published_at ?? '1970-01-01T00:00:00.000Z');
    },
  );
};
