/**
 * Measures the rule extractor against the mapping gold sets of the AGI Signpost Tracker
 * (`<datasets>/mapping-goldset/news_goldset.json` and `claims_goldset.json`).
 *
 *   npx tsx bench/mapping-goldset.ts        (datasets from $DATASETS_DIR or ../shared/datasets;
 *                                           catalog from $CATALOG_DIR or ./catalog)
 *
 * How it scores. The gold sets were labelled against another catalog, so every gold label is first
 * translated to one of our metrics: a code our catalog has goes to that signpost's metric; the codes
 * listed in GOLD_CODE_METRIC (gpqa_75, swe_bench_70, osworld_50, webarena_60, …) go to the metric they
 * measure; a code on a quantity our catalog does not track (algorithmic efficiency, job displacement)
 * is out of scope and reported as such. A translated label then stands for every signpost of ours on
 * that metric, because the mapper deliberately maps a value to all of them: the gold "swe_bench_90,
 * 90.5" becomes {swe_bench_85, swe_bench_90}. Precision, recall and F1 count (item, signpost) pairs.
 *
 * Two views are printed:
 * - measurement (the target): gold labels that carry a value on a non-binary metric, i.e. the claims
 *   a numeric extractor is meant to read. A gold label without a value ("AGI by 2027" tagged with
 *   compute_1e27) is a topical tag: predictions on its metric are neither rewarded nor punished.
 * - strict: every translated label counts, topical tags and binary metrics included.
 * Value accuracy: among measurement labels whose metric we predicted, the share where every value we
 * extracted for that metric equals the gold value (relative tolerance 1e-6) after converting units:
 * percent → fraction, log10 → FLOP. "Exact share" divides the same count by all measurement labels.
 *
 * The rules never read these files; nothing here feeds back into them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { MetricSchema, parseCatalog, SignpostSchema, type Tier } from '../src/domain/catalog.js';
import { extract, type ExtractionCatalog } from '../src/domain/extraction/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const datasetsDir = process.env.DATASETS_DIR ?? path.resolve(repoRoot, '../shared/datasets');
const goldDir = path.join(datasetsDir, 'mapping-goldset');

/** Gold codes that are not in our catalog, translated to the metric they measure (null: we track no such metric). */
const GOLD_CODE_METRIC: Readonly<Record<string, string | null>> = {
  gpqa_75: 'gpqa_diamond',
  swe_bench_70: 'swe_bench_verified',
  osworld_50: 'osworld',
  webarena_60: 'webarena',
  hle_text_70: 'hle_text',
  dc_power_1gw: 'datacenter_power_gw',
  dc_power_10gw: 'datacenter_power_gw',
  inputs_dc_1gw: 'datacenter_power_gw',
  inputs_flops_27: 'training_compute_flop',
  algo_efficiency_2oom: null,
  inputs_algo_oom: null,
  economic_displacement_10pct: null,
  multi_day_project: null,
  ai_treaty_ratified: null,
  security_l2_monitoring: null,
};

const SCORING =
  'gold codes translated to our metrics; a label stands for every signpost of ours on its metric; P/R/F1 over (item, signpost) pairs; ' +
  'measurement view = gold labels with a value on a non-binary metric (topical labels neither rewarded nor punished); strict view = every translated label; ' +
  'value accuracy = share of matched measurement labels where every extracted value equals the gold value (rel. tol. 1e-6, percent -> fraction, log10 -> FLOP)';

interface GoldItem {
  set: 'news' | 'claims';
  id: string;
  title: string;
  summary: string;
  tier?: Tier;
  /** Gold labels as (code, value in the gold set's own unit, that unit). */
  labels: { code: string; value: number | null; unit: string }[];
}

const NewsGold = z.array(
  z.object({
    id: z.string(),
    title: z.string(),
    summary: z.string(),
    evidence_tier: z.enum(['A', 'B', 'C', 'D']),
    expected_signposts: z.array(z.string()),
    expected_values: z.array(z.number()),
  }),
);
const ClaimsGold = z.object({
  examples: z.array(
    z.object({
      id: z.number(),
      news_snippet: z.string(),
      expected_claims: z.array(z.object({ metric_name: z.string(), metric_value: z.number(), unit: z.string() })),
      expected_signposts: z.array(z.string()),
    }),
  ),
});

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function loadGold(): GoldItem[] {
  const news = NewsGold.parse(readJson(path.join(goldDir, 'news_goldset.json')));
  const claims = ClaimsGold.parse(readJson(path.join(goldDir, 'claims_goldset.json')));
  const items: GoldItem[] = news.map((n) => ({
    set: 'news',
    id: n.id,
    title: n.title,
    summary: n.summary,
    tier: n.evidence_tier,
    labels: n.expected_signposts.map((code, i) => ({
      code,
      // Values pair with codes by position; a list shorter than the codes gives the others none.
      value: n.expected_values.length === n.expected_signposts.length ? (n.expected_values[i] ?? null) : null,
      unit: 'news',
    })),
  }));
  for (const c of claims.examples) {
    // Each claim names one quantity; the signpost list only says which metric it is, so one code is enough.
    const claim = c.expected_claims[0];
    const code = c.expected_signposts[0];
    items.push({
      set: 'claims',
      id: `claim_${c.id}`,
      title: c.news_snippet,
      summary: '',
      labels: claim && code ? [{ code, value: claim.metric_value, unit: claim.unit }] : [],
    });
  }
  return items;
}

