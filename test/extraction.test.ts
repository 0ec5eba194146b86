import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../src/domain/catalog.js';
import {
  extract,
  extractMetrics,
  HEDGE_FACTOR,
  mapToSignposts,
  RULES,
  TIER_FACTORS,
  type ExtractionCatalog,
} from '../src/domain/extraction/index.js';

const metric = (code: string, unit: Metric['unit'], aliases: string[] = []) => ({ code, unit, aliases });
const catalog: ExtractionCatalog = {
  metrics: [
    metric('swe_bench_verified', 'fraction'),
    metric('osworld', 'fraction'),
    metric('webarena', 'fraction'),
    metric('gpqa_diamond', 'fraction'),
    metric('hle_text', 'fraction'),
    metric('arc_agi_1', 'fraction'),
    metric('arc_agi_2', 'fraction'),
    metric('agent_task_success', 'fraction'),
    metric('agent_time_horizon_hours', 'hours'),
    metric('training_compute_flop', 'flop'),
    metric('largest_cluster_h100e', 'h100e'),
    metric('datacenter_power_gw', 'gw'),
    metric('org_ai_adoption', 'fraction', ['organizations reported using AI']),
    metric('mandatory_evals', 'binary', ['mandatory evaluations']),
  ],
  signposts: [
    { code: 'swe_bench_85', metric: 'swe_bench_verified' },
    { code: 'swe_bench_90', metric: 'swe_bench_verified' },
    { code: 'gpqa_sota', metric: 'gpqa_diamond' },
    { code: 'compute_1e26', metric: 'training_compute_flop' },
    { code: 'compute_1e27', metric: 'training_compute_flop' },
    { code: 'mandatory_evals', metric: 'mandatory_evals' },
  ],
};

