import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { Span } from '@opentelemetry/api';
import { endSpan, type Telemetry } from '../../telemetry.js';

declare module 'fastify' {
  interface FastifyRequest {
    traceSpan?: Span;
  }
}

/** One server span per request, continuing the caller's W3C trace; the trace id is added to the request's logs. */
const tracing: FastifyPluginAsync<{ telemetry: Telemetry }> = async (app, { telemetry }) => {
  app.addHook('onRequest', async (req) => {
    const parent = telemetry.extract(req.headers);
    const span = telemetry.startServerSpan(`${req.method} ${req.routeOptions.url ?? 'unmatched'}`, parent, {
      'http.request.method': req.method,
      'url.path': req.url.split('?')[0]!,
      'http.route': req.routeOptions.url ?? '',
      'request.id': req.id,
    });
    req.traceSpan = span;
    req.log = req.log.child({ trace_id: span.spanContext().traceId });
  });
  app.addHook('onError', async (req, _reply, error) => {
    req.traceSpan?.recordException(error);
  });
  app.addHook('onResponse', async (req, reply) => {
    if (req.traceSpan) endSpan(req.traceSpan, reply.statusCode);
  });
  app.addHook('onClose', async () => telemetry.shutdown());
};

export const tracingPlugin = fp(tracing, { name: 'tracing' });
