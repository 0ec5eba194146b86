import type { Tier } from './catalog.js';

export type ObservationMethod = 'rule' | 'llm' | 'manual';
export type ObservationStatus = 'pending' | 'approved' | 'rejected';

/** Confidence at or above which machine links from A/B sources skip the review queue (SPEC section 4). */
export const AUTO_APPROVE_CONFIDENCE = 0.8;

/**
 * Where a new observation starts. Curated (manual) links are approved: a person made them. Rule and
 * LLM links are approved only when confident and from an A/B source; everything else waits for review.
 * C/D links may be approved but never move a gauge (the tier policy filters them in scoring).
 */
export function initialObservationStatus(method: ObservationMethod, confidence: number, tier: Tier): ObservationStatus {
  if (method === 'manual') return 'approved';
  return confidence >= AUTO_APPROVE_CONFIDENCE && (tier === 'A' || tier === 'B') ? 'approved' : 'pending';
}
