import type { Category } from './catalog.js';
import type { SignpostProgress } from './progress.js';
import type { SignpostSpec } from './scoring-inputs.js';

/** First-class signposts count twice in their category. */
export function signpostWeight(signpost: Pick<SignpostSpec, 'first_class'>): number {
  return signpost.first_class ? 2 : 1;
}

/** Σ(w·p) / Σw; null for an empty list. */
export function weightedMean(items: readonly { value: number; weight: number }[]): number | null {
  let sum = 0;
  let weights = 0;
  for (const { value, weight } of items) {
    sum += weight * value;
    weights += weight;
  }
  return weights > 0 ? sum / weights : null;
}

export interface CategoryScore {
  /** Weighted mean progress of the scored signposts; null when the category has none. */
  score: number | null;
  /** Signposts that feed the score (monitor-only ones are shown but never scored). */
  signposts: number;
  signposts_with_evidence: number;
  provisional_signposts: number;
  /** True when at least one scored signpost has a usable A/B observation. */
  has_ab_evidence: boolean;
}

/** The signposts of a category that feed its score, in catalog order. */
export function scoredSignposts<S extends Pick<SignpostSpec, 'category' | 'monitor_only'>>(
  category: Category,
  signposts: readonly S[],
): S[] {
  return signposts.filter((s) => s.category === category && !s.monitor_only);
}

/**
 * Weighted mean of the category's non-monitor-only signposts (weight 2 for first-class, 1 otherwise).
 * A signpost without evidence contributes progress 0: absent evidence is not assumed progress.
 */
export function computeCategoryScore(
  category: Category,
  signposts: readonly SignpostSpec[],
  progress: ReadonlyMap<string, Pick<SignpostProgress, 'progress' | 'status'>>,
): CategoryScore {
  const scored = scoredSignposts(category, signposts).map((s) => ({
    weight: signpostWeight(s),
    result: progress.get(s.code) ?? { progress: 0, status: 'no_evidence' as const },
  }));
  const withEvidence = scored.filter((s) => s.result.status !== 'no_evidence').length;
  return {
    score: weightedMean(scored.map((s) => ({ value: s.result.progress, weight: s.weight }))),
    signposts: scored.length,
    signposts_with_evidence: withEvidence,
    provisional_signposts: scored.filter((s) => s.result.status === 'provisional').length,
    has_ab_evidence: withEvidence > 0,
  };
}
