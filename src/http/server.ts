import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from '../app/context.js';
import { registerRoutes } from './routes/index.js';
import { tracingPlugin } from './plugins/tracing.js';
import { startTelemetry } from '../telemetry.js';
import { requestId, requestIdFor } from './plugins/request-id.js';
import { securityHeaders } from './plugins/security-headers.js';
import { corsPolicy } from './plugins/cors.js';
import { rateLimits } from './plugins/rate-limit.js';
import { authentication } from './plugins/auth.js';
import { responseCache } from './plugins/cache.js';
import { metrics } from './plugins/metrics.js';
import { frameworkErrorHandler, problemErrors } from './plugins/errors.js';
import { ServiceUnavailableError } from '../errors.js';
import './route-config.js';

export const BODY_LIMIT_BYTES = 1_048_576;

export interface ServerOptions {
  /** Runs after the cross-cutting plugins and before the resource routes (tests add probe routes here). */
  beforeRoutes?: (app: FastifyInstance) => void | Promise<void>;
}

/** Builds the HTTP server: cross-cutting plugins first, then one plugin per resource. */
export async function buildServer(ctx: AppContext, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    genReqId: requestIdFor,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    // Fastify accepts a hop count at run time; its types only list the other forms.
    trustProxy: ctx.config.trustProxy as boolean | string[],
    bodyLimit: BODY_LIMIT_BYTES,
    // Slow-loris: a client gets 30 s for the whole request and 10 s for its headers (checked every 2 s).
    requestTimeout: 30_000,
    http: { headersTimeout: 10_000, connectionsCheckingInterval: 2_000 },
    connectionTimeout: 60_000,
    keepAliveTimeout: 5_000,
    exposeHeadRoutes: true,
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler(ctx),
  });
  if (ctx.config.otelEndpoint) await app.register(tracingPlugin, { telemetry: startTelemetry(ctx.config.otelEndpoint) });
  // Route schemas are zod: they validate input and generate the OpenAPI document.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      info: { title: 'AGI Tracker API', version: '1', description: 'Evidence-first index of measurable progress toward AGI.' },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } } },
    },
    transform: jsonSchemaTransform,
  });

  // Hook order on a request: request id, security headers and HTTPS redirect, CORS, key
  // identification, rate limit (route-level, so after the key is known), auth policy, cache, handler.
  await app.register(requestId);
  await app.register(securityHeaders, { ctx });
  await app.register(corsPolicy, { ctx });
  await app.register(rateLimits, { ctx });
  await app.register(authentication, { ctx });
  await app.register(responseCache, { ctx });
  await app.register(metrics, { ctx });
  await app.register(problemErrors);
  // Callback-style: once started, this is one synchronous check instead of a promise per request.
  app.addHook('onRequest', (req, reply, done) => {
    if (ctx.startup.ready || req.url === '/health' || req.url.startsWith('/health/')) return done();
    reply.header('retry-after', '2');
    done(new ServiceUnavailableError('the server is starting (migrating and loading data); retry in a moment'));
  });
  await opts.beforeRoutes?.(app);
  await registerRoutes(app, ctx);
  return app;
}
