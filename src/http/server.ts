import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from '../app/context.js';
import { registerRoutes } from './routes/index.js';
import { tracingPlugin } from './plugins/tracing.js';
import { startTelemetry } from '../telemetry.js';
import './route-config.js';

/** Builds the HTTP server: cross-cutting plugins first, then one plugin per resource. */
export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    // Fastify accepts a hop count at run time; its types only list the other forms.
    trustProxy: ctx.config.trustProxy as boolean | string[],
    bodyLimit: 1_048_576,
    // Slow-loris: a client gets 30 s for the whole request and 10 s for its headers.
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 5_000,
    exposeHeadRoutes: true,
    return503OnClosing: true,
  });
  app.server.headersTimeout = 10_000;
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

  await registerRoutes(app, ctx);
  return app;
}
