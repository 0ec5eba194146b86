import type { FastifyPluginAsync } from 'fastify';
import swaggerUi from '@fastify/swagger-ui';

/**
 * The OpenAPI document generated from the route schemas (/openapi.json) and a docs page (/docs).
 * Swagger UI's page loads only external scripts (its bundle and swagger-initializer.js, served from
 * /docs/static), so it runs under the strict CSP (script-src 'self', no inline scripts).
 */
export const docsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/openapi.json', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return app.swagger();
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: false, docExpansion: 'list', validatorUrl: null },
    staticCSP: false,
  });
};
