import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { decodeCursor, page, paginationQuery } from '../pagination.js';
import { SignpostDetailSchema, SignpostSchema, presentSignpost, presentSignpostDetail } from '../presenters/signpost.js';
import { codeParam } from '../query-params.js';
import { CacheTags } from '../../services/cache-tags.js';

const Cursor = z.object({ o: z.number().int(), c: z.string().regex(/^[a-z0-9_]{1,100}$/) });

/** The signpost directory and one signpost's page (progress, interval, evidence, forecasts). */
export const signpostRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { tracker } = ctx.services;

  app.get(
    '/v1/signposts',
    {
      config: { policy: { cache: { tags: () => [CacheTags.signposts, CacheTags.index] }, list: true } },
      schema: {
        tags: ['signposts'],
        summary: 'Signposts in catalog order, with progress as of today',
        querystring: z.object({ ...paginationQuery, category: codeParam.optional() }),
        response: { 200: z.object({ results: z.array(SignpostSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { limit, cursor, category } = req.query;
      const after = decodeCursor(cursor, Cursor);
      const rows = await tracker.signposts({ category }, limit, after && { order: after.o, code: after.c });
      const p = page(rows, limit, (r) => ({ o: r.row.display_order, c: r.row.code }));
      return { results: p.results.map(presentSignpost), next_cursor: p.next_cursor };
    },
  );

  app.get(
    '/v1/signposts/:code',
    {
      config: { policy: { cache: { tags: (req) => [CacheTags.signpost((req.params as { code: string }).code), CacheTags.index] } } },
      schema: {
        tags: ['signposts'],
        summary: 'One signpost: progress with its interval, best evidence, observations, forecasts with status',
        params: z.object({ code: codeParam }),
        response: { 200: SignpostDetailSchema },
      },
    },
    async (req) => presentSignpostDetail(await tracker.signpost(req.params.code), ctx.catalog.catalog),
  );
};
