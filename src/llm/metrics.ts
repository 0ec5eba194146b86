import type { Counter, Gauge, Registry } from 'prom-client';
import { counter, gauge } from '../app/metrics.js';

export interface LlmMetrics {
  /** Today's settled spend (total_spend_usd of the budget), USD: read from the budget store at scrape time. */
  spendUsd: Gauge;
  /** Model calls refused by the budget: reason exhausted (over the limit) or unavailable (fail closed). */
  blockedCalls: Counter<'reason'>;
  /** User messages refused by the prompt-injection detector, by route. */
  injectionRejections: Counter<'route'>;
  /** Every model call by provider, task and final status. */
  calls: Counter<'provider' | 'task' | 'status'>;
  /** Model outputs that failed their schema, by task and whether the retry fixed it. */
  invalidOutputs: Counter<'task' | 'outcome'>;
}

/** How the spend gauge reads the day's spend when scraped (set once the budget exists). */
const spendReaders = new WeakMap<Registry, () => Promise<number>>();

/** The LLM metrics on a context's registry (`ctx.metrics`). Safe to call repeatedly. */
export function llmMetrics(registry: Registry, readSpendUsd?: () => Promise<number>): LlmMetrics {
  if (readSpendUsd) spendReaders.set(registry, readSpendUsd);
  return {
    spendUsd: gauge(registry, {
      name: 'agi_tracker_llm_spend_usd',
      help: "Today's settled LLM and embedding spend in USD (UTC day), as in GET /v1/admin/llm-budget",
      async collect() {
        const read = spendReaders.get(registry);
        // An unreadable budget keeps the last value; the readiness check reports the outage.
        const value = read ? await read().catch(() => undefined) : undefined;
        if (value !== undefined) this.set(value);
      },
    }),
    blockedCalls: counter(registry, {
      name: 'agi_tracker_llm_calls_blocked_total',
      help: 'Model calls refused by the LLM budget, by reason (exhausted, unavailable)',
      labelNames: ['reason'] as const,
    }),
    injectionRejections: counter(registry, {
      name: 'agi_tracker_injection_rejections_total',
      help: 'User messages refused as prompt-injection attempts, by route',
      labelNames: ['route'] as const,
    }),
    calls: counter(registry, {
      name: 'agi_tracker_llm_calls_total',
      help: 'Model calls by provider, task and status',
      labelNames: ['provider', 'task', 'status'] as const,
    }),
    invalidOutputs: counter(registry, {
      name: 'agi_tracker_llm_invalid_outputs_total',
      help: 'Model outputs that failed schema validation, by task and outcome',
      labelNames: ['task', 'outcome'] as const,
    }),
  };
}
