import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { BadRequestError } from '../../errors.js';
import { normaliseUserText } from '../../llm/injection/index.js';
import { SEARCH_CANDIDATES } from '../../services/search-service.js';
import { decodeCursor, encodeCursor, paginationQuery } from '../pagination.js';
import { searchParam } from '../query-params.js';

const Hit = z.object({
  id: z.number().int(),
  title: z.string(),
  summary: z.string(),
  url: z.string(),
  publisher: z.string(),
  tier: z.enum(['A', 'B', 'C', 'D']),
  published_at: z.string(),
  score: z.number(),
  matched: z.array(z.enum(['text', 'vector'])),
});

const OffsetCursor = z.object({ o: z.number().int().min(1).max(SEARCH_CANDIDATES) });

/**
 * Semantic search: full text and vector similarity fused by reciprocal rank (full text alone where
 * pgvector is missing, or when the query could not be embedded; `mode` and `degraded` say which).
 * The query reaches retrieval and an embedding model, never a chat model, so it is length-checked
 * and normalised but not run through the injection detector: searching for papers about
 * "ignore previous instructions" is a legitimate query.
 */
export const semanticSearchRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { search } = ctx.services;

  app.get(
    '/v1/search/semantic',
    {
      config: { policy: { cache: { tags: () => ['events'], ttlSeconds: 300 }, list: true } },
      schema: {
        tags: ['events'],
        summary: 'Hybrid semantic search over events (full text + vector, reciprocal rank fusion)',
        querystring: z.object({ ...paginationQuery, q: searchParam.min(1, 'q is required') }),
        response: {
          200: z.object({
            results: z.array(Hit),
            next_cursor: z.string().nullable(),
            mode: z.enum(['hybrid', 'full_text']),
            degraded: z.string().optional(),
          }),
        },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query;
      const q = normaliseUserText(req.query.q).text;
      if (q.length === 0) throw new BadRequestError('q must contain searchable text', { field: 'q' });
      const offset = decodeCursor(cursor, OffsetCursor)?.o ?? 0;
      const found = await search.searchEvents(q, { limit, offset }, { requestId: req.id });
      const next = found.results.length === limit && offset + limit < SEARCH_CANDIDATES ? encodeCursor({ o: offset + limit }) : null;
      return { results: found.results, next_cursor: next, mode: found.mode, ...(found.degraded ? { degraded: found.degraded } : {}) };
    },
  );
};
