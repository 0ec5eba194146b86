import type { Mention } from './mentions.js';
import type { Quantity } from './quantities.js';
import { clauseIndex, type Sentence } from './text.js';

/**
 * The rules, each with the confidence it earns on its own. The confidence says how often such a match
 * is a correct value for the metric: a score directly followed by "on <benchmark>" is almost always
 * right; a score borrowed from the headline is right often, but deserves a reviewer.
 */
export const RULES = {
  /** "72.3% on SWE-bench Verified", "82% reliability on multi-step tasks". */
  percent_on_benchmark: 0.9,
  /** "SWE-bench Verified score of 49%", "GPQA 74%", "OSWorld: model reaches 28%": nearest name in the clause. */
  benchmark_score_in_clause: 0.85,
  /** "scores 0.81 on GPQA Diamond": a score written as a decimal after a scoring verb. */
  decimal_score: 0.8,
  /** "72.5% on SWE-bench Verified for Opus and 72.7% for Sonnet": the benchmark is left out the second time. */
  benchmark_score_elided: 0.7,
  /** "On SWE-bench Verified, the model scores 72%": the benchmark is named in another clause. */
  benchmark_score_in_sentence: 0.7,
  /** Headline names one benchmark; a body sentence gives a score and names none. */
  benchmark_score_from_headline: 0.6,
  /** "1e26 FLOP", "10^27 FLOPs", "3.8 × 10^25 FLOP", "2e25 floating point operations". */
  training_compute: 0.85,
  /** "100,000 H100s", "50k GB200 GPUs": named chips, converted to H100-equivalents. */
  accelerator_count: 0.7,
  /** "100k GPUs": the chip is not named, so one GPU is taken as one H100-equivalent. */
  generic_accelerator_count: 0.55,
  /** "5 GW", "1.2 gigawatts", "300 MW". */
  datacenter_power: 0.8,
  /** "time horizon of 2 hours", "59 minutes" with the metric named in the sentence. */
  time_horizon: 0.85,
} as const;
export type RuleName = keyof typeof RULES;

/** Forecasts, plans and rumours are not measurements: their confidence is halved, so a person reviews them. */
export const HEDGE_FACTOR = 0.5;
const HEDGE =
  /\b(?:could|might|would|expected\s+to|expects?|aims?\s+(?:to|for)|targets?|targeting|goal|plans?\s+(?:to|for)|planned|projected|projects?\s+(?:to|that)|forecasts?|predicts?|predicted|rumou?rs?|rumou?red|reportedly|unconfirmed|unverified|likely|feasible|possible|potentially|if)\b/i;
const HEDGE_MAY = /\bmay\b(?!\s+\d)/;

export function isHedged(sentenceText: string): boolean {
  return HEDGE.test(sentenceText) || HEDGE_MAY.test(sentenceText);
}

/** Between a score and the benchmark in "72% on SWE-bench", "85% success rate on complex multi-step tasks". */
const SCORE_THEN_BENCHMARK = /^\s*(?:[\w@-]+\s+){0,3}?(?:on|in|at|for|across|of)\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}$/i;
/** Words that make a number in a sentence without a benchmark name read as a benchmark score. */
const SCORE_CONTEXT = /\b(?:achiev|scor|reach|hit|success|accura|solv|pass|resolv|complet|perform|attain|record|top|highest|best|lead)\w*/i;

/** "X% on A for M1 and Y% for M2": the second score repeats the first one's "for <model>" shape. */
const FOR_AFTER = /^\s*for\s/i;
const FOR_BETWEEN = /\bfor\b/i;

export interface ScoreLink {
  quantity: Quantity;
  metric: string;
  rule: RuleName;
}

function distance(q: Quantity, m: Mention): number {
  return m.start >= q.end ? m.start - q.end : q.start >= m.end ? q.start - m.end : 0;
}

/** The nearest mention, proper names before generic phrases. */
function nearest(q: Quantity, mentions: readonly Mention[]): Mention | undefined {
  const pool = mentions.some((m) => m.specific) ? mentions.filter((m) => m.specific) : mentions;
  return [...pool].sort((a, b) => distance(q, a) - distance(q, b))[0];
}

/**
 * Links scores (percentages and decimal scores) in one sentence to benchmark mentions, strongest rule
 * first: "X% on A", then the nearest name in the same clause, then the benchmark of the previous score
 * in "X% on A for M1, Y% for M2", then a name elsewhere in the sentence that no other score has claimed,
 * then the single benchmark of the headline.
 */
export function linkScores(
  text: string,
  sentence: Sentence,
  scores: readonly Quantity[],
  mentions: readonly Mention[],
  headlineMetrics: ReadonlySet<string>,
): ScoreLink[] {
  const links = new Map<Quantity, ScoreLink>();
  const claimed = new Set<Mention>();
  const link = (quantity: Quantity, mention: Mention | string, rule: RuleName) => {
    if (typeof mention !== 'string') claimed.add(mention);
    links.set(quantity, { quantity, metric: typeof mention === 'string' ? mention : mention.metric, rule });
  };

  for (const q of scores) {
    const after = mentions.find((m) => m.start >= q.end && SCORE_THEN_BENCHMARK.test(text.slice(q.end, m.start)));
    if (after) link(q, after, 'percent_on_benchmark');
  }
  // A share ("10% of the training data") is a score only through "X% of <metric>", found above.
  const open = scores.filter((q) => !q.shareOf);
  for (const q of open) {
    if (links.has(q)) continue;
    const clause = clauseIndex(sentence, q.start);
    const inClause = mentions.filter((m) => clauseIndex(sentence, m.start) === clause);
    const m = nearest(q, inClause);
    if (m) link(q, m, 'benchmark_score_in_clause');
  }
  for (const q of open) {
    if (links.has(q) || !FOR_AFTER.test(text.slice(q.end, sentence.end))) continue;
    const previous = [...links.values()].filter((l) => l.quantity.end <= q.start).sort((a, b) => b.quantity.end - a.quantity.end)[0];
    if (previous && FOR_BETWEEN.test(text.slice(previous.quantity.end, q.start))) link(q, previous.metric, 'benchmark_score_elided');
  }
  for (const q of open) {
    if (links.has(q)) continue;
    const m = nearest(
      q,
      mentions.filter((x) => !claimed.has(x)),
    );
    if (m) link(q, m, 'benchmark_score_in_sentence');
  }
  if (mentions.length === 0 && !sentence.headline && headlineMetrics.size === 1) {
    const [metric] = [...headlineMetrics] as [string];
    for (const q of open) {
      const clauseStart = Math.max(sentence.start, ...sentence.clauseBreaks.filter((b) => b < q.start));
      if (SCORE_CONTEXT.test(text.slice(clauseStart, sentence.end))) link(q, metric, 'benchmark_score_from_headline');
    }
  }
  return scores.flatMap((q) => {
    const l = links.get(q);
    return l ? [l] : [];
  });
}
