import http from 'node:http';
import { createTestContext, TEST_ADMIN_KEY, type DatabaseKind, type TestContext } from './databases.js';
import { startTestServer, type TestServer } from './server.js';
import type { ServerOptions } from '../../src/http/server.js';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = any>(): T;
}

/** One raw HTTP request (no redirects followed, any header allowed, including Host). */
export function httpRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const adminHeaders = (extra: Record<string, string> = {}) => ({ 'x-api-key': TEST_ADMIN_KEY, ...extra });

export interface HardenedServer {
  t: TestContext;
  server: TestServer;
  url: string;
  close(): Promise<void>;
}

/**
 * A migrated context without the catalog and evidence (the hardening tests do not need them, and
 * loading them is most of a context's start-up), with the ADMIN_API_KEY mirrored like a real start,
 * served by the real server.
 */
export async function startHardenedServer(
  kind: DatabaseKind,
  env: Record<string, string | undefined> = {},
  opts: ServerOptions & { redisPrefix?: string; log?: Logger } = {},
): Promise<HardenedServer> {
  const t = await createTestContext(kind, env, { loadData: false, redisPrefix: opts.redisPrefix });
  if (opts.log) t.ctx.log = opts.log;
  await t.ctx.services.apiKeys.bootstrap(t.ctx.config.adminApiKey);
  const server = await startTestServer(t.ctx, opts);
  return {
    t,
    server,
    url: server.url,
    async close() {
      await server.close();
      await t.cleanup();
    },
  };
}

/** A logger at `level` whose JSON lines are collected in `lines` (for asserting on log output). */
export function capturingLogger(level = 'info'): { log: Logger; lines: any[] } {
  const lines: any[] = [];
  const capture = new Writable({ write: (chunk, _enc, cb) => (lines.push(JSON.parse(chunk.toString())), cb()) });
  return { log: createLogger(level, capture), lines };
}
