import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ConflictError, ServiceUnavailableError } from '../src/errors.js';
import { adminHeaders, httpRequest, capturingLogger, startHardenedServer, type HardenedServer } from './helpers/http.js';

const PROBLEM = 'application/problem+json; charset=utf-8';

describe('problem JSON errors (P1-5), body limits and timeouts', () => {
  let s: HardenedServer;
  const { log, lines } = capturingLogger();
  beforeAll(async () => {
    s = await startHardenedServer(
      'pglite',
      { RATE_LIMIT_PER_MINUTE: '100000' },
      {
        log,
        beforeRoutes: (base) => {
          const app = base.withTypeProvider<ZodTypeProvider>();
          app.get('/test/boom', async () => {
            const err = new Error('connect ECONNREFUSED postgres://admin:s3cret@db:5432 while running SELECT secret_hash FROM api_keys');
            throw err;
          });
          app.get('/test/library-404', async () => {
            throw Object.assign(new Error('ENOENT: no such file /srv/secret/path'), { statusCode: 404 });
          });
          app.get('/test/conflict', async () => {
            throw new ConflictError('that slug is taken');
          });
          app.get('/test/unavailable', async () => {
            throw new ServiceUnavailableError('the queue is down', { dependency: 'redis' });
          });
          app.post(
            '/test/things',
            {
              schema: {
                body: z.object({ name: z.string().min(1), count: z.number().int() }),
                querystring: z.object({ mode: z.enum(['a', 'b']).optional() }),
              },
            },
            async (req) => ({ received: req.body }),
          );
        },
      },
    );
  });
  afterAll(async () => s?.close());

  it('a thrown internal error is a 500 problem with a generic detail: no message, stack, SQL or secret', async () => {
    lines.length = 0;
    const res = await httpRequest(`${s.url}/test/boom`, { headers: { 'x-request-id': 'boom-42' } });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.json()).toEqual({
      type: '/problems/internal-server-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'an internal error occurred; quote the request_id when reporting it',
      instance: '/test/boom',
      request_id: 'boom-42',
    });
    expect(res.body).not.toMatch(/s3cret|SELECT|ECONNREFUSED|postgres:|\.ts:\d/);
  });

  it('the 500 is logged exactly once, at error level, with the request id and the cause', async () => {
    lines.length = 0;
    await httpRequest(`${s.url}/test/boom`, { headers: { 'x-request-id': 'boom-43' } });
    const errors = lines.filter((l) => l.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0].request_id).toBe('boom-43');
    expect(errors[0].err.message).toMatch(/ECONNREFUSED/);
  });

  it('a zod validation failure is a 400 naming the offending field, never a 422', async () => {
    const res = await httpRequest(`${s.url}/test/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', count: 1.5 }),
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(PROBLEM);
    const body = res.json();
    expect(body).toMatchObject({ status: 400, title: 'Bad Request', instance: '/test/things' });
    expect(body.errors).toEqual([{ field: 'count', message: expect.any(String) }]);
    const query = await httpRequest(`${s.url}/test/things?mode=c`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"x","count":1}',
    });
    expect(query.status).toBe(400);
    expect(query.json().errors[0].field).toBe('mode');
  });

  it('a missing body, malformed JSON and an empty JSON body are 400s on the body field', async () => {
    const missing = await httpRequest(`${s.url}/test/things`, { method: 'POST' });
    expect(missing.status).toBe(400);
    const malformed = await httpRequest(`${s.url}/test/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": "x",',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json().errors).toEqual([{ field: 'body', message: expect.any(String) }]);
    const empty = await httpRequest(`${s.url}/test/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' });
    expect(empty.status).toBe(400);
  });

  it('an unsupported content type is a 415 problem', async () => {
    const res = await httpRequest(`${s.url}/test/things`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<x/>' });
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.json().request_id).toBe(res.headers['x-request-id']);
  });

  it('a JSON body over 1 MiB is a 413 problem, with or without a Content-Length', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1_048_600), count: 1 });
    const declared = await httpRequest(`${s.url}/test/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'big-1' },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(declared.headers['x-request-id']).toBe('big-1');
    expect(declared.json()).toMatchObject({ status: 413, title: 'Payload Too Large', request_id: 'big-1' });
    const chunked = await httpRequest(`${s.url}/test/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: big,
    });
    expect(chunked.status).toBe(413);
    const justUnder = JSON.stringify({ name: 'x'.repeat(1_000_000), count: 1 });
    expect(
      (await httpRequest(`${s.url}/test/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: justUnder }))
        .status,
    ).toBe(200);
  });

  it('application errors keep their status and public detail: 409, 503 with extension members, 404', async () => {
    const conflict = await httpRequest(`${s.url}/test/conflict`);
    expect(conflict.status).toBe(409);
    expect(conflict.json()).toMatchObject({ title: 'Conflict', detail: 'that slug is taken' });
    const down = await httpRequest(`${s.url}/test/unavailable`);
    expect(down.status).toBe(503);
    expect(down.json()).toMatchObject({ detail: 'the queue is down', dependency: 'redis', status: 503 });
    const missing = await httpRequest(`${s.url}/v1/admin/api-keys/999999`, { method: 'DELETE', headers: adminHeaders() });
    expect(missing.status).toBe(404);
    expect(missing.json().detail).toBe('no active API key with id 999999');
  });

  it("another library's 4xx keeps its status with a generic detail (no message from inside)", async () => {
    const res = await httpRequest(`${s.url}/test/library-404`);
    expect(res.status).toBe(404);
    expect(res.json().detail).toBe('Not Found');
    expect(res.body).not.toMatch(/ENOENT|secret/);
  });

  it('an unknown API route is a 404 problem naming the path', async () => {
    const res = await httpRequest(`${s.url}/v1/unknown?x=1`);
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ status: 404, instance: '/v1/unknown', detail: 'no route for GET /v1/unknown' });
  });

  it('a URL Fastify cannot decode is a 400 problem with the request id and security headers', async () => {
    const res = await httpRequest(`${s.url}/v1/admin/api-keys/%E0%A4%A`, {
      method: 'DELETE',
      headers: { ...adminHeaders(), 'x-request-id': 'bad-url' },
    });
    expect(res.status).toBe(400);
    expect(res.headers['x-request-id']).toBe('bad-url');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.json()).toMatchObject({ status: 400, request_id: 'bad-url' });
  });

  it('slow-loris: a client that never finishes its headers is disconnected within the headers timeout', async () => {
    expect(s.server.app.server.headersTimeout).toBeLessThanOrEqual(10_000);
    expect(s.server.app.server.requestTimeout).toBeLessThanOrEqual(30_000);
    const port = Number(new URL(s.url).port);
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\n'));
      const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 500);
      socket.on('data', () => {});
      socket.on('close', () => {
        clearInterval(drip);
        resolve(Date.now() - started);
      });
      socket.on('error', () => {});
    });
    expect(closedAfter).toBeGreaterThanOrEqual(9_000);
    expect(closedAfter).toBeLessThan(14_000);
  }, 20_000);
});