/** Reads catalog/*.json: each file is either an array or an object holding `metrics`, `signposts`, … */
function loadCatalog(): { catalog: ExtractionCatalog & { metrics: z.infer<typeof MetricSchema>[] }; version: string; note: string } {
  const dir = process.env.CATALOG_DIR ?? path.join(repoRoot, 'catalog');
  const parts: Record<string, unknown> = {};
  for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : []) {
    const data = readJson(path.join(dir, file));
    const key = path.basename(file, '.json');
    if (Array.isArray(data)) parts[key] = data;
    else if (data && typeof data === 'object') Object.assign(parts, data);
  }
  if (!parts.metrics || !parts.signposts) {
    throw new Error(`no catalog in ${dir}: metrics.json and signposts.json are needed`);
  }
  const assembled = { version: 'unversioned', presets: [], forecasts: [], ...parts };
  try {
    const catalog = parseCatalog(assembled);
    return { catalog, version: catalog.version, note: 'catalog validated by parseCatalog' };
  } catch (error) {
    // The extractor needs only metrics and signposts; a catalog still being written is measured anyway.
    const metrics = z.array(MetricSchema).parse(parts.metrics);
    const signposts = z.array(SignpostSchema).parse(parts.signposts);
    const first = String(error instanceof Error ? error.message : error)
      .split('\n')
      .slice(0, 4)
      .join(' | ');
    return {
      catalog: { metrics, signposts },
      version: String(assembled.version),
      note: `full catalog invalid (${first}); metrics and signposts validated alone`,
    };
  }
}

function toMetricUnit(value: number, unit: string, metricUnit: string): number {
  if (unit === 'log10') return Number.isInteger(value) ? Number(`1e${value}`) : 10 ** value;
  if (unit === '%') return value / 100;
  // The news set writes percentages as points (90.5) and everything else in our units.
  if (unit === 'news' && metricUnit === 'fraction') return value / 100;
  return value;
}

function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
const prf = ({ tp, fp, fn }: Counts) => {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...{ tp, fp, fn }, precision: round(precision), recall: round(recall), f1: round(f1) };
};
const round = (x: number) => Math.round(x * 10000) / 10000;

