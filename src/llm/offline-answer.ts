import { embeddingTokens } from './local-embedding.js';

export type OfflineReason = 'no_provider' | 'budget_exhausted' | 'provider_error' | 'invalid_model_output' | 'no_sources';

const NOTES: Record<OfflineReason, string> = {
  no_provider: 'no language model is configured',
  budget_exhausted: "today's LLM budget is exhausted",
  provider_error: 'the language model could not be reached',
  invalid_model_output: 'the language model returned an answer that failed validation',
  no_sources: 'no evidence matched the question',
};

/** The label every offline answer starts with, so a reader never mistakes it for a model's answer. */
export function offlineLabel(reason: OfflineReason): string {
  return `Offline answer (${NOTES[reason]}): passages quoted from the most relevant evidence, without a language model.`;
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Extractive answer from the top sources: for each, the sentence sharing the most words with the
 * question (or its first sentence), quoted with its source number. Deterministic, no model.
 */
export function extractiveAnswer(
  question: string,
  sources: Array<{ title: string; text: string }>,
  reason: OfflineReason,
  maxSources = 3,
): { answer: string; citations: number[] } {
  if (sources.length === 0) {
    return { answer: `${offlineLabel('no_sources')}\n\nThe tracker has no evidence that matches this question.`, citations: [] };
  }
  const wanted = new Set(embeddingTokens(question));
  const lines: string[] = [];
  const citations: number[] = [];
  sources.slice(0, maxSources).forEach((source, i) => {
    const candidates = sentences(source.text);
    let best = candidates[0] ?? source.title;
    let bestScore = -1;
    for (const s of candidates) {
      const score = new Set(embeddingTokens(s).filter((t) => wanted.has(t))).size;
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    const quote = best.length > 400 ? `${best.slice(0, 397)}...` : best;
    lines.push(`- ${source.title}: "${quote}" [${i + 1}]`);
    citations.push(i + 1);
  });
  return { answer: `${offlineLabel(reason)}\n\n${lines.join('\n')}`, citations };
}
