import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { createTestContext, type TestContext } from './helpers/databases.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** A local OTLP/HTTP collector: records every JSON export request it receives. */
function startCollector(): Promise<{ url: string; spans: Array<Record<string, any>>; close(): Promise<void> }> {
  const spans: Array<Record<string, any>> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body);
        for (const rs of payload.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []).map((s: object) => ({ ...s, resource: rs.resource })));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({ url: `http://127.0.0.1:${port}`, spans, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

describe('OpenTelemetry tracing', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let t: TestContext;
  let server: TestServer;
  beforeAll(async () => {
    collector = await startCollector();
    t = await createTestContext('pglite', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }, { loadData: false });
    server = await startTestServer(t.ctx);
  });
  afterAll(async () => {
    await server?.close();
    await t?.cleanup();
    await collector?.close();
  });

  it('exports one server span per request, continuing the caller trace from traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${server.url}/health`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    await server.close(); // flushes the batch
    const span = collector.spans.find((s) => s.traceId === traceId);
    expect(span).toBeDefined();
    expect(span!.name).toBe('GET /health');
    expect(span!.parentSpanId).toBe('00f067aa0ba902b7');
    const attrs = Object.fromEntries(span!.attributes.map((a: any) => [a.key, Object.values(a.value)[0]]));
    expect(attrs['request.id']).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(Number(attrs['http.response.status_code'])).toBe(200);
  });
});