function main(): void {
  if (!existsSync(goldDir)) {
    console.log(`skip: mapping gold sets not found at ${goldDir} (set DATASETS_DIR to the shared datasets folder)`);
    return;
  }
  const { catalog, version, note } = loadCatalog();
  const metricOfSignpost = new Map(catalog.signposts.map((s) => [s.code, s.metric]));
  const unitOf = new Map(catalog.metrics.map((m) => [m.code, m.unit]));
  const signpostsOf = (metric: string) => catalog.signposts.filter((s) => s.metric === metric).map((s) => s.code);
  const untranslated = new Set<string>();
  const translate = (code: string): string | null => {
    const metric = metricOfSignpost.get(code) ?? GOLD_CODE_METRIC[code] ?? null;
    if (metric === null || !unitOf.has(metric)) {
      untranslated.add(code);
      return null;
    }
    return metric;
  };

  const tallies = new Map<string, { measurement: Counts; strict: Counts; metric: Counts; valued: number; exact: number; labels: number }>();
  const tally = (key: string) => {
    let t = tallies.get(key);
    if (!t) {
      t = {
        measurement: { tp: 0, fp: 0, fn: 0 },
        strict: { tp: 0, fp: 0, fn: 0 },
        metric: { tp: 0, fp: 0, fn: 0 },
        valued: 0,
        exact: 0,
        labels: 0,
      };
      tallies.set(key, t);
    }
    return t;
  };
  for (const key of ['news', 'claims', 'combined']) tally(key);
  const itemsOut = [];
  const misses: string[] = [];

  for (const item of loadGold()) {
    const out = extract({ title: item.title, summary: item.summary, tier: item.tier }, catalog);
    const predictedMetrics = new Map<string, number[]>();
    for (const m of out.metrics) predictedMetrics.set(m.metric, [...(predictedMetrics.get(m.metric) ?? []), m.value]);
    const predictedCodes = new Set(out.signposts.map((s) => s.code));

    // Gold labels by our metric: a value makes it a measurement label.
    const gold = new Map<string, number | null>();
    const outOfScope: string[] = [];
    for (const label of item.labels) {
      const metric = translate(label.code);
      if (!metric) {
        outOfScope.push(label.code);
        continue;
      }
      const value = label.value === null ? null : toMetricUnit(label.value, label.unit, unitOf.get(metric) ?? '');
      if (!gold.has(metric) || gold.get(metric) === null) gold.set(metric, value);
    }
    const measured = [...gold].filter(([m, v]) => v !== null && unitOf.get(m) !== 'binary').map(([m]) => m);
    const topical = [...gold.keys()].filter((m) => !measured.includes(m));

    const goldCodesMeasured = new Set(measured.flatMap(signpostsOf));
    const goldCodesAll = new Set([...gold.keys()].flatMap(signpostsOf));
    const ignored = new Set(topical.flatMap(signpostsOf));
    const count = (c: Counts, goldCodes: Set<string>, predicted: Set<string>) => {
      for (const code of predicted) {
        if (goldCodes.has(code)) c.tp++;
        else c.fp++;
      }
      for (const code of goldCodes) if (!predicted.has(code)) c.fn++;
    };

    const values = measured.map((metric) => {
      const expected = gold.get(metric) as number;
      const got = predictedMetrics.get(metric) ?? [];
      return { metric, expected, got, exact: got.length > 0 && got.every((v) => sameValue(v, expected)) };
    });
    for (const key of [item.set, 'combined']) {
      const t = tally(key);
      count(t.measurement, goldCodesMeasured, new Set([...predictedCodes].filter((c) => !ignored.has(c))));
      count(t.strict, goldCodesAll, predictedCodes);
      count(t.metric, new Set(measured), new Set([...predictedMetrics.keys()].filter((m) => !topical.includes(m))));
      t.labels += values.length;
      t.valued += values.filter((v) => v.got.length > 0).length;
      t.exact += values.filter((v) => v.exact).length;
    }

    const missed = measured.filter((m) => !predictedMetrics.has(m));
    const spurious = [...predictedMetrics.keys()].filter((m) => !gold.has(m));
    const wrongValue = values.filter((v) => v.got.length > 0 && !v.exact);
    const ok = missed.length === 0 && spurious.length === 0 && wrongValue.length === 0;
    if (!ok) {
      const parts = [
        missed.length ? `missed ${missed.map((m) => `${m}=${gold.get(m)}`).join(', ')}` : '',
        spurious.length ? `spurious ${spurious.map((m) => `${m}=${predictedMetrics.get(m)?.join('|')}`).join(', ')}` : '',
        wrongValue.length ? `wrong value ${wrongValue.map((v) => `${v.metric} got ${v.got.join('|')} want ${v.expected}`).join(', ')}` : '',
      ].filter(Boolean);
      misses.push(`  ${item.id}: ${parts.join('; ')}\n      "${item.title}${item.summary ? ' / ' + item.summary : ''}"`);
    }
    itemsOut.push({
      set: item.set,
      id: item.id,
      gold_measured: Object.fromEntries(measured.map((m) => [m, gold.get(m)])),
      gold_topical: topical,
      gold_out_of_scope: outOfScope,
      predicted: out.metrics,
      signposts: out.signposts,
      ok,
    });
  }

  const summary = Object.fromEntries(
    [...tallies].map(([key, t]) => [
      key,
      {
        signposts_measurement: prf(t.measurement),
        signposts_strict: prf(t.strict),
        metrics_measurement: prf(t.metric),
        value_labels: t.labels,
        values_matched: t.valued,
        values_exact: t.exact,
        value_accuracy: round(t.valued === 0 ? 1 : t.exact / t.valued),
        exact_share: round(t.labels === 0 ? 1 : t.exact / t.labels),
      },
    ]),
  );

  console.log(`mapping gold sets: ${goldDir}`);
  console.log(`catalog ${version}: ${catalog.metrics.length} metrics, ${catalog.signposts.length} signposts (${note})`);
  for (const [key, s] of Object.entries(summary)) {
    const line = (name: string, c: ReturnType<typeof prf>) =>
      `  ${name.padEnd(22)} P ${c.precision.toFixed(3)}  R ${c.recall.toFixed(3)}  F1 ${c.f1.toFixed(3)}  (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`;
    console.log(`${key}:`);
    console.log(line('signposts, measurement', s.signposts_measurement));
    console.log(line('signposts, strict', s.signposts_strict));
    console.log(line('metrics, measurement', s.metrics_measurement));
    console.log(
      `  values: accuracy ${s.value_accuracy.toFixed(3)} (${s.values_exact}/${s.values_matched} matched), exact share ${s.exact_share.toFixed(3)} (${s.values_exact}/${s.value_labels} labels)`,
    );
  }
  console.log(`gold codes with no metric in our catalog (out of scope): ${[...untranslated].sort().join(', ') || 'none'}`);
  console.log(`items with a miss (${misses.length}):\n${misses.join('\n')}`);

  const combined = summary.combined;
  const targets = { f1: 0.9, value_accuracy: 0.95 };
  const met = combined ? combined.signposts_measurement.f1 >= targets.f1 && combined.value_accuracy >= targets.value_accuracy : false;
  console.log(
    `targets (combined, measurement view): F1 >= ${targets.f1}, value accuracy >= ${targets.value_accuracy}: ${met ? 'met' : 'NOT met'}`,
  );

  const resultsDir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    path.join(resultsDir, 'mapping-goldset.json'),
    `${JSON.stringify({ catalog_version: version, catalog_note: note, scoring: SCORING, targets, targets_met: met, summary, out_of_scope_codes: [...untranslated].sort(), items: itemsOut }, null, 2)}\n`,
  );
}

main();
