import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import {
  CORE_CATEGORIES,
  REQUIRED_PRESETS,
  REQUIRED_SIGNPOST_CODES,
  findCatalogProblems,
  parseCatalog,
  type Catalog,
  type Category,
  type Metric,
  type Signpost,
} from '../src/domain/catalog.js';
import { ImportEventSchema, type ImportEvent } from '../src/domain/evidence.js';

const catalogFile = (name: string): string => readFileSync(new URL(`../catalog/${name}`, import.meta.url), 'utf8');
const readJson = (name: string): unknown => JSON.parse(catalogFile(name));

const meta = readJson('meta.json') as { version: string; updated: string };

function loadCatalog(): Catalog {
  return parseCatalog({
    version: meta.version,
    metrics: readJson('metrics.json'),
    signposts: readJson('signposts.json'),
    presets: readJson('presets.json'),
    forecasts: readJson('forecasts.json'),
  });
}

const evidenceLines = catalogFile('evidence.jsonl')
  .split('\n')
  .filter((line) => line.trim() !== '');

describe('bundled catalog', () => {
  it('parses and has no problems', () => {
    const catalog = loadCatalog();
    expect(findCatalogProblems(catalog)).toEqual([]);
  });

  it('carries a version and an update date', () => {
    expect(meta.version).toBe('2026.11.1');
    expect(meta.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('defines every required signpost and preset', () => {
    const catalog = loadCatalog();
    const codes = new Set(catalog.signposts.map((s) => s.code));
    for (const code of REQUIRED_SIGNPOST_CODES) expect(codes, code).toContain(code);
    const presets = new Set(catalog.presets.map((p) => p.code));
    for (const code of REQUIRED_PRESETS) expect(presets, code).toContain(code);
  });

  it('keeps HLE monitor-only and gives each core category a first-class signpost', () => {
    const catalog = loadCatalog();
    expect(catalog.signposts.find((s) => s.code === 'hle_text_50')?.monitor_only).toBe(true);
    for (const category of CORE_CATEGORIES) {
      const counted = catalog.signposts.filter((s) => s.category === category && s.first_class && !s.monitor_only);
      expect(counted.length, category).toBeGreaterThan(0);
    }
  });

  it('uses the agreed metric codes and units', () => {
    const metrics = new Map(loadCatalog().metrics.map((m) => [m.code, m]));
    const expected: Record<string, [Metric['unit'], Metric['scale']]> = {
      swe_bench_verified: ['fraction', 'linear'],
      osworld: ['fraction', 'linear'],
      webarena: ['fraction', 'linear'],
      gpqa_diamond: ['fraction', 'linear'],
      hle_text: ['fraction', 'linear'],
      arc_agi_1: ['fraction', 'linear'],
      arc_agi_2: ['fraction', 'linear'],
      agent_task_success: ['fraction', 'linear'],
      agent_time_horizon_hours: ['hours', 'log10'],
      training_compute_flop: ['flop', 'log10'],
      largest_cluster_h100e: ['h100e', 'log10'],
      datacenter_power_gw: ['gw', 'log10'],
      security_maturity_milestone: ['binary', 'linear'],
      weights_security_l1: ['binary', 'linear'],
      mandatory_evals_law: ['binary', 'linear'],
    };
    for (const [code, [unit, scale]] of Object.entries(expected)) {
      expect(metrics.get(code)?.unit, code).toBe(unit);
      expect(metrics.get(code)?.scale, code).toBe(scale);
    }
  });

  it('lets no alias name two metrics, since the extractor drops shared aliases', () => {
    const owners = new Map<string, string>();
    for (const metric of loadCatalog().metrics) {
      for (const alias of metric.aliases) {
        const key = alias
          .trim()
          .toLowerCase()
          .replace(/[\s-]+/g, ' ');
        const owner = owners.get(key);
        expect(owner === undefined || owner === metric.code, `${alias}: ${owner} and ${metric.code}`).toBe(true);
        owners.set(key, metric.code);
      }
    }
  });

  it('has the expected thresholds on key signposts', () => {
    const signposts = new Map(loadCatalog().signposts.map((s) => [s.code, s]));
    expect(signposts.get('swe_bench_85')?.target).toBe(0.85);
    expect(signposts.get('gpqa_phd_parity')?.target).toBeCloseTo(0.81);
    const compute = signposts.get('compute_1e27');
    expect(compute?.target).toBe(1e27);
    expect(compute?.target ?? 0).toBeGreaterThan(compute?.baseline ?? Infinity);
  });
});

describe('bundled evidence', () => {
  const catalog = loadCatalog();
  const metrics = new Map(catalog.metrics.map((m) => [m.code, m]));
  const signposts = new Map(catalog.signposts.map((s) => [s.code, s]));
  const events: ImportEvent[] = evidenceLines.map((line) => ImportEventSchema.parse(JSON.parse(line)));

  /** The categories an observation counts towards: its signpost's, or those of every signpost on its metric. */
  function categoriesOf(observation: ImportEvent['observations'][number]): Set<Category> {
    if (observation.signpost !== undefined) {
      const signpost = signposts.get(observation.signpost);
      return new Set(signpost ? [signpost.category] : []);
    }
    return new Set(catalog.signposts.filter((s) => s.metric === observation.metric).map((s) => s.category));
  }

  function metricOf(observation: ImportEvent['observations'][number]): Metric | undefined {
    const code = observation.signpost !== undefined ? signposts.get(observation.signpost)?.metric : observation.metric;
    return code === undefined ? undefined : metrics.get(code);
  }

  it('has at least 70 events, each a valid import event', () => {
    expect(evidenceLines.length).toBeGreaterThanOrEqual(70);
    for (const line of evidenceLines) {
      const parsed = ImportEventSchema.safeParse(JSON.parse(line));
      expect(parsed.success, line.slice(0, 120)).toBe(true);
    }
  });

  it('refers only to metrics and signposts in the catalog', () => {
    for (const event of events) {
      for (const observation of event.observations) {
        if (observation.signpost !== undefined) expect(signposts.has(observation.signpost), observation.signpost).toBe(true);
        if (observation.metric !== undefined) expect(metrics.has(observation.metric), observation.metric).toBe(true);
      }
    }
  });

  it('stores values in the metric unit', () => {
    for (const event of events) {
      for (const observation of event.observations) {
        const metric = metricOf(observation);
        const label = `${event.title}: ${observation.metric ?? observation.signpost}`;
        expect(metric, label).toBeDefined();
        if (metric?.unit === 'fraction') expect(observation.value >= 0 && observation.value <= 1, label).toBe(true);
        if (metric?.unit === 'binary') expect([0, 1], label).toContain(observation.value);
        if (metric?.scale === 'log10') expect(observation.value, label).toBeGreaterThan(0);
      }
    }
  });

  it('has no two events with the same URL and title', () => {
    const keys = events.map((e) => `${e.url}\n${e.title.trim().toLowerCase()}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('dates every event no later than the catalog update', () => {
    for (const event of events) expect(event.published_at.slice(0, 10) <= meta.updated, event.title).toBe(true);
  });

  it('gives each core category several A/B events with observations', () => {
    for (const category of CORE_CATEGORIES) {
      const backed = events.filter((e) => (e.tier === 'A' || e.tier === 'B') && e.observations.some((o) => categoriesOf(o).has(category)));
      expect(backed.length, category).toBeGreaterThanOrEqual(3);
    }
  });

  it('includes some press (tier C) items with observations', () => {
    expect(events.filter((e) => e.tier === 'C' && e.observations.length > 0).length).toBeGreaterThanOrEqual(3);
  });
});

/** A small hand-made catalog that breaks no rule except lacking most required codes. */
function smallCatalog(): Catalog {
  const metric = (code: string, unit: Metric['unit'], scale: Metric['scale']): Metric => ({
    code,
    name: code,
    unit,
    scale,
    direction: 'increasing',
    aliases: [],
    description: 'test metric',
    sources: [{ title: 'source', url: 'https://example.org/' }],
  });
  const signpost = (code: string, category: Category, metricCode: string, baseline: number, target: number): Signpost => ({
    code,
    name: code,
    category,
    metric: metricCode,
    baseline,
    target,
    first_class: true,
    monitor_only: false,
    description: 'test signpost',
    why_it_matters: 'test',
    sources: [{ title: 'source', url: 'https://example.org/' }],
  });
  return {
    version: 'test',
    metrics: [
      metric('swe_bench_verified', 'fraction', 'linear'),
      metric('training_compute_flop', 'flop', 'log10'),
      metric('mandatory_evals_law', 'binary', 'linear'),
      metric('osworld', 'fraction', 'linear'),
    ],
    signposts: [
      signpost('swe_bench_85', 'capabilities', 'swe_bench_verified', 0.33, 0.85),
      signpost('osworld_65', 'agents', 'osworld', 0.12, 0.65),
      signpost('compute_1e27', 'inputs', 'training_compute_flop', 2e25, 1e27),
      signpost('mandatory_evals', 'security', 'mandatory_evals_law', 0, 1),
    ],
    presets: [
      {
        code: 'equal',
        name: 'Equal',
        description: 'test',
        weights: { capabilities: 1, agents: 1, inputs: 1 },
        source: { title: 'source', url: 'https://example.org/' },
      },
    ],
    forecasts: [],
  };
}

/** Problems other than the required codes a small catalog necessarily lacks. */
function problemsOf(catalog: Catalog): string[] {
  return findCatalogProblems(catalog).filter((p) => !p.startsWith('required '));
}

function signpostIn(catalog: Catalog, code: string): Signpost {
  const found = catalog.signposts.find((s) => s.code === code);
  if (!found) throw new Error(`no signpost ${code} in test catalog`);
  return found;
}

describe('findCatalogProblems on a hand-made catalog', () => {
  it('finds nothing wrong with the small catalog besides missing required codes', () => {
    expect(problemsOf(smallCatalog())).toEqual([]);
    expect(findCatalogProblems(smallCatalog())).toContain('required signpost swe_bench_90 is missing');
  });

  it('catches a duplicate signpost code', () => {
    const catalog = smallCatalog();
    catalog.signposts.push({ ...signpostIn(catalog, 'swe_bench_85') });
    expect(problemsOf(catalog)).toContain('duplicate signpost code swe_bench_85');
  });

  it('catches a duplicate metric code', () => {
    const catalog = smallCatalog();
    catalog.metrics.push({ ...catalog.metrics[0]! });
    expect(problemsOf(catalog)).toContain('duplicate metric code swe_bench_verified');
  });

  it('rejects an unknown category when parsing', () => {
    const raw = JSON.parse(JSON.stringify(smallCatalog())) as { signposts: { category: string }[] };
    raw.signposts[0]!.category = 'vibes';
    expect(() => parseCatalog(raw)).toThrow(/category/);
  });

  it('catches a signpost on an unknown metric', () => {
    const catalog = smallCatalog();
    signpostIn(catalog, 'osworld_65').metric = 'os_world';
    expect(problemsOf(catalog)).toContain('signpost osworld_65: unknown metric os_world');
  });

  it('catches a percentage written as 85 instead of 0.85', () => {
    const catalog = smallCatalog();
    signpostIn(catalog, 'swe_bench_85').target = 85;
    expect(problemsOf(catalog)).toContain('signpost swe_bench_85: target 85 is not a fraction in [0,1]');
  });

  it('catches a baseline equal to the target', () => {
    const catalog = smallCatalog();
    signpostIn(catalog, 'osworld_65').baseline = 0.65;
    expect(problemsOf(catalog)).toContain('signpost osworld_65: baseline equals target');
  });

  it('catches a target on the wrong side of the baseline (the old compute_1e27 flaw)', () => {
    const catalog = smallCatalog();
    const compute = signpostIn(catalog, 'compute_1e27');
    compute.baseline = 1e27;
    compute.target = 3.1e23;
    expect(problemsOf(catalog).some((p) => p.startsWith('signpost compute_1e27: target is on the wrong side'))).toBe(true);
  });

  it('catches a non-positive value on a log10 metric', () => {
    const catalog = smallCatalog();
    signpostIn(catalog, 'compute_1e27').baseline = 0;
    expect(problemsOf(catalog)).toContain('signpost compute_1e27: a log10 metric needs positive baseline and target');
  });

  it('catches a binary signpost that does not go from 0 to 1', () => {
    const catalog = smallCatalog();
    signpostIn(catalog, 'mandatory_evals').baseline = 0.15;
    expect(problemsOf(catalog)).toContain('signpost mandatory_evals: a binary signpost goes from 0 to 1');
  });

  it('catches a forecast for an unknown signpost', () => {
    const catalog = smallCatalog();
    catalog.forecasts.push({
      signpost: 'swe_bench_99',
      forecaster: 'Someone',
      predicted_date: '2027-01-01',
      url: 'https://example.org/',
      published_at: '2025-01-01',
    });
    expect(problemsOf(catalog)).toContain('forecast by Someone: unknown signpost swe_bench_99');
  });

  it('catches a core category without a first-class signpost', () => {
    const catalog = smallCatalog();
    signpostIn(catalog, 'mandatory_evals').first_class = false;
    expect(problemsOf(catalog)).toContain('core category security has no first-class signpost');
  });
});
