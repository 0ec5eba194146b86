import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { decodeCursor, page, paginationQuery } from '../pagination.js';
import { ForecastSchema, presentForecast } from '../presenters/forecast.js';
import { codeParam } from '../query-params.js';
import { CacheTags } from '../../services/cache-tags.js';

const Cursor = z.object({ i: z.number().int().positive() });

/** Expert forecasts per signpost, each with its status against today's evidence. */
export const forecastRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/forecasts',
    {
      config: { policy: { cache: { tags: () => [CacheTags.forecasts, CacheTags.index] }, list: true } },
      schema: {
        tags: ['forecasts'],
        summary: 'Forecasts with ahead / on_track / behind and the surprise score',
        querystring: z.object({ ...paginationQuery, signpost: codeParam.optional() }),
        response: { 200: z.object({ results: z.array(ForecastSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { limit, cursor, signpost } = req.query;
      const rows = await ctx.services.tracker.forecasts({ signpost }, limit, decodeCursor(cursor, Cursor)?.i);
      const p = page(rows, limit, (r) => ({ i: r.id }));
      return { results: p.results.map(presentForecast), next_cursor: p.next_cursor };
    },
  );
};
