import { STATUS_CODES } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { AppError, RateLimitedError } from '../../errors.js';
import { applySecurityHeaders, securityHeaderValues } from './security-headers.js';

export interface FieldError {
  field: string;
  message: string;
}

interface Problem {
  status: number;
  detail: string;
  errors?: FieldError[];
  extra?: Record<string, unknown>;
}

const BAD_BODY = new Set(['FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY', 'FST_ERR_CTP_INVALID_CONTENT_LENGTH']);

function fieldOf(instancePath: string, context: string | undefined): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  return path || context || 'request';
}

/** Socket errors and Postgres connection-class SQLSTATEs: the database (or Redis) is down, not the request wrong. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed)/;

function dependencyDown(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || UNAVAILABLE_MESSAGES.test(error.message);
}

/** Maps anything thrown on the request path to a problem; unknown errors become a bare 500. */
function problemOf(error: FastifyError | Error, bodyLimit: number): Problem {
  const fe = error as FastifyError;
  if (Array.isArray(fe.validation) && fe.validation.length > 0) {
    const errors = fe.validation.map((v) => ({ field: fieldOf(v.instancePath, fe.validationContext), message: v.message ?? 'is invalid' }));
    return { status: 400, detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors };
  }
  if (error instanceof AppError) {
    const { field, ...extra } = error.extra as { field?: string };
    const errors = typeof field === 'string' ? [{ field, message: error.message }] : undefined;
    return { status: error.status, detail: error.message, errors, extra };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, detail: `the request body is larger than ${bodyLimit} bytes` };
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, detail: 'unsupported content type; send application/json' };
  if (fe.code && BAD_BODY.has(fe.code))
    return { status: 400, detail: `malformed request body: ${fe.message}`, errors: [{ field: 'body', message: fe.message }] };
  if (dependencyDown(error)) return { status: 503, detail: 'a dependency (database or cache) is unavailable; retry shortly' };
  const status = fe.statusCode ?? 500;
  // Framework 4xx messages describe the request, not the server; other libraries' 4xx keep their
  // status with a generic detail; anything else is a 500 whose message stays private.
  if (status >= 400 && status < 500)
    return { status, detail: fe.code?.startsWith('FST_') ? fe.message : (STATUS_CODES[status] ?? 'request refused') };
  return { status: 500, detail: 'an internal error occurred; quote the request_id when reporting it' };
}

function send(req: FastifyRequest, reply: FastifyReply, p: Problem) {
  const title = STATUS_CODES[p.status] ?? 'Error';
  const body = {
    ...p.extra,
    type: `/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    title,
    status: p.status,
    detail: p.detail,
    instance: req.url.split('?')[0],
    request_id: req.id,
    ...(p.errors ? { errors: p.errors } : {}),
  };
  return reply
    .code(p.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(JSON.stringify(body));
}

/**
 * P1-5: one error handler and one not-found handler, both answering RFC 9457 problem JSON with the
 * request id. Bad input is a 400 naming the field (never 422); 5xx bodies are generic and the error
 * is logged once, with the request id, by the request's logger.
 */
export const problemErrors = fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, req, reply) => {
      const p = problemOf(error, app.initialConfig.bodyLimit ?? 1_048_576);
      if (p.status >= 500) req.log.error({ err: error }, 'request failed');
      else req.log.info({ status: p.status, detail: p.detail }, 'request rejected');
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
      return send(req, reply, p);
    });
    // Unknown routes count against the client's default rate limit too.
    const preHandler = app.hasDecorator('defaultRateLimit') ? app.defaultRateLimit : undefined;
    app.setNotFoundHandler({ preHandler }, (req, reply) =>
      send(req, reply, { status: 404, detail: `no route for ${req.method} ${req.url.split('?')[0]!.slice(0, 200)}` }),
    );
  },
  { name: 'errors' },
);

/**
 * Errors Fastify raises before routing (a URL it cannot decode): no hook has run, so the request id
 * and security headers are applied here.
 */
export function frameworkErrorHandler(ctx: AppContext) {
  const headers = securityHeaderValues(ctx.config.production);
  return (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    applySecurityHeaders(reply, headers);
    reply.header('x-request-id', req.id);
    return send(req, reply, { status: 400, detail: error.message });
  };
}
