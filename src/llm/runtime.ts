import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Redis } from '../redis.js';
import type { LlmUsageRepository } from '../db/repositories/llm-usage-repository.js';
import { LlmBudget } from './budget.js';
import { LlmClient, type LlmClientOptions } from './client.js';
import { Embeddings } from './embeddings.js';
import { llmMetrics, type LlmMetrics } from './metrics.js';
import { chatSystemPrompt } from './tasks/chat-answer.js';

/** The LLM layer of one process: the one client, its budget, embeddings and metrics. */
export interface LlmRuntime {
  client: LlmClient;
  budget: LlmBudget;
  embeddings: Embeddings;
  metrics: LlmMetrics;
}

export function createLlmRuntime(opts: {
  config: Config;
  log: Logger;
  redis?: Redis;
  usage: LlmUsageRepository;
  registry: Registry;
  /** Tests may pin models or inject provider adapters. */
  client?: Pick<LlmClientOptions, 'models' | 'order' | 'limits' | 'adapters'>;
}): LlmRuntime {
  const { config, log } = opts;
  // The spend gauge reads the budget at scrape time, after both exist.
  const metrics = llmMetrics(opts.registry, async () => (await budget.status()).total_spend_usd);
  const budget = new LlmBudget({
    repo: opts.usage,
    redis: opts.redis,
    dailyLimitUsd: config.llm.budgetDailyUsd,
    warningUsd: config.llm.budgetWarningUsd,
    log,
    metrics,
  });
  const client = new LlmClient({ config: config.llm, budget, metrics, log, ...opts.client });
  if (client.enabled) {
    // `blocked` in the budget status means: an ordinary chat call (six sources of typical length) would be refused now.
    const typical = chatSystemPrompt(
      Array.from({ length: 6 }, () => ({
        kind: 'event' as const,
        title: 'x'.repeat(80),
        url: 'https://example.org/x',
        text: 'x'.repeat(400),
      })),
      'json',
    );
    budget.setMinimumCallMicros(
      client.maxCostMicros(client.providers[0]!, { task: 'chat', system: typical, messages: [{ role: 'user', content: 'x'.repeat(100) }] }),
    );
  }
  return { client, budget, embeddings: new Embeddings(client), metrics };
}
