import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { decodeCursor, page, paginationQuery } from '../pagination.js';
import { EvidenceSchema, presentEvidence } from '../presenters/evidence.js';
import { PublishedCursor, afterPublished, booleanParam, codeParam, tiersParam } from '../query-params.js';
import { CacheTags } from '../../services/cache-tags.js';

const statusParam = z
  .string()
  .regex(/^(pending|approved|rejected)(,(pending|approved|rejected))*$/, 'must be pending, approved, rejected or a comma list')
  .transform((s) => [...new Set(s.split(','))] as Array<'pending' | 'approved' | 'rejected'>);

/** Observations (event x signpost links) with their events, newest publication first. */
export const evidenceRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/evidence',
    {
      config: { policy: { cache: { tags: () => [CacheTags.evidence] }, list: true } },
      schema: {
        tags: ['evidence'],
        summary: 'Observations with their events (default: approved, not retracted)',
        querystring: z.object({
          ...paginationQuery,
          signpost: codeParam.optional(),
          status: statusParam.optional().describe('Default approved'),
          tier: tiersParam.optional(),
          include_retracted: booleanParam.optional(),
        }),
        response: { 200: z.object({ results: z.array(EvidenceSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { limit, cursor, signpost, status, tier, include_retracted } = req.query;
      const after = afterPublished(decodeCursor(cursor, PublishedCursor));
      const rows = await ctx.services.tracker.evidence(
        { signpost, status, tiers: tier, includeRetracted: include_retracted },
        limit,
        after,
      );
      const p = page(rows, limit, (r) => ({ p: r.cursor_published_at, i: r.id }));
      return { results: p.results.map((r) => presentEvidence(r, ctx.catalog.catalog)), next_cursor: p.next_cursor };
    },
  );
};
