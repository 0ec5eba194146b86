import { z } from 'zod';

/** Categories that are shown on the dashboard. The first four are the core; only three feed the composite. */
export const CATEGORIES = [
  'capabilities',
  'agents',
  'inputs',
  'security',
  'economic',
  'research',
  'geopolitical',
  'safety_incidents',
] as const;
export type Category = (typeof CATEGORIES)[number];
export const CORE_CATEGORIES = ['capabilities', 'agents', 'inputs', 'security'] as const;
export const COMPOSITE_CATEGORIES = ['capabilities', 'agents', 'inputs'] as const;
export type CompositeCategory = (typeof COMPOSITE_CATEGORIES)[number];

export const TIERS = ['A', 'B', 'C', 'D'] as const;
export type Tier = (typeof TIERS)[number];

const code = z.string().regex(/^[a-z0-9_]+$/, 'codes are lower_snake_case');
const sourceRef = z.object({ title: z.string().min(1), url: z.url() });
const isoDate = z.iso.date();

/**
 * A measured quantity. Values are stored in `unit`, one convention per metric:
 * percentages are fractions in [0,1]; compute is FLOP (not its log); binary metrics are 0/1.
 */
export const MetricSchema = z.object({
  code,
  name: z.string().min(1),
  unit: z.enum(['fraction', 'flop', 'h100e', 'gw', 'hours', 'binary']),
  scale: z.enum(['linear', 'log10']),
  direction: z.enum(['increasing', 'decreasing']).default('increasing'),
  /** Phrases that name this metric in text, used by the rule extractor. */
  aliases: z.array(z.string().min(1)).default([]),
  description: z.string().min(1),
  sources: z.array(sourceRef).min(1),
});
export type Metric = z.infer<typeof MetricSchema>;

export const SignpostSchema = z.object({
  code,
  name: z.string().min(1),
  category: z.enum(CATEGORIES),
  metric: code,
  baseline: z.number(),
  target: z.number(),
  first_class: z.boolean().default(false),
  monitor_only: z.boolean().default(false),
  description: z.string().min(1),
  why_it_matters: z.string().min(1),
  sources: z.array(sourceRef).min(1),
});
export type Signpost = z.infer<typeof SignpostSchema>;

export const PresetSchema = z.object({
  code,
  name: z.string().min(1),
  description: z.string().min(1),
  weights: z.object({
    capabilities: z.number().min(0).max(1),
    agents: z.number().min(0).max(1),
    inputs: z.number().min(0).max(1),
  }),
  source: sourceRef,
});
export type Preset = z.infer<typeof PresetSchema>;

export const ForecastSchema = z.object({
  signpost: code,
  forecaster: z.string().min(1),
  predicted_date: isoDate,
  interval_low: isoDate.optional(),
  interval_high: isoDate.optional(),
  confidence: z.number().min(0).max(1).optional(),
  quote: z.string().max(400).optional(),
  url: z.url(),
  published_at: isoDate,
});
export type Forecast = z.infer<typeof ForecastSchema>;

export const CatalogSchema = z.object({
  version: z.string().min(1),
  metrics: z.array(MetricSchema).min(1),
  signposts: z.array(SignpostSchema).min(1),
  presets: z.array(PresetSchema).min(1),
  forecasts: z.array(ForecastSchema),
});
export type Catalog = z.infer<typeof CatalogSchema>;

/** Codes that data and clients rely on (SPEC section 4); the catalog must define each. */
export const REQUIRED_SIGNPOST_CODES = [
  'swe_bench_85',
  'swe_bench_90',
  'osworld_65',
  'osworld_85',
  'webarena_70',
  'webarena_85',
  'gpqa_sota',
  'gpqa_phd_parity',
  'hle_text_50',
  'arc_agi_85',
  'agent_reliability_80',
  'agent_100h_task',
  'compute_1e26',
  'compute_1e27',
  'gpu_cluster_100k',
  'dc_power_5gw',
  'sec_maturity',
  'security_l1_weights',
  'mandatory_evals',
] as const;

export const REQUIRED_PRESETS = ['equal', 'aschenbrenner', 'ai2027', 'cotra', 'conservative'] as const;

/**
 * Checks the rules a schema cannot express. Returns every problem found, so a broken catalog
 * is reported whole rather than one error at a time.
 */
export function findCatalogProblems(catalog: Catalog): string[] {
  const problems: string[] = [];
  const duplicates = (codes: string[]) => codes.filter((c, i) => codes.indexOf(c) !== i);
  for (const c of duplicates(catalog.metrics.map((m) => m.code))) problems.push(`duplicate metric code ${c}`);
  for (const c of duplicates(catalog.signposts.map((s) => s.code))) problems.push(`duplicate signpost code ${c}`);
  for (const c of duplicates(catalog.presets.map((p) => p.code))) problems.push(`duplicate preset code ${c}`);

  const metrics = new Map(catalog.metrics.map((m) => [m.code, m]));
  const signposts = new Set(catalog.signposts.map((s) => s.code));
  for (const s of catalog.signposts) {
    const metric = metrics.get(s.metric);
    if (!metric) {
      problems.push(`signpost ${s.code}: unknown metric ${s.metric}`);
      continue;
    }
    const binary = metric.unit === 'binary';
    if (binary && (s.baseline !== 0 || s.target !== 1)) {
      problems.push(`signpost ${s.code}: a binary signpost goes from 0 to 1`);
    }
    if (!binary && s.baseline === s.target) problems.push(`signpost ${s.code}: baseline equals target`);
    if (metric.unit === 'fraction') {
      for (const [k, v] of [
        ['baseline', s.baseline],
        ['target', s.target],
      ] as const) {
        if (v < 0 || v > 1) problems.push(`signpost ${s.code}: ${k} ${v} is not a fraction in [0,1]`);
      }
    }
    if (metric.scale === 'log10' && (s.baseline <= 0 || s.target <= 0)) {
      problems.push(`signpost ${s.code}: a log10 metric needs positive baseline and target`);
    }
    const rising = metric.direction === 'increasing';
    if (!binary && (rising ? s.target < s.baseline : s.target > s.baseline)) {
      problems.push(`signpost ${s.code}: target is on the wrong side of baseline for a ${metric.direction} metric`);
    }
  }
  for (const code of REQUIRED_SIGNPOST_CODES) {
    if (!signposts.has(code)) problems.push(`required signpost ${code} is missing`);
  }
  const presets = new Set(catalog.presets.map((p) => p.code));
  for (const code of REQUIRED_PRESETS) if (!presets.has(code)) problems.push(`required preset ${code} is missing`);
  for (const p of catalog.presets) {
    const sum = p.weights.capabilities + p.weights.agents + p.weights.inputs;
    if (sum <= 0) problems.push(`preset ${p.code}: weights sum to zero`);
  }
  for (const f of catalog.forecasts) {
    if (!signposts.has(f.signpost)) problems.push(`forecast by ${f.forecaster}: unknown signpost ${f.signpost}`);
  }
  for (const cat of CORE_CATEGORIES) {
    if (!catalog.signposts.some((s) => s.category === cat && s.first_class && !s.monitor_only)) {
      problems.push(`core category ${cat} has no first-class signpost`);
    }
  }
  return problems;
}

/** Parses and validates a catalog; throws one error listing every problem. */
export function parseCatalog(input: unknown): Catalog {
  const parsed = CatalogSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`invalid catalog: ${z.prettifyError(parsed.error)}`);
  }
  const problems = findCatalogProblems(parsed.data);
  if (problems.length > 0) throw new Error(`invalid catalog:\n- ${problems.join('\n- ')}`);
  return parsed.data;
}
