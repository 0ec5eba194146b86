import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSources } from '../src/ingest/sources.config.js';
import { sourceModule } from '../src/ingest/sources/index.js';
import {
  DocumentError,
  parseSources,
  rebaseSources,
  type CandidateEvent,
  type FetchedDocuments,
  type SourceConfig,
} from '../src/ingest/source.js';
import { Fetcher, FetchError, USER_AGENT } from '../src/ingest/fetcher.js';
import { htmlToText, parseDate } from '../src/ingest/text.js';
import { fixture, FixtureServer } from './helpers/fixture-server.js';
import { SOURCE_FIXTURES } from './helpers/ingest.js';

const FETCHED_AT = new Date('2025-09-01T00:00:00Z');

function source(id: string): SourceConfig {
  const s = defaultSources().find((x) => x.id === id);
  if (!s) throw new Error(`no source ${id}`);
  return s;
}

function docs(body: string, extra: Record<string, string> = {}, url = 'https://example.org/feed'): FetchedDocuments {
  return {
    notModified: false,
    main: {
      notModified: false,
      status: 200,
      url,
      body,
      bytes: body.length,
      contentType: null,
      etag: null,
      lastModified: null,
      attempts: 1,
    },
    extra,
    validators: { etag: null, last_modified: null },
  };
}

/** Parses and normalises a source's fixture: the candidates and the reasons of skipped entries. */
function read(id: string, body?: string): { events: CandidateEvent[]; skipped: string[] } {
  const config = source(id);
  const f = SOURCE_FIXTURES[id]!;
  const mod = sourceModule(config);
  const entries = mod.parse(docs(body ?? fixture(f.file), f.names ? { names: fixture(f.names) } : {}, config.url), config);
  const events: CandidateEvent[] = [];
  const skipped: string[] = [];
  for (const e of entries) {
    const n = mod.normalise(e, config, FETCHED_AT);
    if (n.ok) events.push(n.event);
    else skipped.push(n.reason);
  }
  return { events, skipped };
}

