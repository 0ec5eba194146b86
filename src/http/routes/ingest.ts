import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import type { IngestRunListRow } from '../../db/repositories/ingest-run-repository.js';
import { ForbiddenError, UnauthorizedError } from '../../errors.js';
import { ingestJobs } from '../../jobs/ingest-jobs.js';
import { decodeCursor, page, paginationQuery } from '../pagination.js';

const IngestRun = z.object({
  id: z.number().int(),
  source: z.string(),
  trigger: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  fetched: z.number().int(),
  new: z.number().int(),
  duplicates: z.number().int(),
  errors: z.number().int(),
  error_message: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  owner: z.string().nullable(),
  heartbeat_at: z.string().nullable(),
});

const FailedJob = z.object({
  id: z.string(),
  name: z.string(),
  data: z.record(z.string(), z.unknown()),
  failed_reason: z.string(),
  attempts_made: z.number().int(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});

const Cursor = z.object({ started_at: z.string().max(64), id: z.number().int().positive() });

function presentRun(row: IngestRunListRow): z.infer<typeof IngestRun> {
  return {
    id: row.id,
    source: row.source,
    trigger: row.trigger,
    status: row.status,
    started_at: row.started_at.toISOString(),
    finished_at: row.finished_at?.toISOString() ?? null,
    fetched: row.fetched,
    new: row.new,
    duplicates: row.duplicates,
    errors: row.errors,
    error_message: row.error_message,
    details: row.details ?? {},
    owner: row.owner,
    heartbeat_at: row.heartbeat_at?.toISOString() ?? null,
  };
}

/** The routes declare `auth: 'admin'` for the auth plugin; this check keeps them closed should it be missing. */
function assertAdmin(req: FastifyRequest): void {
  if (!req.principal) throw new UnauthorizedError();
  if (req.principal.role !== 'admin') throw new ForbiddenError('this route needs an admin API key');
}

/** Admin control of ingestion: trigger a run, list runs (and, with a queue, the failed jobs). */
export const ingestRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const jobs = ingestJobs(ctx);
  app.addHook('onClose', () => jobs.close());

  app.post(
    '/v1/admin/ingest',
    {
      config: { policy: { auth: 'admin', rateLimit: 'strict' } },
      schema: {
        tags: ['admin'],
        summary: 'Start an ingestion run (queued for a worker with Redis, in this process otherwise)',
        body: z
          .object({
            source: z.string().min(1).max(100).optional(),
            sources: z.array(z.string().min(1).max(100)).max(100).optional(),
          })
          .strict()
          // No body at all (Fastify passes null): every enabled source.
          .nullish(),
        response: {
          202: z.object({
            status: z.enum(['queued', 'started']),
            mode: z.enum(['queue', 'embedded']),
            job_id: z.string().nullable(),
            sources: z.array(z.string()),
          }),
        },
      },
    },
    async (req, reply) => {
      assertAdmin(req);
      const named = [...(req.body?.sources ?? []), ...(req.body?.source ? [req.body.source] : [])];
      const dispatched = await ctx.services.audit.audited(
        { req, action: 'trigger_ingest', resource_type: 'ingest', details: { sources: named.length > 0 ? named : 'all' } },
        () =>
          jobs.dispatch({ sources: named, trigger: 'api', requested_by: { api_key_id: req.principal?.id ?? null, request_id: req.id } }),
        (d) => ({ resource_id: d.job_id, details: { mode: d.mode, status: d.status } }),
      );
      reply.code(202);
      return dispatched;
    },
  );

  app.get(
    '/v1/admin/ingest-runs',
    {
      config: { policy: { auth: 'admin', list: true } },
      schema: {
        tags: ['admin'],
        summary: 'Ingestion runs, newest first, and the failed jobs of the queue',
        querystring: z.object({
          ...paginationQuery,
          source: z.string().min(1).max(100).optional(),
          status: z.enum(['running', 'succeeded', 'failed']).optional(),
        }),
        response: {
          200: z.object({
            results: z.array(IngestRun),
            next_cursor: z.string().nullable(),
            /** Jobs whose retries are exhausted (queue mode; empty in embedded mode), newest first, at most `limit`. */
            failed_jobs: z.array(FailedJob),
          }),
        },
      },
    },
    async (req) => {
      assertAdmin(req);
      const { limit, cursor, source, status } = req.query;
      const after = decodeCursor(cursor, Cursor);
      return ctx.services.audit.audited(
        { req, action: 'list_ingest_runs', resource_type: 'ingest', details: { filter: { source, status } } },
        async () => {
          const rows = await ctx.repos.ingestRuns.list({ source, status }, limit, after);
          const failed = after ? [] : await jobs.failedJobs(limit);
          const listed = page(rows, limit, (r) => ({ started_at: r.cursor_started_at, id: r.id }));
          return {
            results: rows.map(presentRun),
            next_cursor: listed.next_cursor,
            failed_jobs: failed.map((f) => ({ ...f, data: { ...f.data } })),
          };
        },
      );
    },
  );
};
