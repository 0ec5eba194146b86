import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from '../../src/http/server.js';
import type { AppContext } from '../../src/app/context.js';

export interface TestServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** The real server on a random local port, for black-box HTTP tests. */
export async function startTestServer(ctx: AppContext, opts: ServerOptions = {}): Promise<TestServer> {
  const app = await buildServer(ctx, opts);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
