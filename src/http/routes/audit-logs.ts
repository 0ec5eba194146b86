import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { decodeCursor, page, paginationQuery } from '../pagination.js';

const AuditLog = z.object({
  id: z.number().int(),
  timestamp: z.string(),
  api_key_id: z.number().int().nullable(),
  action: z.string(),
  resource_type: z.string().nullable(),
  resource_id: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip_address: z.string().nullable(),
  user_agent: z.string().nullable(),
  request_id: z.string().nullable(),
  success: z.boolean(),
  error_message: z.string().nullable(),
});

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((s) => new Date(s));
const Cursor = z.object({ id: z.number().int().positive() });

/** The audit log, newest first, filtered; reading it is itself an audited admin action. */
export const auditLogRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { audit } = ctx.services;

  app.get(
    '/v1/admin/audit-logs',
    {
      config: { policy: { auth: 'admin', list: true } },
      schema: {
        tags: ['admin'],
        summary: 'Audit log entries, newest first',
        querystring: z.object({
          ...paginationQuery,
          action: z.string().min(1).max(64).optional(),
          resource_type: z.string().min(1).max(64).optional(),
          api_key_id: z
            .string()
            .regex(/^\d{1,9}$/, 'api_key_id must be a positive integer')
            .transform(Number)
            .optional(),
          success: z.enum(['true', 'false']).optional(),
          since: instant.optional(),
          until: instant.optional(),
        }),
        response: { 200: z.object({ results: z.array(AuditLog), next_cursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { limit, cursor, success, ...filter } = req.query;
      const after = decodeCursor(cursor, Cursor);
      const rows = await audit.audited({ req, action: 'list_audit_logs', resource_type: 'audit_log', details: { filter: req.query } }, () =>
        audit.list({ ...filter, success: success === undefined ? undefined : success === 'true' }, { limit, beforeId: after?.id }),
      );
      return page(rows, limit, (r) => ({ id: r.id }));
    },
  );
};