/** `[metric, value]` pairs read from a text, in order. */
const read = (text: string, c: ExtractionCatalog = catalog) => extractMetrics(text, c).map((m) => [m.metric, m.value]);
const only = (text: string, c: ExtractionCatalog = catalog) => {
  const found = extractMetrics(text, c);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('benchmark scores', () => {
  it('a percentage followed by "on <benchmark>" becomes a fraction of that benchmark', () => {
    const m = only('GPT-5 gets 72.3% on SWE-bench Verified');
    expect(m).toMatchObject({ metric: 'swe_bench_verified', value: 0.723, unit: 'fraction', rule: 'percent_on_benchmark' });
    expect(m.confidence).toBe(RULES.percent_on_benchmark);
    expect(m.span).toEqual({ start: 11, end: 16, text: '72.3%' });
  });

  it('a few words may stand between the score and "on <benchmark>"', () => {
    expect(read('The model scores 87.7% accuracy on the GPQA Diamond set')).toEqual([['gpqa_diamond', 0.877]]);
    expect(read('Agent reaches 82% success rate on complex multi-step tasks')).toEqual([['agent_task_success', 0.82]]);
  });

  it('"<benchmark> score of X%" links the score to the benchmark named before it', () => {
    expect(only('Its SWE-bench Verified score of 49% leads the table')).toMatchObject({
      metric: 'swe_bench_verified',
      value: 0.49,
      rule: 'benchmark_score_in_clause',
    });
  });

  it('each score goes to its own benchmark in "X% on A and Y% on B"', () => {
    expect(read('It scores 87.7% on GPQA Diamond and 40% on HLE')).toEqual([
      ['gpqa_diamond', 0.877],
      ['hle_text', 0.4],
    ]);
  });

  it('in a list "A 86%, B 74%" each score pairs with the name in its own clause', () => {
    expect(read('Multiple benchmarks improve: SWE-bench 86%, GPQA 74%')).toEqual([
      ['swe_bench_verified', 0.86],
      ['gpqa_diamond', 0.74],
    ]);
  });

  it('a benchmark named in another clause of the sentence claims a score nobody else claimed, with less confidence', () => {
    const m = only('On SWE-bench Verified, the new model resolves 72% of issues');
    expect(m).toMatchObject({ metric: 'swe_bench_verified', value: 0.72, rule: 'benchmark_score_in_sentence' });
    expect(m.confidence).toBeLessThan(RULES.benchmark_score_in_clause);
  });

  it('a body score that names no benchmark takes the single benchmark of the headline', () => {
    const m = only('Agent lab posts results on WebArena\nThe web agent achieves 61.5% on navigation tasks.');
    expect(m).toMatchObject({ metric: 'webarena', value: 0.615, rule: 'benchmark_score_from_headline' });
  });

  it('a score in the body is not given to a headline that names two benchmarks', () => {
    expect(read('New results on WebArena and OSWorld\nThe agent achieves 61.5% overall.')).toEqual([]);
  });

  it('a rounded headline value yields to the precise body value and lends it its confidence', () => {
    const found = extractMetrics('Model hits 85% success on WebArena\nWeb agent achieves 85.2% on navigation tasks.', catalog);
    expect(found.map((m) => m.value)).toEqual([0.852]);
    expect(found[0]!.confidence).toBe(RULES.percent_on_benchmark);
  });

  it('the same value in headline and body is reported once', () => {
    expect(read('GPT-5 scores 74.9% on SWE-bench Verified\nOpenAI says GPT-5 scores 74.9% on SWE-bench Verified.')).toEqual([
      ['swe_bench_verified', 0.749],
    ]);
  });

  it('two different scores on one benchmark are both kept', () => {
    expect(read('GPT-5 scores 74.9% on SWE-bench Verified; Claude Opus 4.1 scores 74.5% on SWE-bench Verified')).toEqual([
      ['swe_bench_verified', 0.749],
      ['swe_bench_verified', 0.745],
    ]);
  });

  it('a second score that leaves out the benchmark in "X% on A for M1 and Y% for M2" keeps the benchmark', () => {
    const found = extractMetrics('It reports 72.5% on SWE-bench Verified for Opus 4 and 72.7% for Sonnet 4', catalog);
    expect(found.map((m) => [m.metric, m.value, m.rule])).toEqual([
      ['swe_bench_verified', 0.725, 'percent_on_benchmark'],
      ['swe_bench_verified', 0.727, 'benchmark_score_elided'],
    ]);
  });

  it('a leftover score is not given to a benchmark another score already holds', () => {
    expect(read('GPQA Diamond 87%, MMLU 90%')).toEqual([['gpqa_diamond', 0.87]]);
  });

  it('a score written as a decimal after a scoring verb is read as a fraction', () => {
    expect(only('GPT-5 scores 0.81 on GPQA-Diamond')).toMatchObject({ metric: 'gpqa_diamond', value: 0.81, rule: 'decimal_score' });
  });

  it('spelling variants of benchmark names are recognised', () => {
    expect(read('72% on SWE bench verified')).toEqual([['swe_bench_verified', 0.72]]);
    expect(read('81% on GPQA-Diamond')).toEqual([['gpqa_diamond', 0.81]]);
    expect(read('25% on Humanity\u2019s Last Exam')).toEqual([['hle_text', 0.25]]);
    expect(read('OSWorld-Verified: new state of the art at 61%')).toEqual([['osworld', 0.61]]);
  });

  it('a sibling benchmark is not read as the tracked one', () => {
    expect(read('The model scores 48% on SWE-bench Lite')).toEqual([]);
    expect(read('GPT-4V achieves 42% on VisualWebArena')).toEqual([]);
    expect(read('It reaches 30% on ARC-AGI-2 and 85% on ARC-AGI')).toEqual([
      ['arc_agi_2', 0.3],
      ['arc_agi_1', 0.85],
    ]);
  });

  it('aliases come from the catalog', () => {
    const custom: ExtractionCatalog = { metrics: [metric('toolbench', 'fraction', ['ToolBench Pro'])], signposts: [] };
    expect(read('Agent scores 64% on ToolBench Pro', custom)).toEqual([['toolbench', 0.64]]);
  });

  it('a name claimed by two metrics supports no value', () => {
    const ambiguous: ExtractionCatalog = {
      metrics: [metric('arc_v1', 'fraction', ['ARC']), metric('arc_v2', 'fraction', ['ARC'])],
      signposts: [],
    };
    expect(read('Model scores 50% on ARC', ambiguous)).toEqual([]);
  });

  it('a share "X% of …" is a score only when the metric is named right after "of"', () => {
    expect(read('72% of SWE-bench Verified tasks are solved')).toEqual([['swe_bench_verified', 0.72]]);
    expect(read('78% of organizations reported using AI')).toEqual([['org_ai_adoption', 0.78]]);
    expect(read('GPQA Diamond questions make up 10% of the training data')).toEqual([]);
  });

  it('a percentage above 100 is not a score', () => {
    expect(read('SWE-bench Verified throughput reached 140%')).toEqual([]);
  });
});

describe('training compute', () => {
  it.each([
    ['trained with 1e26 FLOP', 1e26],
    ['a 10^27 FLOPs training run', 1e27],
    ['estimated at 3.8 × 10^25 FLOP', 3.8e25],
    ['about 3.8x10^25 FLOP in total', 3.8e25],
    ['2e25 floating point operations', 2e25],
    ['a run of 10\u00b2\u2076 FLOP', 1e26],
  ])('"%s" is %d FLOP', (text, value) => {
    expect(only(text)).toMatchObject({ metric: 'training_compute_flop', value, unit: 'flop', rule: 'training_compute' });
  });

  it('machine speeds (petaflops, FLOP/s) are not training compute', () => {
    expect(read('The cluster sustains 10 petaflops')).toEqual([]);
    expect(read('A peak of 1e18 FLOP/s per rack')).toEqual([]);
  });
});

describe('accelerator counts', () => {
  it('named chips count as H100-equivalents', () => {
    expect(only('A cluster of 100,000 H100s')).toMatchObject({ metric: 'largest_cluster_h100e', value: 100000, rule: 'accelerator_count' });
    expect(read('xAI brings 1.2 million H100-equivalent GPUs online')).toEqual([['largest_cluster_h100e', 1.2e6]]);
    expect(read('50,000 Nvidia GB200 GPUs in one building')).toEqual([['largest_cluster_h100e', 125000]]);
    expect(read('Colossus runs 100,000 Hopper GPUs')).toEqual([['largest_cluster_h100e', 100000]]);
    expect(read('two 24,576-GPU clusters')).toEqual([['largest_cluster_h100e', 24576]]);
  });

  it('unnamed GPUs are counted one for one, with less confidence', () => {
    const m = only('100k GPUs in a single cluster');
    expect(m).toMatchObject({ value: 100000, rule: 'generic_accelerator_count' });
    expect(m.confidence).toBeLessThan(RULES.accelerator_count);
  });

  it('fewer than a thousand accelerators is not a frontier cluster', () => {
    expect(read('a server with 8 H100s')).toEqual([]);
  });
});

describe('datacenter power', () => {
  it.each([
    ['a 5 GW campus', 5],
    ['1.2 gigawatts of capacity', 1.2],
    ['a 5-gigawatt site', 5],
    ['a 300 MW datacenter', 0.3],
  ])('"%s" is %d GW', (text, value) => {
    expect(only(text)).toMatchObject({ metric: 'datacenter_power_gw', value, unit: 'gw', rule: 'datacenter_power' });
  });

  it('energy (GWh) is not power', () => {
    expect(read('the site used 500 GWh last year')).toEqual([]);
  });
});

describe('agent time horizon', () => {
  it('hours and minutes become hours when the time horizon is named', () => {
    expect(only('METR measures a time horizon of 2 hours')).toMatchObject({
      metric: 'agent_time_horizon_hours',
      value: 2,
      rule: 'time_horizon',
    });
    expect(only('its 50% time horizon is 59 minutes').value).toBeCloseTo(59 / 60, 12);
    expect(only('a time horizon of 2 hours 15 minutes').value).toBe(2.25);
  });

  it("days and weeks are working time (8 and 40 hours), as in METR's time-horizon work", () => {
    expect(only('a time horizon of 2 days').value).toBe(16);
    expect(only('a time horizon of 1 week').value).toBe(40);
  });

  it('"every N days" is a doubling period, not a time horizon', () => {
    expect(read('the time horizon doubles every 7 days')).toEqual([]);
  });

  it('a duration without the time horizon named is ignored', () => {
    expect(read('The agent ran for 59 minutes')).toEqual([]);
    expect(read('AI agents complete 3-day software projects')).toEqual([]);
  });
});

describe('false-positive guards', () => {
  it('years are not values', () => {
    expect(read('In 2025 GPUs grew scarce; SWE-bench Verified launched in 2024')).toEqual([]);
  });

  it('model version numbers are not values', () => {
    expect(read('GPT-4 and Claude 3.5 Sonnet were tested on SWE-bench Verified')).toEqual([]);
    expect(read('Claude 3.5 reaches 49% on SWE-bench Verified')).toEqual([['swe_bench_verified', 0.49]]);
  });

  it('money is not a quantity', () => {
    expect(read('a $500M GPU order')).toEqual([]);
    expect(read('a USD 200,000 H100 lease and a $ 2 billion GPU deal')).toEqual([]);
  });

  it.each([
    'SWE-bench Verified improved by 20%',
    'a 20% improvement on SWE-bench Verified',
    'up 20% on SWE-bench Verified',
    '+20% on SWE-bench Verified',
    'scores rose 12% on SWE-bench Verified',
    'gains 20 percentage points on SWE-bench Verified',
    'its GPQA Diamond score is 15% higher than last year',
  ])('a percent change is not a score: "%s"', (text) => {
    expect(read(text)).toEqual([]);
  });

  it('prices and discounts are not scores', () => {
    expect(read('The SWE-bench Verified leader cuts prices by 50%')).toEqual([]);
    expect(read('The GPQA Diamond leader is now 40% cheaper')).toEqual([]);
  });

  it('probabilities and shares are not scores', () => {
    expect(read('Forecasters give 60% chance that SWE-bench Verified is saturated')).toEqual([]);
    expect(read('GPQA Diamond questions now make up 10% of the training data')).toEqual([]);
  });

  it('human baselines are not the model score', () => {
    expect(read('Human experts score 65% on GPQA Diamond')).toEqual([]);
    expect(read('GPQA Diamond has a human baseline of 69.7%')).toEqual([]);
    expect(read('OSWorld (where humans score 72.4%) saw Claude reach 61.4%')).toEqual([['osworld', 0.614]]);
    expect(read('On OSWorld humans complete 72.36% of tasks and the best model only 12.24%')).toEqual([['osworld', 0.1224]]);
    expect(read('GPQA Diamond: o1 78.0%, experts 69.7%')).toEqual([['gpqa_diamond', 0.78]]);
    expect(read('61.4% on OSWorld, close to the 72% human level')).toEqual([['osworld', 0.614]]);
  });

  it('an earlier value in a comparison is not reported', () => {
    expect(read('SWE-bench Verified rose from 49% to 72%')).toEqual([['swe_bench_verified', 0.72]]);
    expect(read('72% on SWE-bench Verified, up from 49%')).toEqual([['swe_bench_verified', 0.72]]);
    expect(read('72% on SWE-bench Verified compared with 49% for the previous model')).toEqual([['swe_bench_verified', 0.72]]);
  });

  it('an upper bound is not a measurement', () => {
    expect(read('every model scores under 10% on HLE')).toEqual([]);
    expect(read('trained with less than 1e26 FLOP')).toEqual([]);
  });

  it('a percentage with no benchmark in sight is not read', () => {
    expect(read('10% of remote knowledge workers displaced by AI')).toEqual([]);
  });

  it('forecasts and rumours keep their value but lose half their confidence', () => {
    const m = only('Rumour: GPT-6 could reach 90% on SWE-bench Verified');
    expect(m.confidence).toBeCloseTo(RULES.percent_on_benchmark * HEDGE_FACTOR, 12);
  });

  it('binary metrics are never read by the rules', () => {
    expect(extractMetrics('Mandatory evaluations now required by law', catalog)).toEqual([]);
  });
});

describe('mapToSignposts', () => {
  const metrics = extractMetrics('GPT-5 scores 74.9% on SWE-bench Verified', catalog);

  it('maps a value to every signpost on its metric', () => {
    expect(mapToSignposts(metrics, catalog, 'A').map((s) => [s.code, s.value])).toEqual([
      ['swe_bench_85', 0.749],
      ['swe_bench_90', 0.749],
    ]);
  });

  it('multiplies the rule confidence by the tier factor', () => {
    for (const tier of ['A', 'B', 'C', 'D'] as const) {
      const [first] = mapToSignposts(metrics, catalog, tier);
      expect(first?.confidence).toBeCloseTo(RULES.percent_on_benchmark * TIER_FACTORS[tier], 3);
    }
    expect(TIER_FACTORS).toEqual({ A: 1, B: 0.95, C: 0.8, D: 0.6 });
  });

  it('without a tier keeps the rule confidence', () => {
    expect(mapToSignposts(metrics, catalog)[0]).toMatchObject({ confidence: RULES.percent_on_benchmark, rule: 'percent_on_benchmark' });
  });
});

describe('extract', () => {
  it('returns exactly the CLI contract: metrics and signposts', () => {
    const out = extract({ title: 'Lab trains model with 2e26 FLOP', summary: 'The run used 2e26 FLOP.', tier: 'B' }, catalog);
    expect(out).toEqual({
      metrics: [{ metric: 'training_compute_flop', value: 2e26, unit: 'flop' }],
      signposts: [
        { code: 'compute_1e26', value: 2e26, confidence: 0.808 },
        { code: 'compute_1e27', value: 2e26, confidence: 0.808 },
      ],
    });
  });

  it('returns empty lists for a text without evidence', () => {
    expect(extract({ title: 'Weather forecast for next week', summary: 'Sunny skies and mild temperatures.' }, catalog)).toEqual({
      metrics: [],
      signposts: [],
    });
  });
});

// The real catalog, when its files are in place: every benchmark metric must be recognisable by name.
const catalogDir = path.resolve(import.meta.dirname, '../catalog');
const realCatalogFiles = ['metrics.json', 'signposts.json'].map((f) => path.join(catalogDir, f));
describe.skipIf(!realCatalogFiles.every((f) => existsSync(f)))('with the real catalog files', () => {
  const load = (file: string): unknown[] => {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const key = path.basename(file, '.json');
    return Array.isArray(data) ? data : ((data as Record<string, unknown[]>)[key] ?? []);
  };
  let cached: ExtractionCatalog | undefined;
  const real = () =>
    (cached ??= { metrics: load(realCatalogFiles[0]!), signposts: load(realCatalogFiles[1]!) } as unknown as ExtractionCatalog);

  it.each([
    ['SWE-bench Verified', 'swe_bench_verified'],
    ['OSWorld', 'osworld'],
    ['WebArena', 'webarena'],
    ['GPQA Diamond', 'gpqa_diamond'],
    ["Humanity's Last Exam", 'hle_text'],
  ])('"%s" is recognised as %s', (name, code) => {
    expect(read(`The model scores 51% on ${name}`, real())).toEqual([[code, 0.51]]);
  });

  it('a training-compute figure maps to the compute signposts', () => {
    const codes = extract({ title: 'A 2e26 FLOP training run', tier: 'A' }, real()).signposts.map((s) => s.code);
    expect(codes).toEqual(expect.arrayContaining(['compute_1e26', 'compute_1e27']));
  });
});
