import type { Metric, Tier } from '../catalog.js';
import { buildAliasPatterns, findMentions, type Mention } from './mentions.js';
import { findQuantities, KIND_UNIT, type Quantity } from './quantities.js';
import { HEDGE_FACTOR, isHedged, linkScores, RULES, type RuleName } from './rules.js';
import { mapToSignposts } from './signposts.js';
import { foldCharacters, splitSentences, type Sentence } from './text.js';
import type { ExtractedMetric, ExtractionCatalog } from './types.js';

interface Candidate {
  metric: string;
  unit: Metric['unit'];
  quantity: Quantity;
  rule: RuleName;
  confidence: number;
  headline: boolean;
}

// Alias patterns depend only on the catalog; build them once per catalog object.
const patternCache = new WeakMap<object, ReturnType<typeof buildAliasPatterns>>();
function aliasPatterns(catalog: ExtractionCatalog) {
  let patterns = patternCache.get(catalog);
  if (!patterns) {
    patterns = buildAliasPatterns(catalog);
    patternCache.set(catalog, patterns);
  }
  return patterns;
}

const inside = (s: Sentence) => (m: Mention) => m.start >= s.start && m.end <= s.end;

/**
 * Reads metric values from a title and summary. Give the title on the first line: it is read as the
 * headline, whose single benchmark may carry over to body sentences that name none, and whose rounded
 * numbers yield to the precise ones of the body. Values come back in each metric's unit, ordered by
 * position; offsets in `span` refer to `text`.
 */
export function extractMetrics(text: string, catalog: ExtractionCatalog): ExtractedMetric[] {
  const prepared = foldCharacters(text);
  const sentences = splitSentences(prepared);
  const units = new Map(catalog.metrics.map((m) => [m.code, m.unit]));
  const mentions = findMentions(prepared, aliasPatterns(catalog));
  const isScoreMetric = (m: Mention) => units.get(m.metric) === 'fraction';

  const headline = sentences.filter((s) => s.headline);
  const headlineMetrics = new Set(mentions.filter((m) => isScoreMetric(m) && headline.some((s) => inside(s)(m))).map((m) => m.metric));
  const headlineHedged = headline.some((s) => isHedged(prepared.slice(s.start, s.end)));

  const candidates: Candidate[] = [];
  for (const sentence of sentences) {
    const quantities = findQuantities(prepared, sentence);
    const here = mentions.filter(inside(sentence));
    const hedge = headlineHedged || isHedged(prepared.slice(sentence.start, sentence.end)) ? HEDGE_FACTOR : 1;
    const add = (quantity: Quantity, metric: string, rule: RuleName) => {
      const unit = units.get(metric);
      if (!unit) return;
      const ruleConfidence = quantity.kind === 'decimal' ? Math.min(RULES.decimal_score, RULES[rule]) : RULES[rule];
      candidates.push({
        metric,
        unit,
        quantity,
        rule: quantity.kind === 'decimal' ? 'decimal_score' : rule,
        confidence: ruleConfidence * hedge,
        headline: sentence.headline,
      });
    };

    const scores = quantities.filter((q) => KIND_UNIT[q.kind] === 'fraction');
    for (const l of linkScores(prepared, sentence, scores, here.filter(isScoreMetric), headlineMetrics)) {
      add(l.quantity, l.metric, l.rule);
    }
    for (const q of quantities) {
      if (KIND_UNIT[q.kind] === 'fraction') continue;
      const metric = metricForMeasure(q, catalog, here);
      if (metric) add(q, metric, measureRule(q));
    }
  }
  return deduplicate(candidates).map((c) => ({
    metric: c.metric,
    value: c.quantity.value,
    unit: c.unit,
    rule: c.rule,
    confidence: c.confidence,
    span: { start: c.quantity.start, end: c.quantity.end, text: text.slice(c.quantity.start, c.quantity.end) },
  }));
}

function measureRule(q: Quantity): RuleName {
  switch (q.kind) {
    case 'flop':
      return 'training_compute';
    case 'accelerators':
      return q.namedChip ? 'accelerator_count' : 'generic_accelerator_count';
    case 'power':
      return 'datacenter_power';
    default:
      return 'time_horizon';
  }
}

/**
 * The metric a FLOP count, accelerator count or power figure belongs to: the one metric with that
 * unit, or, when several share it, the one named nearest in the sentence. A duration always needs its
 * metric named ("time horizon"): "59 minutes" alone says nothing about AI.
 */
function metricForMeasure(q: Quantity, catalog: ExtractionCatalog, mentions: readonly Mention[]): string | undefined {
  const unit = KIND_UNIT[q.kind];
  const sameUnit = catalog.metrics.filter((m) => m.unit === unit).map((m) => m.code);
  if (sameUnit.length === 1 && q.kind !== 'duration') return sameUnit[0];
  const named = mentions.filter((m) => sameUnit.includes(m.metric));
  const gap = (m: Mention) => Math.abs((m.start + m.end) / 2 - (q.start + q.end) / 2);
  return [...named].sort((a, b) => gap(a) - gap(b))[0]?.metric;
}

function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * One value per metric and number: a value read twice keeps its most confident reading, and a rounded
 * headline value ("90% SWE-bench") yields to the precise body value it rounds ("90.5%"), which then
 * keeps the headline's confidence if that was higher. Different values on one metric all stay: a text
 * may report several models.
 */
function deduplicate(candidates: readonly Candidate[]): Candidate[] {
  const ranked = [...candidates].sort(
    (a, b) => b.confidence - a.confidence || a.quantity.resolution - b.quantity.resolution || a.quantity.start - b.quantity.start,
  );
  const kept: Candidate[] = [];
  for (const c of ranked) {
    if (kept.some((k) => k.metric === c.metric && sameValue(k.quantity.value, c.quantity.value))) continue;
    kept.push({ ...c });
  }
  const survivors = kept.filter((a) => {
    const refinement = kept.find(
      (b) =>
        b !== a &&
        b.metric === a.metric &&
        a.headline &&
        !b.headline &&
        b.quantity.resolution < a.quantity.resolution &&
        Math.abs(a.quantity.value - b.quantity.value) < a.quantity.resolution * (1 + 1e-9),
    );
    if (refinement) refinement.confidence = Math.max(refinement.confidence, a.confidence);
    return !refinement;
  });
  return survivors.sort((a, b) => a.quantity.start - b.quantity.start);
}

export interface ExtractInput {
  title: string;
  summary?: string;
  tier?: Tier;
}

export interface ExtractOutput {
  metrics: { metric: string; value: number; unit: Metric['unit'] }[];
  signposts: { code: string; value: number; confidence: number }[];
}

/** The `agi-tracker extract` contract: metric values in the text and the signposts they bear on. */
export function extract(input: ExtractInput, catalog: ExtractionCatalog): ExtractOutput {
  const text = input.summary ? `${input.title}\n${input.summary}` : input.title;
  const metrics = extractMetrics(text, catalog);
  return {
    metrics: metrics.map(({ metric, value, unit }) => ({ metric, value, unit })),
    signposts: mapToSignposts(metrics, catalog, input.tier).map(({ code, value, confidence }) => ({ code, value, confidence })),
  };
}
