import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createTestContext, databaseKinds, type TestContext } from './helpers/databases.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { asLines, daysAgo, evidenceEvent } from './helpers/evidence.js';
import { CATEGORIES } from '../src/domain/catalog.js';
import { HISTORY_MAX_DAYS } from '../src/services/index-service.js';

interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

const HOSTILE_TITLE = '=HYPERLINK("http://evil.example","click") <script>alert(1)</script> & "quoted" \u0001';

describe.each(databaseKinds())('tracker read API on %s', (kind) => {
  let t: TestContext;
  let server: TestServer;
  let hostileId: number;
  let cTierId: number;

  async function get(path: string, headers: Record<string, string> = {}): Promise<Res> {
    const r = await fetch(server.url + path, { headers });
    const text = await r.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, text, json };
  }

  /** Follows next_cursor until the end; returns every page's results. */
  async function walk(path: string): Promise<any[]> {
    const all: any[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 200; i++) {
      const sep = path.includes('?') ? '&' : '?';
      const r = await get(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
      expect(r.status, r.text).toBe(200);
      all.push(...r.json.results);
      cursor = r.json.next_cursor;
      if (!cursor) return all;
    }
    throw new Error('walk did not end');
  }

  beforeAll(async () => {
    t = await createTestContext(kind, { RATE_LIMIT_PER_MINUTE: '100000' });
    const report = await t.ctx.services.imports.importLines(
      asLines([
        evidenceEvent({
          title: HOSTILE_TITLE,
          publisher: '+SUM(A1:A9)',
          summary: '@cmd|/c calc  \t tab and a "quote", a comma',
          tier: 'C',
          published_at: daysAgo(3),
        }),
        evidenceEvent({ title: 'Obscure zymurgy result from the test lab', tier: 'C', published_at: daysAgo(4) }),
      ]),
    );
    [hostileId, cTierId] = report.event_ids as [number, number];
    server = await startTestServer(t.ctx);
  });
  afterAll(async () => {
    await server?.close();
    await t?.cleanup();
  });

  describe('index', () => {
    it('GET /v1/index gives the composite, categories and every signpost as fractions, from the stored snapshot', async () => {
      const r = await get('/v1/index');
      expect(r.status).toBe(200);
      expect(r.json.preset.code).toBe('equal');
      expect(r.json.source).toBe('snapshot');
      expect(r.json.methodology_version).toBe(1);
      expect(r.json.composite.status).toBe('ok');
      expect(r.json.composite.value).toBeGreaterThan(0);
      expect(r.json.composite.value).toBeLessThan(1);
      expect(r.json.composite.interval.low).toBeLessThanOrEqual(r.json.composite.value);
      expect(Object.keys(r.json.categories).sort()).toEqual([...CATEGORIES].sort());
      expect(r.json.signposts).toHaveLength(t.ctx.catalog.catalog.signposts.length);
      for (const s of r.json.signposts) {
        expect(s.progress).toBeGreaterThanOrEqual(0);
        expect(s.progress).toBeLessThanOrEqual(1);
      }
    });

    it('every preset answers with its own weights; an unknown preset is a 400', async () => {
      const values = new Set<number>();
      for (const p of t.ctx.catalog.catalog.presets) {
        const r = await get(`/v1/index?preset=${p.code}`);
        expect(r.status).toBe(200);
        expect(r.json.preset.code).toBe(p.code);
        values.add(r.json.composite.value);
      }
      expect(values.size).toBeGreaterThan(1);
      for (const bad of ['nope', 'EQUAL', '', '%00', 'a'.repeat(300)]) {
        const r = await get(`/v1/index?preset=${encodeURIComponent(bad)}`);
        expect(r.status, bad).toBe(400);
        expect(r.headers.get('content-type')).toMatch(/problem\+json/);
      }
    });

    it('a past date is computed from the ledger; malformed, impossible and future dates are 400', async () => {
      const past = await get('/v1/index?date=2024-06-30');
      expect(past.status).toBe(200);
      expect(past.json.as_of).toBe('2024-06-30');
      const now = await get('/v1/index');
      expect(past.json.inputs.observations_used).toBeLessThan(now.json.inputs.observations_used);
      const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      for (const bad of ['2025-02-30', '2025-13-01', '20250101', 'yesterday', tomorrow, '0001-01-01']) {
        expect((await get(`/v1/index?date=${bad}`)).status, bad).toBe(400);
      }
    });

    it('history gives stored daily snapshots oldest first; days above the cap are clamped, junk is a 400', async () => {
      await t.ctx.services.snapshots.ensureHistory(10);
      const r = await get('/v1/index/history?preset=ai2027&days=10');
      expect(r.status).toBe(200);
      expect(r.json.preset.code).toBe('ai2027');
      expect(r.json.points.map((p: any) => p.as_of)).toEqual([...r.json.points.map((p: any) => p.as_of)].sort());
      expect(r.json.points).toHaveLength(10);
      expect(r.json.points.at(-1).as_of).toBe(t.ctx.services.index.today());
      const wide = await get('/v1/index/history?days=999999');
      expect(wide.status).toBe(200);
      const span = (Date.parse(wide.json.to) - Date.parse(wide.json.from)) / 86_400_000 + 1;
      expect(span).toBe(HISTORY_MAX_DAYS);
      for (const bad of ['0', '-3', 'ten', '1.5']) expect((await get(`/v1/index/history?days=${bad}`)).status, bad).toBe(400);
      expect((await get('/v1/index/history?preset=nope')).status).toBe(400);
    });

    it('custom weights are normalised; all-zero, out-of-range or missing weights are 400', async () => {
      const r = await get('/v1/index/custom?capabilities=1&agents=1&inputs=0');
      expect(r.status).toBe(200);
      expect(r.json.weights).toEqual({ capabilities: 0.5, agents: 0.5, inputs: 0 });
      expect(r.json.preset.code).toBe('custom');
      const equal = await get('/v1/index/custom?capabilities=0.5&agents=0.5&inputs=0.5');
      const preset = await get('/v1/index');
      expect(equal.json.composite.value).toBeCloseTo(preset.json.composite.value, 3);
      for (const bad of [
        'capabilities=0&agents=0&inputs=0',
        'capabilities=2&agents=0&inputs=0',
        'capabilities=-1&agents=0&inputs=1',
        'capabilities=x&agents=1&inputs=1',
        'agents=1&inputs=1',
      ]) {
        expect((await get(`/v1/index/custom?${bad}`)).status, bad).toBe(400);
      }
    });
  });

  describe('signposts', () => {
    it('the directory pages through every signpost in catalog order, once each', async () => {
      const all = await walk('/v1/signposts?limit=7');
      expect(all.map((s) => s.code)).toEqual(t.ctx.catalog.catalog.signposts.map((s) => s.code));
      const swe = all.find((s) => s.code === 'swe_bench_85');
      expect(swe.metric.unit).toBe('fraction');
      expect(swe.status).not.toBe('no_evidence');
      expect(swe.progress).toBeGreaterThan(0);
    });

    it('filters by category; an unknown category is a 400', async () => {
      const r = await get('/v1/signposts?category=inputs');
      expect(r.status).toBe(200);
      expect(r.json.results.length).toBeGreaterThan(0);
      expect(r.json.results.every((s: any) => s.category === 'inputs')).toBe(true);
      expect((await get('/v1/signposts?category=vibes')).status).toBe(400);
    });

    it('a signpost page has progress with its interval, best evidence, observations and forecasts with status', async () => {
      const r = await get('/v1/signposts/swe_bench_85');
      expect(r.status).toBe(200);
      expect(r.json.interval.low).toBeLessThanOrEqual(r.json.progress);
      expect(r.json.best_evidence.id).toBe(r.json.best_observation_id);
      expect(r.json.best_evidence.value).toBe(r.json.value);
      expect(r.json.observations.length).toBeGreaterThan(0);
      expect(r.json.observations.every((o: any) => o.signpost === 'swe_bench_85')).toBe(true);
      expect(r.json.forecasts.length).toBeGreaterThan(0);
      for (const f of r.json.forecasts) expect(['ahead', 'on_track', 'behind']).toContain(f.status);
    });

    it('an unknown signpost is a 404 and a malformed code a 400', async () => {
      expect((await get('/v1/signposts/not_a_signpost')).status).toBe(404);
      expect((await get('/v1/signposts/Bad-Code!')).status).toBe(400);
    });
  });

  describe('events', () => {
    it('lists newest first with a keyset cursor that walks every live event once', async () => {
      const all = await walk('/v1/events?limit=9');
      const ids = all.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      const dates = all.map((e) => e.published_at);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(all.every((e) => e.retracted === false)).toBe(true);
      const total = Number(
        (
          await t.ctx.database.db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('retracted', '=', false)
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(ids.length).toBe(total);
    });

    it('limit above 100 is clamped to 100; limit below 1 or not a number is a 400', async () => {
      const r = await get('/v1/events?limit=500&tier=A,B,C,D');
      expect(r.status).toBe(200);
      expect(r.json.results.length).toBeLessThanOrEqual(100);
      const dflt = await get('/v1/events');
      expect(dflt.json.results).toHaveLength(50);
      for (const bad of ['0', '-1', 'abc', '1.5', '']) expect((await get(`/v1/events?limit=${bad}`)).status, bad).toBe(400);
    });

    it('filters by tier, signpost, category, date range, text and retraction', async () => {
      const a = await get('/v1/events?tier=A&limit=100');
      expect(a.json.results.length).toBeGreaterThan(0);
      expect(a.json.results.every((e: any) => e.tier === 'A')).toBe(true);
      const cd = await get('/v1/events?tier=c,D&limit=100');
      expect(cd.json.results.map((e: any) => e.id)).toContain(hostileId);
      expect(cd.json.results.every((e: any) => e.tier === 'C' || e.tier === 'D')).toBe(true);

      const sp = await get('/v1/events?signpost=swe_bench_85&limit=100');
      expect(sp.json.results.length).toBeGreaterThan(0);
      expect(
        sp.json.results.every((e: any) => e.observations.some((o: any) => o.signpost === 'swe_bench_85' && o.status === 'approved')),
      ).toBe(true);

      const cat = await get('/v1/events?category=inputs&limit=100');
      expect(cat.json.results.length).toBeGreaterThan(0);
      expect(cat.json.results.every((e: any) => e.observations.some((o: any) => o.category === 'inputs'))).toBe(true);
      expect((await get('/v1/events?category=inputs&signpost=swe_bench_85')).json.results).toEqual([]);

      // Walking a signpost or category filter page by page gives exactly the events the approved
      // observations say, newest first (the pages come from event_links; the reference from observations).
      for (const [query, where] of [
        ['signpost=swe_bench_85', sql`o.signpost_code = 'swe_bench_85'`],
        ['category=inputs&since=2024-01-01', sql`s.category = 'inputs' AND e.published_at >= '2024-01-01'`],
      ] as const) {
        const expected = await sql<{ id: number }>`
          SELECT DISTINCT e.id, e.published_at FROM observations o JOIN events e ON e.id = o.event_id
          JOIN signposts s ON s.code = o.signpost_code
          WHERE o.status = 'approved' AND NOT e.retracted AND ${where}
          ORDER BY e.published_at DESC, e.id DESC`.execute(t.ctx.database.db);
        const walked = await walk(`/v1/events?${query}&limit=2`);
        expect(
          walked.map((e: any) => e.id),
          query,
        ).toEqual(expected.rows.map((r) => r.id));
        expect(walked.length, query).toBeGreaterThan(2);
      }

      const range = await get('/v1/events?since=2024-01-01&until=2024-12-31&limit=100');
      expect(range.json.results.length).toBeGreaterThan(0);
      expect(range.json.results.every((e: any) => e.published_at >= '2024-01-01' && e.published_at < '2025-01-01')).toBe(true);
      const instant = await get(
        `/v1/events?since=${encodeURIComponent('2024-03-04T00:00:00Z')}&until=${encodeURIComponent('2024-03-04T00:00:00Z')}`,
      );
      expect(instant.status).toBe(200);

      const q = await get('/v1/events?q=zymurgy');
      expect(q.json.results.map((e: any) => e.id)).toEqual([cTierId]);
    });

    it('retracted events are hidden unless include_retracted=true', async () => {
      const retracted = (
        await t.ctx.services.imports.importLines(asLines([evidenceEvent({ title: 'Soon retracted claim', published_at: daysAgo(2) })]))
      ).event_ids[0]!;
      await t.ctx.services.curation.retract(retracted, 'test retraction');
      const hidden = await get('/v1/events?limit=10');
      expect(hidden.json.results.map((e: any) => e.id)).not.toContain(retracted);
      const shown = await get('/v1/events?limit=10&include_retracted=true');
      const event = shown.json.results.find((e: any) => e.id === retracted);
      expect(event).toMatchObject({ retracted: true, retracted_reason: 'test retraction' });
    });

    it('bad filters are 400, never 500', async () => {
      const bad = [
        'signpost=unknown_code',
        'signpost=DROP%20TABLE',
        'category=vibes',
        'tier=E',
        'tier=A,,B',
        'since=2025-02-30',
        'since=last-week',
        'since=2025-01-01&until=2024-01-01',
        'include_retracted=maybe',
        `q=${'x'.repeat(201)}`,
        'cursor=not-a-cursor',
        `cursor=${Buffer.from('{"p":"2025-01-01; DROP TABLE events","i":1}').toString('base64url')}`,
        `cursor=${Buffer.from('{"p":"2025-01-01 00:00:00+00","i":-5}').toString('base64url')}`,
        `cursor=${Buffer.from('[]').toString('base64url')}`,
      ];
      for (const query of bad) {
        const r = await get(`/v1/events?${query}`);
        expect(r.status, query).toBe(400);
        expect(r.json.request_id).toBeTruthy();
      }
    });

    it('an event by id has all its observations; an unknown id is 404, a malformed one 400', async () => {
      const list = await get('/v1/events?signpost=swe_bench_85&limit=1');
      const id = list.json.results[0].id;
      const r = await get(`/v1/events/${id}`);
      expect(r.status).toBe(200);
      expect(r.json.id).toBe(id);
      expect(r.json.content_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.json.observations.length).toBeGreaterThan(0);
      expect((await get('/v1/events/2147483647')).status).toBe(404);
      for (const bad of ['abc', '0', '-1', '1.5', '99999999999', '1e3']) expect((await get(`/v1/events/${bad}`)).status, bad).toBe(400);
    });
  });

  describe('evidence, forecasts, changelog', () => {
    it('evidence lists approved observations by default and filters by signpost, status and tier', async () => {
      const all = await walk('/v1/evidence?limit=40');
      expect(all.length).toBeGreaterThan(40);
      expect(all.every((o) => o.status === 'approved' && o.event.retracted === false)).toBe(true);
      expect(new Set(all.map((o) => o.id)).size).toBe(all.length);
      const sp = await get('/v1/evidence?signpost=compute_1e26');
      expect(sp.json.results.every((o: any) => o.signpost === 'compute_1e26')).toBe(true);
      const b = await get('/v1/evidence?tier=B');
      expect(b.json.results.every((o: any) => o.event.tier === 'B')).toBe(true);
      expect((await get('/v1/evidence?status=pending')).json.results.every((o: any) => o.status === 'pending')).toBe(true);
      for (const bad of ['status=maybe', 'signpost=nope', 'tier=Z']) expect((await get(`/v1/evidence?${bad}`)).status, bad).toBe(400);
    });

    it('forecasts carry ahead / on_track / behind and the surprise score, paginated', async () => {
      const all = await walk('/v1/forecasts?limit=10');
      expect(all.length).toBe(t.ctx.catalog.catalog.forecasts.length);
      for (const f of all) {
        expect(['ahead', 'on_track', 'behind']).toContain(f.status);
        if (f.crossed_date) expect(typeof f.surprise_years).toBe('number');
        else expect(f.surprise_years).toBeNull();
      }
      const one = await get('/v1/forecasts?signpost=swe_bench_85');
      expect(one.json.results.every((f: any) => f.signpost === 'swe_bench_85')).toBe(true);
      expect((await get('/v1/forecasts?signpost=nope')).status).toBe(400);
    });

    it('the changelog is paginated newest first and filters by preset', async () => {
      const r = await get('/v1/changelog?limit=5');
      expect(r.status).toBe(200);
      expect(r.json.results.some((e: any) => e.kind === 'retraction')).toBe(true);
      expect((await get('/v1/changelog?preset=equal')).status).toBe(200);
      expect((await get('/v1/changelog?preset=nope')).status).toBe(400);
    });
  });

  describe('search', () => {
    it('ranks matches, pages by (rank, id) without duplicates, and rejects an empty query', async () => {
      const all = await walk('/v1/search?q=benchmark&limit=3');
      expect(all.length).toBeGreaterThan(3);
      expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
      const ranks = all.map((e) => e.rank);
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
      const phrase = await get('/v1/search?q=%22zymurgy%20result%22');
      expect(phrase.json.results.map((e: any) => e.id)).toEqual([cTierId]);
      expect((await get('/v1/search?q=')).status).toBe(400);
      expect((await get('/v1/search')).status).toBe(400);
      expect((await get('/v1/search?q=%22unbalanced%20(quote%20OR')).status).toBe(200);
    });
  });

  describe('feeds and exports', () => {
    it('the JSON feed is JSON Feed 1.1 with only A/B evidence by default; ?tiers= selects others', async () => {
      const r = await get('/v1/feed.json?limit=100');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/feed\+json/);
      expect(r.json.version).toBe('https://jsonfeed.org/version/1.1');
      expect(r.json.items.length).toBeGreaterThan(0);
      for (const item of r.json.items) {
        expect(['A', 'B']).toContain(item._agi_tracker.tier);
        expect(item.id).toMatch(/^urn:agi-tracker:event:\d+$/);
        expect(Date.parse(item.date_published)).not.toBeNaN();
      }
      const c = await get('/v1/feed.json?tiers=C');
      expect(c.json.items.map((i: any) => i._agi_tracker.event_id)).toContain(hostileId);
      const page = await get('/v1/feed.json?limit=2');
      expect(page.json.next_url).toMatch(/^\/v1\/feed\.json\?.*cursor=/);
      const next = await get(page.json.next_url);
      expect(next.json.items[0].id).not.toBe(page.json.items[0].id);
    });

    it('the Atom feed is well-formed XML that escapes hostile titles', async () => {
      const r = await get('/v1/feed.xml?tiers=C,D&limit=100');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
      expect(XMLValidator.validate(r.text)).toBe(true);
      expect(r.text).not.toContain('<script>');
      const doc = new XMLParser({ ignoreAttributes: false }).parse(r.text);
      expect(doc.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
      const entries = [doc.feed.entry].flat();
      const hostile = entries.find((e: any) => e.id === `urn:agi-tracker:event:${hostileId}`);
      // The control character is dropped (XML 1.0 forbids it); the parser trims the space before it.
      expect(hostile.title['#text']).toBe(HOSTILE_TITLE.replace('\u0001', '').trim());
      expect((await get('/v1/feed.xml')).status).toBe(200);
    });

    it('the CSV export neutralises formula-like cells and pages with a Link header', async () => {
      const r = await get('/v1/export/events.csv?tier=C&limit=1000');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(r.headers.get('content-disposition')).toMatch(/attachment/);
      const line = r.text.split('\r\n').find((l) => l.startsWith(`${hostileId},`))!;
      expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")`);
      expect(line).toContain(",'+SUM(A1:A9),");
      expect(line).toContain('"\'@cmd|/c calc');
      const paged = await get('/v1/export/events.csv?limit=5');
      expect(paged.text.trim().split('\r\n')).toHaveLength(6);
      const link = paged.headers.get('link')!;
      expect(link).toMatch(/^<\/v1\/export\/events\.csv\?.*cursor=.*>; rel="next"$/);
      const next = await get(link.slice(1, link.indexOf('>')));
      expect(next.status).toBe(200);
      expect(next.text.split('\r\n')[1]).not.toBe(paged.text.split('\r\n')[1]);
      expect((await get('/v1/export/events.csv?limit=0')).status).toBe(400);
    });

    it('the JSON export is bounded (limit clamped to 5000) and continues with next_cursor', async () => {
      const r = await get('/v1/export/events.json?limit=999999&tier=A,B,C,D');
      expect(r.status).toBe(200);
      expect(r.json.results.length).toBeLessThanOrEqual(5000);
      expect(r.json.next_cursor).toBeNull();
      const small = await get('/v1/export/events.json?limit=3');
      expect(small.json.results).toHaveLength(3);
      const next = await get(`/v1/export/events.json?limit=3&cursor=${small.json.next_cursor}`);
      expect(next.json.results[0].id).not.toBe(small.json.results[2].id);
    });
  });

  describe('HTTP behaviour', () => {
    it('no junk value in any parameter of any tracker read route is a 500', async () => {
      const spec = (await get('/openapi.json')).json;
      const junk = [
        '',
        ' ',
        'x'.repeat(600),
        '%00',
        '%E0%A4%A',
        "'",
        '"',
        '-1',
        '0',
        '1e309',
        'NaN',
        '[]',
        '{}',
        '2025-02-30',
        'A,,',
        '../../etc',
        '%F0%9F%92%A9',
      ];
      const routes = Object.entries<any>(spec.paths).filter(
        ([path, ops]) => ops.get && /^\/v1\/(index|signposts|events|evidence|changelog|forecasts|search|feed|export)/.test(path),
      );
      expect(routes.length).toBeGreaterThanOrEqual(15);
      for (const [path, ops] of routes) {
        const params: Array<{ name: string; in: string }> = ops.get.parameters ?? [];
        const fill = (p: string, value: string) => p.replace(/\{[^}]+\}/g, value);
        for (const value of junk) {
          const base = fill(path, path.includes('{code}') ? 'swe_bench_85' : '1');
          const urls = [
            ...params.filter((p) => p.in === 'query').map((p) => `${base}?${p.name}=${value}${p.name === 'q' ? '' : ''}`),
            ...(path.includes('{') ? [fill(path, value || 'x')] : []),
          ];
          for (const url of urls) {
            const r = await fetch(server.url + url);
            expect(r.status, url).toBeLessThan(500);
            await r.arrayBuffer();
          }
        }
      }
    });

    it('read routes are cached by URL (second GET is a HIT) and answer 304 to If-None-Match', async () => {
      const first = await get('/v1/signposts?limit=3&category=agents');
      const second = await get('/v1/signposts?limit=3&category=agents');
      expect(second.headers.get('x-cache')).toBe('HIT');
      expect(second.text).toBe(first.text);
      const etag = second.headers.get('etag')!;
      const r = await fetch(`${server.url}/v1/signposts?limit=3&category=agents`, { headers: { 'if-none-match': etag } });
      expect(r.status).toBe(304);
    });

    it('HEAD works on read routes', async () => {
      for (const path of ['/v1/index', '/v1/events', '/v1/feed.xml', '/v1/export/events.csv?limit=2']) {
        const r = await fetch(server.url + path, { method: 'HEAD' });
        expect(r.status, path).toBe(200);
      }
    });

    it('/openapi.json documents every tracker route, and /docs loads only external scripts', async () => {
      const r = await get('/openapi.json');
      expect(r.status).toBe(200);
      const paths = Object.keys(r.json.paths);
      for (const p of [
        '/v1/index',
        '/v1/index/history',
        '/v1/index/custom',
        '/v1/signposts',
        '/v1/signposts/{code}',
        '/v1/events',
        '/v1/events/{id}',
        '/v1/evidence',
        '/v1/changelog',
        '/v1/forecasts',
        '/v1/search',
        '/v1/feed.json',
        '/v1/feed.xml',
        '/v1/export/events.csv',
        '/v1/export/events.json',
        '/v1/admin/review-queue',
        '/v1/admin/events/{id}/approve',
        '/v1/admin/events/{id}/reject',
        '/v1/admin/events/{id}/retract',
        '/v1/admin/recompute',
        '/v1/admin/events/import',
      ]) {
        expect(paths, p).toContain(p);
      }
      const events = r.json.paths['/v1/events'].get;
      expect(events.parameters.map((p: any) => p.name)).toEqual(
        expect.arrayContaining(['limit', 'cursor', 'tier', 'signpost', 'category', 'since', 'until', 'q', 'include_retracted']),
      );
      // Keyed routes show the X-API-Key requirement (derived from their auth policy); public ones do not.
      for (const [path, ops] of Object.entries(r.json.paths as Record<string, Record<string, any>>)) {
        for (const [method, op] of Object.entries(ops)) {
          expect(op.security, `${method} ${path}`).toEqual(path.startsWith('/v1/admin/') ? [{ apiKey: [] }] : undefined);
        }
      }
      const docs = await get('/docs/');
      expect(docs.status).toBe(200);
      expect(docs.text).toMatch(/<script src=/);
      expect(docs.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(docs.headers.get('content-security-policy') ?? '').not.toMatch(/unsafe-inline|unsafe-eval/);
    });
  });
});
