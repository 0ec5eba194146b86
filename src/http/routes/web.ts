import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { AppContext } from '../../app/context.js';
import { WEB_DIST_DIR } from '../../paths.js';

/** Paths that belong to the API and its tooling: never answered with the web app. */
const API_PATHS = /^\/(?:v1|health|docs|openapi\.json|metrics)(?:[/.]|$)/;
/** First path segments the web app routes (src/web/app.tsx); any other path is the app's 404 page. */
const APP_SECTIONS = new Set(['', 'events', 'signposts', 'methodology', 'chat', 'what-if', 'admin']);

export const NOT_BUILT_MESSAGE =
  'The web app is not built. Run `npm run build` (or `npx vite build`) and restart the server.\n' +
  'The API is served at /v1, its documentation at /docs.\n';

/**
 * The React app built by Vite into dist/web, served by the API server:
 * - /assets/* are content-hashed, so they are cached for a year as immutable;
 * - other files at the top of dist/web (favicon) are served with a short cache;
 * - any other GET outside the API answers index.html (no-cache), and the app routes on the client:
 *   200 for its sections, 404 (still the app, which shows "page not found") for anything else.
 * Unknown /v1 paths fall through to the API's problem JSON 404.
 */
export const webRoutes: FastifyPluginAsync<{ ctx: AppContext; webDir?: string }> = async (app, opts) => {
  const webDir = opts.webDir ?? WEB_DIST_DIR;
  const hide = { schema: { hide: true } };

  if (!fs.existsSync(path.join(webDir, 'index.html'))) {
    opts.ctx.log.warn({ webDir }, 'web app not built: run `npm run build`');
    app.get('/', hide, (_req, reply) =>
      reply.code(200).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT_MESSAGE),
    );
    return;
  }

  await app.register(fastifyStatic, {
    root: path.join(webDir, 'assets'),
    prefix: '/assets/',
    maxAge: '365d',
    immutable: true,
    index: false,
    wildcard: true,
    serveDotFiles: false,
  });

  const topLevelFiles = new Set(
    fs
      .readdirSync(webDir, { withFileTypes: true })
      .filter((d) => d.isFile() && d.name !== 'index.html' && !d.name.startsWith('.'))
      .map((d) => d.name),
  );

  const sendApp = (reply: FastifyReply, status: number) =>
    reply.code(status).header('cache-control', 'no-cache').sendFile('index.html', webDir, { cacheControl: false });

  app.get('/', hide, (_req, reply) => sendApp(reply, 200));
  app.get('/*', hide, (req, reply) => {
    const pathname = req.url.split('?')[0]!;
    if (API_PATHS.test(pathname)) return reply.callNotFound();
    const name = pathname.slice(1);
    if (topLevelFiles.has(name)) return reply.sendFile(name, webDir, { maxAge: '1h', immutable: false });
    const section = pathname.split('/')[1] ?? '';
    return sendApp(reply, APP_SECTIONS.has(section) ? 200 : 404);
  });
};