describe('source configuration', () => {
  it('every configured source is valid, with a unique id, an https URL and a tier', () => {
    const sources = defaultSources();
    expect(new Set(sources.map((s) => s.id)).size).toBe(sources.length);
    for (const s of sources) expect(s.url).toMatch(/^https:\/\//);
    const tiers = Object.fromEntries(sources.map((s) => [s.id, s.tier]));
    expect(tiers).toMatchObject({
      arxiv: 'A',
      'openai-news': 'B',
      'ars-technica-ai': 'C',
      'swe-bench-verified': 'A',
      'epoch-notable-models': 'A',
    });
  });

  it('the arXiv query asks for cs.AI, cs.CL and cs.LG', () => {
    const q = new URL(source('arxiv').url).searchParams.get('search_query');
    expect(q).toContain('cat:cs.AI OR cat:cs.CL OR cat:cs.LG');
  });

  it('a bad source entry is refused with its id and field', () => {
    expect(() =>
      parseSources([{ id: 'x', kind: 'feed', name: 'X', url: 'ftp://x', tier: 'B', publisher: 'X', source_type: 'press' }]),
    ).toThrow(/sources\[0\] \(x\)\.url/);
  });

  it('rebasing keeps host and path under the new origin', () => {
    const [moved] = rebaseSources([source('openai-news')], 'http://127.0.0.1:9');
    expect(moved!.url).toBe('http://127.0.0.1:9/openai.com/news/rss.xml');
  });
});

describe('each source parses its fixture', () => {
  it('arXiv: papers with https abstract links, collapsed titles, tier A', () => {
    const { events, skipped } = read('arxiv');
    expect(skipped).toEqual([]);
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      title: 'Scaling Agentic Repair: An Open Agent that Resolves 65.4% of SWE-bench Verified',
      url: 'https://arxiv.org/abs/2505.01234v2',
      publisher: 'arXiv',
      source_type: 'paper',
      tier: 'A',
      published_at: '2025-05-12T17:59:59.000Z',
    });
    expect(events[0]!.summary).toMatch(
      /^We present an open software engineering agent\. Our agent resolves 65\.4% of issues on SWE-bench Verified/,
    );
    expect(events[2]!.summary).toContain('limitations & open problems');
  });

  it('lab RSS: HTML stripped to text (scripts dropped), relative links resolved, an untitled item skipped with its reason', () => {
    const { events, skipped } = read('openai-news');
    expect(events.map((e) => e.title)).toEqual(['Introducing Model Nova', 'Our approach to AI safety & security']);
    expect(events[0]!.summary).toBe('Model Nova scores 74.9% on SWE-bench Verified and 88.4% on GPQA Diamond.');
    expect(events[0]).toMatchObject({ tier: 'B', source_type: 'lab_post', publisher: 'OpenAI', published_at: '2025-08-07T17:00:00.000Z' });
    expect(events[1]!.url).toBe('https://openai.com/index/our-approach-to-safety/');
    expect(skipped).toEqual(['entry has no title']);
  });

  it('lab Atom: alternate links, escaped HTML summaries, updated when published is missing', () => {
    const { events } = read('google-deepmind-blog');
    expect(events[0]).toMatchObject({
      title: 'Gemini Deep Think achieves gold-medal standard at the IMO',
      url: 'https://deepmind.google/discover/blog/gemini-deep-think-imo/',
      summary: 'An advanced version of Gemini solved five of six problems.',
      published_at: '2025-07-21T16:00:00.000Z',
    });
    expect(events[1]).toMatchObject({
      published_at: '2025-07-10T08:00:00.000Z',
      summary: 'Our computer-use agent reaches 61.4% on OSWorld.',
    });
  });

  it('press RSS: tier C', () => {
    const { events } = read('ars-technica-ai');
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.tier === 'C' && e.source_type === 'press')).toBe(true);
  });

  it('SWE-bench Verified: only the Verified board, best score per system, value as a fraction with a per-submission URL', () => {
    const { events, skipped } = read('swe-bench-verified');
    expect(events.map((e) => e.title)).toEqual([
      'Agent Alpha + Model Nova scores 75.2% on SWE-bench Verified',
      'Agent Beta scores 70.4% on SWE-bench Verified',
    ]);
    expect(events[0]).toMatchObject({
      url: 'https://github.com/SWE-bench/experiments/tree/main/evaluation/verified/20250810_agent-alpha',
      tier: 'A',
      source_type: 'leaderboard',
      published_at: '2025-08-10T00:00:00.000Z',
      observations: [{ metric: 'swe_bench_verified', value: 0.752, confidence: 1 }],
    });
    expect(skipped).toEqual(['row "Broken Row" has no readable score (n/a)']);
  });

  it('ARC-AGI: the dataset filter, display names from the second document, fractions kept', () => {
    const one = read('arc-agi-1').events;
    expect(one.map((e) => [e.title, e.observations![0]!.value])).toEqual([
      ['Model Nova (high) scores 87.5% on ARC-AGI-1', 0.875],
      ['Orion scores 55% on ARC-AGI-1', 0.55],
    ]);
    expect(one[0]!.observations![0]!.metric).toBe('arc_agi_1');
    const two = read('arc-agi-2').events;
    expect(two.map((e) => e.title)).toEqual(['Model Nova (high) scores 29% on ARC-AGI-2']);
    // Rows without a date are dated when first seen.
    expect(two[0]!.published_at).toBe(FETCHED_AT.toISOString());
  });

  it('WebArena CSV: percent to fraction, month dates, a shifted row skipped', () => {
    const { events, skipped } = read('webarena');
    expect(events.map((e) => [e.title, e.observations![0]!.value, e.published_at])).toEqual([
      ['DeepSky Agent scores 66.9% on WebArena', 0.669, '2025-09-01T00:00:00.000Z'],
      ['OpenAI Operator scores 58.1% on WebArena', 0.581, '2025-01-01T00:00:00.000Z'],
    ]);
    expect(skipped).toEqual(['row "43.7" has no readable score (AutoGuide)']);
  });

  it('GPQA Diamond (Epoch AI runs): only GPQA rows, the best run per model', () => {
    const { events } = read('gpqa-diamond-epoch');
    expect(events.map((e) => [e.title, e.observations![0]!.value])).toEqual([
      ['Model Nova scores 88.4% on GPQA Diamond', 0.884],
      ['Orion scores 71.2% on GPQA Diamond', 0.712],
    ]);
  });

  it("Epoch AI models: compute from 1e24 FLOP up, Epoch's confidence label as the observation's confidence", () => {
    const { events, skipped } = read('epoch-notable-models');
    expect(skipped).toEqual([]);
    expect(events.map((e) => [e.title, e.observations![0]!.value, e.observations![0]!.confidence])).toEqual([
      ['Model Nova trained with 5e26 FLOP (Epoch AI estimate)', 5e26, 0.85],
      ['Orion trained with 3.8e25 FLOP (Epoch AI estimate)', 3.8e25, 0.6],
    ]);
    expect(events[0]!.summary).toContain('https://lab-one.example/nova');
  });
});

