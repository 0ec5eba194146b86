/**
 * Price table: USD per one million tokens, standard (non-batch, non-cached) rates.
 * A model missing from this table is never called: its cost could not be reserved.
 *
 * Sources: the vendors' pricing pages. Recorded 2026-11-26 from copies of those pages quoted by
 * third parties (the vendor pages themselves could not be fetched from the build machine); every rate
 * below appeared identically in at least one such copy. Re-check the pages before relying on a rate
 * and whenever a model is changed.
 * - OpenAI: https://openai.com/api/pricing/ (also https://platform.openai.com/docs/pricing)
 * - Anthropic: https://www.anthropic.com/pricing#api (also https://docs.anthropic.com/en/docs/about-claude/pricing)
 */
export interface ModelPrice {
  provider: 'openai' | 'anthropic';
  kind: 'llm' | 'embedding';
  inputPerMillion: number;
  outputPerMillion: number;
  source: string;
  checked: string;
}

const OPENAI = 'https://openai.com/api/pricing/';
const ANTHROPIC = 'https://www.anthropic.com/pricing#api';
const CHECKED = '2026-11-26';

export const PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o-mini': { provider: 'openai', kind: 'llm', inputPerMillion: 0.15, outputPerMillion: 0.6, source: OPENAI, checked: CHECKED },
  'gpt-4o': { provider: 'openai', kind: 'llm', inputPerMillion: 2.5, outputPerMillion: 10, source: OPENAI, checked: CHECKED },
  'gpt-4.1-mini': { provider: 'openai', kind: 'llm', inputPerMillion: 0.4, outputPerMillion: 1.6, source: OPENAI, checked: CHECKED },
  'gpt-4.1': { provider: 'openai', kind: 'llm', inputPerMillion: 2, outputPerMillion: 8, source: OPENAI, checked: CHECKED },
  'text-embedding-3-small': {
    provider: 'openai',
    kind: 'embedding',
    inputPerMillion: 0.02,
    outputPerMillion: 0,
    source: OPENAI,
    checked: CHECKED,
  },
  'text-embedding-3-large': {
    provider: 'openai',
    kind: 'embedding',
    inputPerMillion: 0.13,
    outputPerMillion: 0,
    source: OPENAI,
    checked: CHECKED,
  },
  'claude-haiku-4-5': { provider: 'anthropic', kind: 'llm', inputPerMillion: 1, outputPerMillion: 5, source: ANTHROPIC, checked: CHECKED },
  'claude-3-5-haiku-latest': {
    provider: 'anthropic',
    kind: 'llm',
    inputPerMillion: 0.8,
    outputPerMillion: 4,
    source: ANTHROPIC,
    checked: CHECKED,
  },
  'claude-sonnet-4-5': {
    provider: 'anthropic',
    kind: 'llm',
    inputPerMillion: 3,
    outputPerMillion: 15,
    source: ANTHROPIC,
    checked: CHECKED,
  },
};

/** Default models: the cheapest current model of each provider that follows JSON instructions well. */
export const DEFAULT_MODELS = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
  embedding: 'text-embedding-3-small',
} as const;

export function priceOf(model: string): ModelPrice {
  const price = PRICES[model];
  if (!price) throw new Error(`no price is known for model "${model}": add it to src/llm/prices.ts before using it`);
  return price;
}

/** Whole micro-dollars (1e-6 USD), rounded up: money is counted in integers so sums never drift. */
export function costMicros(model: string, inputTokens: number, outputTokens: number): number {
  const p = priceOf(model);
  // Price per million tokens is micro-dollars per token; the epsilon keeps 150.00000000000003 at 150.
  return Math.ceil(inputTokens * p.inputPerMillion + outputTokens * p.outputPerMillion - 1e-7);
}

export const microsToUsd = (micros: number): number => Math.round(micros) / 1e6;
export const usdToMicros = (usd: number): number => Math.round(usd * 1e6);
