import fp from 'fastify-plugin';
import type { AppContext } from '../../app/context.js';
import { counter, gauge, histogram } from '../../app/metrics.js';

/** Methods whose label children are cached; any other method is labelled on each request. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Prometheus metrics of the request path on `ctx.metrics`, served at GET /metrics: latency by route
 * pattern (never the raw URL, so label cardinality stays bounded), 5xx and 429 counts, and the
 * database pool. Other modules (cache, audit, LLM, ingestion) register theirs on the same registry.
 */
export const metrics = fp<{ ctx: AppContext }>(
  async (app, { ctx }) => {
    const registry = ctx.metrics;
    const duration = histogram(registry, {
      name: 'agi_tracker_http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    const errors = counter(registry, {
      name: 'agi_tracker_http_errors_total',
      help: 'HTTP responses with a 5xx status, by route pattern',
      labelNames: ['route', 'status_code'] as const,
    });
    const limited = counter(registry, {
      name: 'agi_tracker_rate_limited_total',
      help: 'Requests refused with 429 by a rate limit, by route pattern',
      labelNames: ['route'] as const,
    });
    gauge(registry, {
      name: 'agi_tracker_db_pool_connections',
      help: 'Database pool connections by state (in_use, idle, waiting = queued requests for a connection)',
      labelNames: ['state'] as const,
      collect() {
        const s = ctx.database.poolStats();
        this.set({ state: 'in_use' }, s.total - s.idle);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
      },
    });

    // Label sets are few (routes x methods x statuses); reusing their children skips label hashing.
    // Looked up by route, then by a number made of status and method: no string is built per request.
    const observers = new Map<string, Map<number, { observe(v: number): void }>>();
    app.addHook('onResponse', (req, reply, done) => {
      const route = req.routeOptions.url ?? 'unmatched';
      const status = reply.statusCode;
      const method = METHODS.indexOf(req.method);
      let ofRoute = observers.get(route);
      if (!ofRoute) observers.set(route, (ofRoute = new Map()));
      let observer = method < 0 ? undefined : ofRoute.get(status * 8 + method);
      if (!observer) {
        observer = duration.labels({ method: req.method, route, status_code: status });
        if (method >= 0) ofRoute.set(status * 8 + method, observer);
      }
      observer.observe(reply.elapsedTime / 1000);
      if (status >= 500) errors.inc({ route, status_code: status });
      else if (status === 429) limited.inc({ route });
      done();
    });

    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);
