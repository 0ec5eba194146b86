import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, databaseKinds, TEST_ADMIN_KEY, type TestContext } from './helpers/databases.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { AGENT_BREAKTHROUGH, asLines, daysAgo, evidenceEvent } from './helpers/evidence.js';
import { METHODOLOGY_VERSION } from '../src/domain/methodology.js';

interface Res {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

describe.each(databaseKinds())('curation API on %s', (kind) => {
  let t: TestContext;
  let server: TestServer;
  let readerKey: string;

  async function call(method: string, path: string, opts: { body?: unknown; key?: string | null; type?: string } = {}): Promise<Res> {
    const headers: Record<string, string> = {};
    const key = opts.key === undefined ? TEST_ADMIN_KEY : opts.key;
    if (key) headers['x-api-key'] = key;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = opts.type ?? 'application/json';
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    const r = await fetch(server.url + path, { method, headers, body });
    const text = await r.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, json, text };
  }

  const get = (path: string) => call('GET', path, { key: null });

  async function auditRows(action: string, resourceId?: number) {
    let q = t.ctx.database.db.selectFrom('audit_logs').selectAll().where('action', '=', action);
    if (resourceId !== undefined) q = q.where('resource_id', '=', String(resourceId));
    return q.orderBy('id').execute();
  }

  /** Imports events through the service with machine-made links that wait for review. */
  async function pendingEvent(overrides: Parameters<typeof evidenceEvent>[0] = {}): Promise<number> {
    const report = await t.ctx.services.imports.importLines(asLines([evidenceEvent(overrides)]), { method: 'rule', confidence: 0.5 });
    expect(report.inserted).toBe(1);
    return report.event_ids[0]!;
  }

  beforeAll(async () => {
    t = await createTestContext(kind, { RATE_LIMIT_PER_MINUTE: '100000' });
    readerKey = (await t.ctx.services.apiKeys.create({ name: 'reader', role: 'reader' })).secret;
    server = await startTestServer(t.ctx);
  });
  afterAll(async () => {
    await server?.close();
    await t?.cleanup();
  });

  it('admin routes need an admin key: none is 401, a reader key 403', async () => {
    const id = await pendingEvent();
    // Failed admin authentications are limited per IP (10 a minute), so a few routes stand for all of them.
    for (const [method, path] of [
      ['GET', '/v1/admin/review-queue'],
      ['POST', `/v1/admin/events/${id}/approve`],
      ['POST', '/v1/admin/events/import'],
    ] as const) {
      expect((await call(method, path, { key: null })).status, `${method} ${path}`).toBe(401);
      expect((await call(method, path, { key: readerKey })).status, `${method} ${path}`).toBe(403);
    }
    const event = await get(`/v1/events/${id}`);
    expect(event.json.observations.every((o: any) => o.status === 'pending')).toBe(true);
  });

  it('the review queue lists events with pending observations, newest first, paginated', async () => {
    const older = await pendingEvent({ published_at: daysAgo(9), observations: [{ signpost: 'gpqa_sota', value: 0.5 }] });
    const newer = await pendingEvent({ published_at: daysAgo(8), observations: [{ signpost: 'gpqa_sota', value: 0.5 }] });
    const first = await call('GET', '/v1/admin/review-queue?limit=1');
    expect(first.status).toBe(200);
    expect(first.json.results).toHaveLength(1);
    const all: any[] = [...first.json.results];
    let cursor = first.json.next_cursor;
    while (cursor) {
      const r = await call('GET', `/v1/admin/review-queue?limit=1&cursor=${cursor}`);
      all.push(...r.json.results);
      cursor = r.json.next_cursor;
    }
    const ids = all.map((i) => i.event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    const item = all.find((i) => i.event.id === older);
    expect(item.pending).toEqual([expect.objectContaining({ signpost: 'gpqa_sota', status: 'pending', method: 'rule' })]);
    expect((await auditRows('list_review_queue')).length).toBeGreaterThan(0);
  });

  it('approve writes one approve_link audit row, moves the index, and the next GET sees it (cache invalidated)', async () => {
    const id = await pendingEvent({ published_at: daysAgo(5), observations: AGENT_BREAKTHROUGH });
    const before = await get('/v1/index');
    const cached = await get('/v1/index');
    expect(cached.headers.get('x-cache')).toBe('HIT');
    const signpostBefore = await get('/v1/signposts/osworld_85');
    const eventBefore = await get(`/v1/events/${id}`);

    const r = await call('POST', `/v1/admin/events/${id}/approve`, { body: {} });
    expect(r.status, r.text).toBe(200);
    expect(r.json.observations.length).toBeGreaterThanOrEqual(4);
    expect(r.json.observations.every((o: any) => o.status === 'approved')).toBe(true);
    expect(r.json.invalidated).toEqual(
      expect.arrayContaining(['events', `event:${id}`, 'index', 'signposts', 'signpost:osworld_85', 'changelog']),
    );
    expect(r.json.snapshots.to).toBe(t.ctx.services.index.today());

    const rows = await auditRows('approve_link', id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ resource_type: 'event', success: true, request_id: r.headers.get('x-request-id') });

    const after = await get('/v1/index');
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(after.json.composite.value).toBeGreaterThan(before.json.composite.value + 0.02);
    const agents = after.json.signposts.filter((s: any) => s.category === 'agents' && !s.monitor_only);
    expect(agents.every((s: any) => s.progress === 1)).toBe(true);
    const signpostAfter = await get('/v1/signposts/osworld_85');
    expect(signpostAfter.json.progress).toBeGreaterThan(signpostBefore.json.progress);
    expect(signpostAfter.json.best_evidence.event.id).toBe(id);
    const eventAfter = await get(`/v1/events/${id}`);
    expect(eventBefore.json.observations[0].status).toBe('pending');
    expect(eventAfter.json.observations.every((o: any) => o.status === 'approved' && o.reviewed_at)).toBe(true);
    const changelog = await get('/v1/changelog?preset=equal');
    expect(changelog.json.results.some((e: any) => e.kind === 'index_move' && e.as_of === daysAgo(5) && e.preset === 'equal')).toBe(true);
    // The stored history from the event's day on was rewritten with the new evidence.
    const history = await get('/v1/index/history?days=3');
    expect(history.json.points.at(-1).composite.value).toBe(after.json.composite.value);

    const again = await call('POST', `/v1/admin/events/${id}/approve`);
    expect(again.status).toBe(200);
    expect(again.json.observations).toEqual([]);
    expect(again.json.invalidated).toEqual([]);
  });

  it('the approval and its audit row commit together: if the audit row cannot be written, nothing is approved', async () => {
    const id = await pendingEvent({ observations: [{ signpost: 'gpqa_sota', value: 0.6 }] });
    const record = vi.spyOn(t.ctx.services.audit, 'record').mockImplementationOnce(async () => {
      throw new Error('audit store down');
    });
    try {
      const r = await call('POST', `/v1/admin/events/${id}/approve`);
      expect(r.status).toBe(500);
    } finally {
      record.mockRestore();
    }
    const event = await get(`/v1/events/${id}`);
    expect(event.json.observations.map((o: any) => o.status)).toEqual(['pending']);
    const rows = await auditRows('approve_link', id);
    expect(rows).toEqual([expect.objectContaining({ success: false, error_message: 'internal error' })]);
  });

  it('a refresh that computed before another approval committed never overwrites the newer snapshot', async () => {
    const target = (code: string) => t.ctx.catalog.catalog.signposts.find((s) => s.code === code)!.target;
    const first = await pendingEvent({
      published_at: daysAgo(2),
      observations: [{ signpost: 'gpu_cluster_100k', value: target('gpu_cluster_100k') }],
    });
    const second = await pendingEvent({
      published_at: daysAgo(3),
      observations: [{ signpost: 'dc_power_5gw', value: target('dc_power_5gw') }],
    });
    // The first approval's refresh pauses right after reading the ledger; the second approval runs meanwhile.
    const index = t.ctx.services.index;
    const original = index.ledger.bind(index);
    let paused = false;
    const spy = vi.spyOn(index, 'ledger').mockImplementation(async (...args) => {
      const rows = await original(...args);
      if (!paused) {
        paused = true;
        await new Promise((r) => setTimeout(r, 700));
      }
      return rows;
    });
    try {
      const a = call('POST', `/v1/admin/events/${first}/approve`);
      while (!paused) await new Promise((r) => setTimeout(r, 5));
      const b = await call('POST', `/v1/admin/events/${second}/approve`);
      expect(b.status).toBe(200);
      expect((await a).status).toBe(200);
    } finally {
      spy.mockRestore();
    }
    const today = index.today();
    for (const preset of t.ctx.catalog.catalog.presets) {
      const stored = await t.ctx.repos.snapshots.find(today, preset.code, METHODOLOGY_VERSION);
      const fresh = index.compute(await index.ledger(today), today, preset.weights);
      expect(stored!.payload, preset.code).toEqual(JSON.parse(JSON.stringify(fresh)));
    }
  });

  it('approving only some signposts leaves the others pending', async () => {
    const id = await pendingEvent({
      observations: [
        { signpost: 'gpqa_sota', value: 0.5 },
        { signpost: 'arc_agi_85', value: 0.2 },
      ],
    });
    const r = await call('POST', `/v1/admin/events/${id}/approve`, { body: { signposts: ['arc_agi_85'] } });
    expect(r.json.observations.map((o: any) => o.signpost)).toEqual(['arc_agi_85']);
    const event = await get(`/v1/events/${id}`);
    expect(Object.fromEntries(event.json.observations.map((o: any) => [o.signpost, o.status]))).toEqual({
      arc_agi_85: 'approved',
      gpqa_sota: 'pending',
    });
    expect((await call('POST', `/v1/admin/events/${id}/approve`, { body: { signposts: ['not_a_signpost'] } })).status).toBe(400);
  });

  it('an unknown event is 404 and audited as a failure; a malformed id is 400', async () => {
    const r = await call('POST', '/v1/admin/events/2147483000/approve');
    expect(r.status).toBe(404);
    const rows = await auditRows('approve_link', 2147483000);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ success: false, error_message: 'event 2147483000 does not exist' });
    expect((await call('POST', '/v1/admin/events/abc/approve')).status).toBe(400);
    expect((await call('POST', '/v1/admin/events/1/approve', { body: '{"signposts":', type: 'application/json' })).status).toBe(400);
  });

  it('reject marks pending links rejected without touching the index', async () => {
    const id = await pendingEvent({ observations: [{ signpost: 'compute_1e27', value: 1e28 }] });
    const before = await get('/v1/index');
    const r = await call('POST', `/v1/admin/events/${id}/reject`, { body: { reason: 'misread the units' } });
    expect(r.status).toBe(200);
    expect(r.json.observations).toEqual([expect.objectContaining({ signpost: 'compute_1e27', status: 'rejected' })]);
    expect(r.json.snapshots).toBeNull();
    expect(r.json.invalidated).not.toContain('index');
    expect(r.json.invalidated).toEqual(expect.arrayContaining([`event:${id}`, 'signpost:compute_1e27']));
    expect(await auditRows('reject_link', id)).toHaveLength(1);
    expect((await get('/v1/index')).json.composite.value).toBe(before.json.composite.value);
    const event = await get(`/v1/events/${id}`);
    expect(event.json.observations[0].status).toBe('rejected');
    const list = await get('/v1/events?limit=100&tier=A');
    expect(list.json.results.find((e: any) => e.id === id).observations).toEqual([]);
  });

  it('retract without a reason is a 400 and audited; with one, the evidence leaves the index and history is recomputed', async () => {
    const day = daysAgo(15);
    const id = (
      await t.ctx.services.imports.importLines(
        asLines([evidenceEvent({ published_at: day, observations: [{ metric: 'training_compute_flop', value: 5e28 }] })]),
      )
    ).event_ids[0]!;
    await t.ctx.services.snapshots.recompute({ from: day });
    await t.ctx.services.snapshots.ensureHistory(20);
    await t.ctx.cache.invalidate(['index']); // the import above went around the API
    const storedBefore = await t.ctx.repos.snapshots.find(daysAgo(12), 'equal', METHODOLOGY_VERSION);
    const before = await get('/v1/index');
    const compute = before.json.signposts.find((s: any) => s.code === 'compute_1e27');
    expect(compute.progress).toBe(1);

    for (const body of [undefined, {}, { reason: '' }, { reason: '  ' }]) {
      const r = await call('POST', `/v1/admin/events/${id}/retract`, { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    const failed = await auditRows('retract_event', id);
    expect(failed).toHaveLength(4);
    expect(failed.every((row) => row.success === false)).toBe(true);

    const r = await call('POST', `/v1/admin/events/${id}/retract`, { body: { reason: 'The lab withdrew the compute figure' } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.retracted).toBe(true);
    expect(r.json.snapshots.from).toBe(day);
    expect(r.json.invalidated).toEqual(expect.arrayContaining(['events', `event:${id}`, 'index', 'changelog', 'signpost:compute_1e27']));
    expect((await auditRows('retract_event', id)).filter((row) => row.success)).toHaveLength(1);

    const after = await get('/v1/index');
    expect(after.json.signposts.find((s: any) => s.code === 'compute_1e27').progress).toBeLessThan(1);
    expect(after.json.composite.value).not.toBe(before.json.composite.value);
    const storedAfter = await t.ctx.repos.snapshots.find(daysAgo(12), 'equal', METHODOLOGY_VERSION);
    expect(storedAfter!.composite).not.toBe(storedBefore!.composite);
    const direct = t.ctx.services.index.compute(
      await t.ctx.services.index.ledger(daysAgo(12)),
      daysAgo(12),
      t.ctx.services.index.preset('equal').weights,
    );
    expect(storedAfter!.composite).toBe(direct.composite.value);
    const event = await get(`/v1/events/${id}`);
    expect(event.json).toMatchObject({ retracted: true, retracted_reason: 'The lab withdrew the compute figure' });
    const changelog = await get('/v1/changelog');
    expect(changelog.json.results[0]).toMatchObject({ kind: 'retraction', details: expect.objectContaining({ event_id: id }) });

    expect((await call('POST', `/v1/admin/events/${id}/retract`, { body: { reason: 'again' } })).status).toBe(409);
    expect((await call('POST', `/v1/admin/events/${id}/approve`)).status).toBe(409);
  });

  it('recompute rebuilds a day from the ledger and gives identical numbers twice', async () => {
    const a = await call('POST', '/v1/admin/recompute', { body: { as_of: '2025-03-31' } });
    expect(a.status, a.text).toBe(200);
    const rowA = await t.ctx.repos.snapshots.find('2025-03-31', 'cotra', METHODOLOGY_VERSION);
    const b = await call('POST', '/v1/admin/recompute', { body: { as_of: '2025-03-31' } });
    const rowB = await t.ctx.repos.snapshots.find('2025-03-31', 'cotra', METHODOLOGY_VERSION);
    expect(b.json.composite).toEqual(a.json.composite);
    expect(rowB!.payload).toEqual(rowA!.payload);
    expect(b.json.snapshots_written).toBe(t.ctx.catalog.catalog.presets.length);
    expect((await auditRows('recompute')).length).toBeGreaterThanOrEqual(2);
    const range = await call('POST', '/v1/admin/recompute', { body: { from: '2025-01-01', presets: ['equal'] } });
    expect(range.status).toBe(200);
    expect(range.json.presets).toEqual(['equal']);
    for (const body of [
      { as_of: '2025-02-30' },
      { as_of: '2999-01-01' },
      { presets: ['nope'] },
      { from: '2025-05-01', to: '2025-04-01' },
      { as_of: '2025-01-01', from: '2025-01-01' },
    ]) {
      expect((await call('POST', '/v1/admin/recompute', { body })).status, JSON.stringify(body)).toBe(400);
    }
  });

  describe('bulk import', () => {
    it('reports inserted, duplicate and rejected lines with line numbers, and leaves no partial rows', async () => {
      const good = evidenceEvent({ title: 'Imported through the API', observations: [{ signpost: 'gpqa_sota', value: 0.7 }] });
      const lines = [
        JSON.stringify(good),
        '{"title": "broken json",',
        JSON.stringify(evidenceEvent({ observations: [{ signpost: 'gpqa_sota', value: 70 }] })),
        JSON.stringify(evidenceEvent({ observations: [{ signpost: 'no_such_signpost', value: 0.5 }] })),
        '',
        JSON.stringify({ ...evidenceEvent(), url: 'javascript:alert(1)' }),
        JSON.stringify(good),
      ].join('\n');
      const countEvents = async () =>
        Number(
          (
            await t.ctx.database.db
              .selectFrom('events')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await countEvents();
      const r = await call('POST', '/v1/admin/events/import', { body: lines, type: 'application/x-ndjson' });
      expect(r.status, r.text).toBe(200);
      expect(r.json).toMatchObject({ inserted: 1, duplicate: 1, rejected: 4 });
      expect(r.json.errors.map((e: any) => e.line)).toEqual([2, 3, 4, 6]);
      expect(r.json.errors[0].reason).toMatch(/not valid JSON/);
      expect(r.json.errors[1].reason).toMatch(/fraction/);
      expect(r.json.errors[2].reason).toMatch(/unknown signpost/);
      expect(await countEvents()).toBe(before + 1);
      const audit = await auditRows('import_events');
      expect(audit.at(-1)).toMatchObject({ success: true, details: expect.objectContaining({ inserted: 1, duplicate: 1, rejected: 4 }) });
      const listed = await get('/v1/events?q=%22Imported%20through%20the%20API%22');
      expect(listed.json.results).toHaveLength(1);
      expect(listed.json.results[0].observations).toEqual([
        expect.objectContaining({ signpost: 'gpqa_sota', status: 'approved', method: 'manual' }),
      ]);
    });

    it('accepts text/plain JSON lines and a JSON array; an empty or wrong body is a 400', async () => {
      const plain = await call('POST', '/v1/admin/events/import', { body: JSON.stringify(evidenceEvent()), type: 'text/plain' });
      expect(plain.json).toMatchObject({ inserted: 1, rejected: 0 });
      const array = await call('POST', '/v1/admin/events/import', { body: [evidenceEvent(), { title: 'x' }] });
      expect(array.json).toMatchObject({ inserted: 1, rejected: 1, errors: [expect.objectContaining({ line: 2 })] });
      expect((await call('POST', '/v1/admin/events/import', { body: '', type: 'text/plain' })).status).toBe(400);
      expect((await call('POST', '/v1/admin/events/import', { body: { title: 'not an array' } })).status).toBe(400);
    });
  });
});
