/**
 * Server side of bench/hardening.ts, run in its own process: `bare` is Fastify with the app's routes
 * (same logger, schema compilers and route table) but none of the hardening plugins or server
 * limits; `hardened` is the real server (src/http/server.ts). Both get the bench routes.
 * Both processes open the same embedded application context (an in-memory PGlite makes every
 * request of a process measurably slower, hardened or not) and use the same silent pino logger
 * (Fastify still builds a child logger per request), so the difference is the hardening stack.
 * `headers_only` is `bare` plus one hook that sets the response headers every hardened response
 * carries whatever it is (the security headers of SPEC §2, X-Request-ID, Vary: Origin), precomputed:
 * the part of the overhead that is the mandated bytes themselves.
 * Routes: /bench answers a constant; /bench/db runs one query on the embedded database, for scale.
 * Prints the port on stdout; answers 'cpu' messages with its CPU time.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createContext } from '../src/app/context.js';
import { buildServer } from '../src/http/server.js';
import { registerRoutes } from '../src/http/routes/index.js';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { securityHeaderValues } from '../src/http/plugins/security-headers.js';
import '../src/http/route-config.js';

const variant = process.argv[2];
if (variant !== 'bare' && variant !== 'headers_only' && variant !== 'hardened') throw new Error(`unknown variant ${variant}`);
// The limit is raised so the bench measures the cost of counting, not 429s.
const config = loadConfig({
  ENVIRONMENT: 'development',
  LOG_LEVEL: 'silent',
  RATE_LIMIT_PER_MINUTE: '1000000000',
  INGEST_ENABLED: 'false',
});
const ctx = await createContext(config, createLogger('silent'), { inMemory: true, name: 'bench' });
const routes = (a: FastifyInstance) => {
  a.get('/bench', async () => ({ ok: true }));
  a.get('/bench/db', async () => ({ ok: (await sql<{ one: number }>`SELECT 1 AS one`.execute(ctx.database.db)).rows[0]!.one === 1 }));
};
let app: FastifyInstance;
if (variant === 'bare' || variant === 'headers_only') {
  app = Fastify({ loggerInstance: ctx.log as FastifyBaseLogger });
  if (variant === 'headers_only') {
    const headers = { ...securityHeaderValues(false), vary: 'Origin' };
    app.addHook('onRequest', (req, reply, done) => {
      reply.header('x-request-id', req.id).headers(headers);
      done();
    });
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, { openapi: { info: { title: 'bench', version: '1' } }, transform: jsonSchemaTransform });
  routes(app);
  await registerRoutes(app, ctx);
} else {
  app = await buildServer(ctx, { beforeRoutes: routes });
}
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
process.on('message', () => process.send?.(process.cpuUsage()));
