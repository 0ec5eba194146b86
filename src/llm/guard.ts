import { SuspiciousInputError } from '../errors.js';
import { normaliseUserText, scoreInjection } from './injection/index.js';
import type { LlmMetrics } from './metrics.js';

/**
 * The prompt-injection gate (P0-6) for user text on any LLM path. It runs before retrieval and
 * before any model cost: a suspicious message is counted and refused with a 400 problem. Returns
 * the normalised text, which is what later steps (retrieval, the prompt) use.
 */
export function guardUserText(text: string, metrics: LlmMetrics, route: string): string {
  const normalised = normaliseUserText(text);
  const score = scoreInjection(normalised);
  if (score.suspicious) {
    metrics.injectionRejections.inc({ route });
    throw new SuspiciousInputError(score.matches.map((m) => m.rule));
  }
  return normalised.text;
}