describe('broken documents are refused with a reason', () => {
  const truncatedFeed = fixture('openai-news.rss.xml').slice(0, 700);
  it.each([
    ['openai-news', truncatedFeed, /not well-formed XML/],
    ['openai-news', '<html><body>Service unavailable</body></html>', /not an RSS or Atom feed \(root element: html\)/],
    ['openai-news', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel/></rss>', /declares XML entities/],
    [
      'arxiv',
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#bad</id><title>Error</title><summary>malformed query</summary></entry></feed>',
      /arXiv API error: malformed query/,
    ],
    ['swe-bench-verified', '{"leaderboards": [{"name": "Lite", "results": []}]}', /no "leaderboards\[name=Verified\]\.results"/],
    ['swe-bench-verified', '{"leaderboards": [', /not valid JSON/],
    ['webarena', 'Model,Success Rate (%)\n"unclosed,1\n', /not a readable CSV file/],
  ])('%s: %s', (id, body, reason) => {
    const config = source(id);
    const run = () => sourceModule(config).parse(docs(body), config);
    expect(run).toThrow(DocumentError);
    expect(run).toThrow(reason);
  });
});

describe('text helpers', () => {
  it('HTML to text: tags, scripts, entities, whitespace', () => {
    expect(htmlToText('<p>A&nbsp;&amp;&#8217;B</p>\n<script>x()</script><b>C</b>')).toBe('A &\u2019B C');
  });
  it.each([
    ['Thu, 07 Aug 2025 17:00:00 GMT', '2025-08-07T17:00:00.000Z'],
    ['2025-05-12T17:59:59Z', '2025-05-12T17:59:59.000Z'],
    ['2025-06-05', '2025-06-05T00:00:00.000Z'],
    ['09/2025', '2025-09-01T00:00:00.000Z'],
  ])('date %s', (raw, iso) => {
    expect(parseDate(raw)?.toISOString()).toBe(iso);
  });
  it('unreadable dates are undefined', () => {
    expect(parseDate('soon')).toBeUndefined();
    expect(parseDate('13/2025')).toBeUndefined();
  });
});

describe('fetcher', () => {
  let server: FixtureServer;
  const fast = { minIntervalMs: 0, backoffMs: 10, maxBackoffMs: 500, timeoutMs: 1_000, retries: 2 };
  beforeAll(async () => {
    server = await new FixtureServer().start();
  });
  afterAll(() => server.close());

  it('sends a descriptive User-Agent with a contact URL', async () => {
    server.set('/ua', { body: 'ok' });
    await new Fetcher(fast).fetch({ url: `${server.url}/ua` });
    expect(server.requestsTo('/ua')[0]!.headers['user-agent']).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^agi-tracker\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/[^)]+\)$/);
  });

  it('conditional GET: validators are sent and a 304 comes back without a body', async () => {
    server.set('/cond', { body: '<rss/>', etag: '"v1"', lastModified: 'Wed, 01 Oct 2025 00:00:00 GMT' });
    const first = await new Fetcher(fast).fetch({ url: `${server.url}/cond` });
    expect(first).toMatchObject({ notModified: false, etag: '"v1"', lastModified: 'Wed, 01 Oct 2025 00:00:00 GMT', body: '<rss/>' });
    const again = await new Fetcher(fast).fetch({ url: `${server.url}/cond`, etag: '"v1"', lastModified: 'Wed, 01 Oct 2025 00:00:00 GMT' });
    expect(again).toMatchObject({ notModified: true, status: 304 });
    const seen = server.requestsTo('/cond')[1]!.headers;
    expect(seen['if-none-match']).toBe('"v1"');
    expect(seen['if-modified-since']).toBe('Wed, 01 Oct 2025 00:00:00 GMT');
  });

  it('retries a 5xx with backoff and succeeds', async () => {
    server.set('/flaky', { body: 'fine', failFirst: [503, 500] });
    const res = await new Fetcher(fast).fetch({ url: `${server.url}/flaky` });
    expect(res).toMatchObject({ notModified: false, body: 'fine', attempts: 3 });
  });

  it('gives up after its retries on a persistent 500, naming the status', async () => {
    server.set('/down', { status: 500 });
    const err = await new Fetcher(fast).fetch({ url: `${server.url}/down` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ status: 500, attempts: 3, message: 'HTTP 500 (after 3 attempts)' });
  });

  it('does not retry a 404', async () => {
    server.set('/gone', { status: 404 });
    const err = await new Fetcher(fast).fetch({ url: `${server.url}/gone` }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, attempts: 1 });
    expect(server.requestsTo('/gone')).toHaveLength(1);
  });

  it('honours Retry-After on 429, and refuses to wait longer than its limit', async () => {
    server.set('/busy', { body: 'ok', failFirst: [429], headers: { 'retry-after': '0' } });
    expect(await new Fetcher(fast).fetch({ url: `${server.url}/busy` })).toMatchObject({ body: 'ok', attempts: 2 });
    server.set('/later', { status: 429, headers: { 'retry-after': '3600' } });
    const err = await new Fetcher(fast).fetch({ url: `${server.url}/later` }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/asks to wait 3600 s/);
    expect(server.requestsTo('/later')).toHaveLength(1);
  });

  it('times out a stalled response and retries it', async () => {
    server.set('/slow', { body: 'late', delayMs: 1_500 });
    const started = Date.now();
    const err = await new Fetcher({ ...fast, timeoutMs: 200, retries: 1 }).fetch({ url: `${server.url}/slow` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as Error).message).toMatch(/timed out after 200 ms \(after 2 attempts\)/);
    expect(Date.now() - started).toBeLessThan(1_400);
  });

  it('a body cut short is a network error, retried, then reported', async () => {
    server.set('/cut', { body: fixture('arxiv.atom.xml'), truncate: true });
    const err = await new Fetcher(fast).fetch({ url: `${server.url}/cut` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as Error).message).toMatch(/network error/);
    expect(server.requestsTo('/cut')).toHaveLength(3);
  });

  it('refuses a body over the size limit, by Content-Length or while streaming', async () => {
    server.set('/big', { body: 'x'.repeat(10_000) });
    const err = await new Fetcher({ ...fast, maxBytes: 1_000 }).fetch({ url: `${server.url}/big` }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/exceeds the 1000-byte limit/);
    expect(server.requestsTo('/big')).toHaveLength(1);
  });

  it('one request at a time per host, with the minimum interval between starts', async () => {
    server.set('/p', { body: 'ok', delayMs: 100 });
    const fetcher = new Fetcher({ ...fast, minIntervalMs: 150 });
    const starts: number[] = [];
    const t0 = Date.now();
    await Promise.all(
      [1, 2, 3].map(async () => {
        await fetcher.fetch({ url: `${server.url}/p` });
        starts.push(Date.now() - t0);
      }),
    );
    // Serial: each finishes at least 100 ms (its own delay) after the previous one.
    starts.sort((a, b) => a - b);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(140);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(140);
  });
});
