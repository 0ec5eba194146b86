import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { decodeCursor, page, paginationQuery } from '../pagination.js';
import {
  CurationOutcomeSchema,
  ImportReportSchema,
  ReviewItemSchema,
  SnapshotReportSchema,
  presentCurationOutcome,
  presentImportReport,
  presentReviewItem,
  presentSnapshotReport,
} from '../presenters/curation.js';
import { PublishedCursor, afterPublished, codeParam, dateParam, publishedCursorOf, textParam } from '../query-params.js';
import { eventIdParam } from './events.js';
import { parseJsonLines } from '../../services/bootstrap-service.js';
import type { ImportLine } from '../../services/import-service.js';

/** Largest import body (JSON lines or array); at most IMPORT_MAX_LINES events. */
export const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

const admin = { auth: 'admin' as const };
const signpostsBody = z
  .array(codeParam)
  .min(1)
  .max(100)
  .optional()
  .describe('Only the observations on these signposts (default: all pending)');

/** Curators: the review queue, approve / reject / retract, recompute, bulk import. */
export const curationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { curation, tracker, audit } = ctx.services;
  const catalog = () => ctx.catalog.catalog;

  // JSON lines arrive as text/plain (built in) or application/x-ndjson.
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.get(
    '/v1/admin/review-queue',
    {
      config: { policy: { ...admin, list: true } },
      schema: {
        tags: ['admin'],
        summary: 'Events with observations waiting for review, newest first',
        querystring: z.object({ ...paginationQuery }),
        response: { 200: z.object({ results: z.array(ReviewItemSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query;
      const after = afterPublished(decodeCursor(cursor, PublishedCursor));
      const items = await audit.audited({ req, action: 'list_review_queue', resource_type: 'event' }, () =>
        tracker.reviewQueue(limit, after),
      );
      const p = page(items, limit, (i) => publishedCursorOf(i.event));
      return { results: p.results.map((i) => presentReviewItem(i, catalog())), next_cursor: p.next_cursor };
    },
  );

  app.post(
    '/v1/admin/events/:id/approve',
    {
      config: { policy: admin },
      schema: {
        tags: ['admin'],
        summary: "Approve the event's pending observations (audit action approve_link)",
        params: z.object({ id: eventIdParam }),
        body: z.object({ signposts: signpostsBody }).nullish(),
        response: { 200: CurationOutcomeSchema },
      },
    },
    async (req) => presentCurationOutcome(await curation.approve(req.params.id, { signposts: req.body?.signposts }, req)),
  );

  app.post(
    '/v1/admin/events/:id/reject',
    {
      config: { policy: admin },
      schema: {
        tags: ['admin'],
        summary: "Reject the event's pending observations (audit action reject_link)",
        params: z.object({ id: eventIdParam }),
        body: z.object({ signposts: signpostsBody, reason: textParam(1000).optional() }).nullish(),
        response: { 200: CurationOutcomeSchema },
      },
    },
    async (req) =>
      presentCurationOutcome(await curation.reject(req.params.id, { signposts: req.body?.signposts, reason: req.body?.reason }, req)),
  );

  app.post(
    '/v1/admin/events/:id/retract',
    {
      config: { policy: admin },
      schema: {
        tags: ['admin'],
        summary: 'Retract an event (reason required): its observations leave every computation and history is recomputed',
        params: z.object({ id: eventIdParam }),
        // The reason is checked by the service so that a retraction without one is audited as a failed attempt.
        body: z.object({ reason: textParam(1000).optional() }).nullish(),
        response: { 200: CurationOutcomeSchema },
      },
    },
    async (req) => presentCurationOutcome(await curation.retract(req.params.id, req.body?.reason ?? '', req)),
  );

  app.post(
    '/v1/admin/recompute',
    {
      config: { policy: admin },
      schema: {
        tags: ['admin'],
        summary: 'Rebuild snapshots from the evidence ledger: one day (as_of, default today) or every stored day from `from`',
        body: z
          .object({
            as_of: dateParam.optional(),
            from: dateParam.optional(),
            to: dateParam.optional(),
            presets: z.array(codeParam).max(20).optional(),
          })
          .nullish(),
        response: { 200: SnapshotReportSchema.extend({ invalidated: z.array(z.string()) }) },
      },
    },
    async (req) => {
      const b = req.body ?? {};
      const report = await curation.recompute({ asOf: b.as_of, from: b.from, to: b.to, presets: b.presets }, req);
      return { ...presentSnapshotReport(report), invalidated: report.invalidated };
    },
  );

  app.post(
    '/v1/admin/events/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { policy: admin },
      schema: {
        tags: ['admin'],
        summary: 'Bulk import of curated events: JSON lines (text/plain or application/x-ndjson) or a JSON array',
        body: z.union([z.string(), z.array(z.unknown())]),
        response: { 200: ImportReportSchema },
      },
    },
    async (req) => {
      const lines: ImportLine[] =
        typeof req.body === 'string' ? parseJsonLines(req.body) : req.body.map((data, i) => ({ line: i + 1, data }));
      return presentImportReport(await curation.importLines(lines, { method: 'manual' }, req));
    },
  );
};
