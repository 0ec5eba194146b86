import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, databaseKinds, type TestContext } from './helpers/databases.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { asLines, evidenceEvent } from './helpers/evidence.js';

describe.each(databaseKinds())('events cursor walk on %s', (kind) => {
  let t: TestContext;
  let server: TestServer;
  beforeAll(async () => {
    t = await createTestContext(kind, { RATE_LIMIT_PER_MINUTE: '100000' });
    // Same-instant publications make the id tie-break matter.
    const sameDay = Array.from({ length: 12 }, (_, i) =>
      evidenceEvent({ title: `Same-day result ${i}`, published_at: '2025-05-05T12:00:00Z' }),
    );
    await t.ctx.services.imports.importLines(asLines(sameDay));
    server = await startTestServer(t.ctx);
  });
  afterAll(async () => {
    await server?.close();
    await t?.cleanup();
  });

  it('walking every page while events are inserted returns each pre-existing event exactly once, in order', async () => {
    const existing = (await t.ctx.database.db.selectFrom('events').select('id').where('retracted', '=', false).execute()).map((r) => r.id);
    let inserting = true;
    let inserted = 0;
    const writer = (async () => {
      // New events land before, inside and after the pages being walked (newer, older and equal dates).
      const dates = ['2026-01-01', '2024-02-02', '2025-05-05T12:00:00Z', '2023-08-08', '2019-01-01'];
      while (inserting) {
        const batch = dates.map((published_at) => evidenceEvent({ published_at }));
        const report = await t.ctx.services.imports.importLines(asLines(batch));
        inserted += report.inserted;
        await t.ctx.cache.invalidate(['events']);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const seen: Array<{ id: number; published_at: string }> = [];
    let cursor: string | null = null;
    try {
      do {
        const r = await fetch(`${server.url}/v1/events?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        expect(r.status).toBe(200);
        const body = (await r.json()) as { results: Array<{ id: number; published_at: string }>; next_cursor: string | null };
        seen.push(...body.results.map((e) => ({ id: e.id, published_at: e.published_at })));
        cursor = body.next_cursor;
        await new Promise((r) => setTimeout(r, 2));
      } while (cursor);
    } finally {
      inserting = false;
      await writer;
    }
    expect(inserted).toBeGreaterThan(0);
    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const missing = existing.filter((id) => !ids.includes(id));
    expect(missing).toEqual([]);
    const order = seen.map((e) => [e.published_at, e.id] as const);
    for (let i = 1; i < order.length; i++) {
      const [pa, ia] = order[i - 1]!;
      const [pb, ib] = order[i]!;
      expect(pa > pb || (pa === pb && ia > ib), `${pa}#${ia} before ${pb}#${ib}`).toBe(true);
    }
  });
});
