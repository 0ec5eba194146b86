import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { decodeCursor, page, paginationQuery } from '../pagination.js';
import { ChangelogSchema, presentChangelog } from '../presenters/changelog.js';
import { codeParam } from '../query-params.js';
import { CacheTags } from '../../services/cache-tags.js';

const Cursor = z.object({ d: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), i: z.number().int().positive() });

/** What changed and why, newest first by the day it took effect. */
export const changelogRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/changelog',
    {
      config: { policy: { cache: { tags: () => [CacheTags.changelog] }, list: true } },
      schema: {
        tags: ['changelog'],
        summary: 'Index moves of 2 points or more, status changes and retractions',
        querystring: z.object({
          ...paginationQuery,
          preset: codeParam.optional().describe('Entries of this preset and entries of no preset'),
        }),
        response: { 200: z.object({ results: z.array(ChangelogSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { limit, cursor, preset } = req.query;
      const after = decodeCursor(cursor, Cursor);
      const rows = await ctx.services.tracker.changelog({ preset }, limit, after && { as_of: after.d, id: after.i });
      const p = page(rows, limit, (r) => ({ d: r.as_of ?? '1970-01-01', i: r.id }));
      return { results: p.results.map(presentChangelog), next_cursor: p.next_cursor };
    },
  );
};
