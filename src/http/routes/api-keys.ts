import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { NotFoundError } from '../../errors.js';
import { decodeCursor, page, paginationQuery } from '../pagination.js';

const ApiKey = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  role: z.enum(['reader', 'admin']),
  rate_limit_per_minute: z.number().int().nullable(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

const Cursor = z.object({ id: z.number().int().positive() });

/** Admin management of API keys; the secret is returned once, by the create call, and never stored. */
export const apiKeyRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { apiKeys, audit } = ctx.services;

  app.post(
    '/v1/admin/api-keys',
    {
      config: { policy: { auth: 'admin' } },
      schema: {
        tags: ['admin'],
        summary: 'Create an API key (its secret is shown once)',
        body: z.object({
          name: z.string().trim().min(1).max(100),
          role: z.enum(['reader', 'admin']).default('reader'),
          rate_limit_per_minute: z.number().int().min(1).max(100_000).nullable().optional(),
        }),
        response: { 201: ApiKey.extend({ secret: z.string() }) },
      },
    },
    async (req, reply) => {
      const created = await audit.audited(
        { req, action: 'create_api_key', resource_type: 'api_key', details: { name: req.body.name, role: req.body.role } },
        () => apiKeys.create(req.body),
        (r) => ({ resource_id: r.key.id, details: { prefix: r.key.prefix } }),
      );
      reply.code(201);
      return { ...created.key, secret: created.secret };
    },
  );

  app.get(
    '/v1/admin/api-keys',
    {
      config: { policy: { auth: 'admin', list: true } },
      schema: {
        tags: ['admin'],
        summary: 'List API keys, newest first (never their secrets)',
        querystring: z.object({ ...paginationQuery, include_revoked: z.enum(['true', 'false']).default('false') }),
        response: { 200: z.object({ results: z.array(ApiKey), next_cursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { limit, cursor, include_revoked } = req.query;
      const after = decodeCursor(cursor, Cursor);
      const keys = await audit.audited({ req, action: 'list_api_keys', resource_type: 'api_key' }, () =>
        apiKeys.list({ limit, beforeId: after?.id, includeRevoked: include_revoked === 'true' }),
      );
      return page(keys, limit, (k) => ({ id: k.id }));
    },
  );

  app.delete(
    '/v1/admin/api-keys/:id',
    {
      config: { policy: { auth: 'admin' } },
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API key',
        params: z.object({
          id: z
            .string()
            .regex(/^\d{1,9}$/, 'id must be a positive integer')
            .transform(Number),
        }),
        response: { 200: ApiKey },
      },
    },
    async (req) => {
      const { id } = req.params;
      return audit.audited({ req, action: 'revoke_api_key', resource_type: 'api_key', resource_id: id }, async () => {
        const revoked = await apiKeys.revoke(id);
        if (!revoked) throw new NotFoundError(`no active API key with id ${id}`);
        return revoked;
      });
    },
  );
};
