import type { Tier } from '../catalog.js';
import type { ExtractedMetric, ExtractionCatalog, SignpostMapping } from './types.js';

/**
 * How much a source tier is trusted, multiplied into the rule's confidence. A peer-reviewed paper or
 * official leaderboard (A) stands as read; a lab's own announcement (B) is slightly less certain; press
 * (C) often rounds or misquotes numbers; social posts (D) are unverified. With the auto-approval bar at
 * 0.8, the strongest rules (0.85-0.9) pass from A and B, and nothing from C or D passes.
 * Without a tier the confidence is the rule's own: it describes the text, not its source.
 */
export const TIER_FACTORS: Readonly<Record<Tier, number>> = { A: 1, B: 0.95, C: 0.8, D: 0.6 };

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Every extracted value on every signpost that measures its metric. */
export function mapToSignposts(
  metrics: readonly ExtractedMetric[],
  catalog: Pick<ExtractionCatalog, 'signposts'>,
  tier?: Tier,
): SignpostMapping[] {
  const factor = tier === undefined ? 1 : TIER_FACTORS[tier];
  return metrics.flatMap((m) =>
    catalog.signposts
      .filter((s) => s.metric === m.metric)
      .map((s) => ({ code: s.code, value: m.value, confidence: round3(m.confidence * factor), rule: m.rule })),
  );
}
