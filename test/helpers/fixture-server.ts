import http from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const INGEST_FIXTURES = path.resolve(import.meta.dirname, '../fixtures/ingest');

export function fixture(name: string): string {
  return readFileSync(path.join(INGEST_FIXTURES, name), 'utf8');
}

/** How the local server answers one path. */
export interface FixtureRoute {
  body?: string;
  contentType?: string;
  status?: number;
  /** Sent as ETag and honoured in If-None-Match (default: a hash of the body). */
  etag?: string | null;
  lastModified?: string | null;
  /** Wait before answering (timeouts). */
  delayMs?: number;
  /** Announce the full length, send half of the body, then cut the connection. */
  truncate?: boolean;
  headers?: Record<string, string>;
  /** Answers with these statuses first (one per request), then normally: `[500, 500]` fails twice. */
  failFirst?: number[];
}

export interface SeenRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  status: number;
}

/**
 * A local HTTP server for ingestion tests: routes by path (the query string is ignored), answers
 * conditional requests with 304, and can fail, stall or cut a response short. Never the internet.
 */
export class FixtureServer {
  readonly requests: SeenRequest[] = [];
  private readonly routes = new Map<string, FixtureRoute>();
  private readonly server = http.createServer((req, res) => void this.answer(req, res));
  url = '';

  set(pathname: string, route: FixtureRoute): this {
    this.routes.set(pathname, { ...route, failFirst: route.failFirst ? [...route.failFirst] : undefined });
    return this;
  }

  requestsTo(pathname: string): SeenRequest[] {
    return this.requests.filter((r) => r.path === pathname);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const route = this.routes.get(pathname);
    const seen: SeenRequest = { path: pathname, headers: req.headers, status: 0 };
    this.requests.push(seen);
    const send = (status: number, body = '', headers: Record<string, string> = {}) => {
      seen.status = status;
      res.writeHead(status, headers);
      res.end(body);
    };
    if (!route) return send(404, 'not found');
    if (route.delayMs) await new Promise((r) => setTimeout(r, route.delayMs));
    if (res.destroyed) return;
    const forced = route.failFirst?.shift();
    if (forced !== undefined) return send(forced, 'failure', route.headers ?? {});
    if (route.status && route.status !== 200) return send(route.status, route.body ?? '', route.headers ?? {});
    const body = route.body ?? '';
    const etag = route.etag === undefined ? `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` : route.etag;
    const headers: Record<string, string> = { 'content-type': route.contentType ?? 'application/xml; charset=utf-8', ...route.headers };
    if (etag) headers.etag = etag;
    if (route.lastModified) headers['last-modified'] = route.lastModified;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if ((etag && inm === etag) || (!inm && route.lastModified && ims === route.lastModified)) return send(304, '', headers);
    const bytes = Buffer.from(body);
    if (route.truncate) {
      seen.status = 200;
      res.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    send(200, body, { ...headers, 'content-length': String(bytes.length) });
  }
}
