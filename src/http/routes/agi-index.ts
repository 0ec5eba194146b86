import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { HistorySchema, IndexSchema, presentHistory, presentIndex } from '../presenters/index.js';
import { codeParam, dateParam } from '../query-params.js';
import { CacheTags } from '../../services/cache-tags.js';
import { DEFAULT_PRESET, HISTORY_DEFAULT_DAYS, HISTORY_MAX_DAYS } from '../../services/index-service.js';

const weightParam = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, 'must be a number in [0,1]')
  .transform(Number);

const indexTags = () => [CacheTags.index];

/** The composite index: a preset on a day, its history, and custom weights. Scores are fractions in [0,1]. */
export const indexRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { index } = ctx.services;

  app.get(
    '/v1/index',
    {
      config: { policy: { cache: { tags: indexTags } } },
      schema: {
        tags: ['index'],
        summary: 'The index (composite, categories, safety margin, every signpost) of a preset on a day',
        querystring: z.object({
          preset: codeParam.default(DEFAULT_PRESET).describe('equal, aschenbrenner, ai2027, cotra, conservative'),
          date: dateParam.optional().describe('As-of date (UTC), default today; not in the future'),
        }),
        response: { 200: IndexSchema },
      },
    },
    async (req) => presentIndex(await index.index(req.query.preset, req.query.date)),
  );

  app.get(
    '/v1/index/history',
    {
      config: { policy: { cache: { tags: indexTags } } },
      schema: {
        tags: ['index'],
        summary: `Daily snapshots of a preset, oldest first (at most ${HISTORY_MAX_DAYS} days)`,
        querystring: z.object({
          preset: codeParam.default(DEFAULT_PRESET),
          days: z
            .string()
            .regex(/^\d{1,6}$/, 'must be a positive integer')
            .transform(Number)
            .refine((n) => n >= 1, 'must be at least 1')
            .transform((n) => Math.min(n, HISTORY_MAX_DAYS))
            .default(HISTORY_DEFAULT_DAYS)
            .describe(`Days back from today, default ${HISTORY_DEFAULT_DAYS}, values above ${HISTORY_MAX_DAYS} are clamped`),
        }),
        response: { 200: HistorySchema },
      },
    },
    async (req) => presentHistory(await index.history(req.query.preset, req.query.days)),
  );

  app.get(
    '/v1/index/custom',
    {
      config: { policy: { cache: { tags: indexTags } } },
      schema: {
        tags: ['index'],
        summary: 'The index with your own weights (each in [0,1], not all 0; normalised to sum to 1)',
        querystring: z.object({
          capabilities: weightParam,
          agents: weightParam,
          inputs: weightParam,
          date: dateParam.optional(),
        }),
        response: { 200: IndexSchema },
      },
    },
    async (req) => {
      const { capabilities, agents, inputs, date } = req.query;
      return presentIndex(await index.custom({ capabilities, agents, inputs }, date));
    },
  );
};
