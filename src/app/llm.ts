import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Redis } from '../redis.js';
import type { Database } from '../db/database.js';
import type { Catalog } from '../domain/catalog.js';
import { LlmUsageRepository } from '../db/repositories/llm-usage-repository.js';
import { SearchRepository } from '../db/repositories/search-repository.js';
import { LlmTaskRepository } from '../db/repositories/llm-task-repository.js';
import type { AppStateRepository } from '../db/repositories/app-state-repository.js';
import { createLlmRuntime, type LlmRuntime } from '../llm/runtime.js';
import type { LlmClientOptions } from '../llm/client.js';
import { SearchService } from '../services/search-service.js';
import { ChatService } from '../services/chat-service.js';
import { LlmTaskService } from '../services/llm-task-service.js';
import { MemoryChatSessionStore, RedisChatSessionStore } from '../services/chat-session-store.js';

/** LLM settings a context can override (tests pin models or inject provider adapters). */
export type LlmOptions = Pick<LlmClientOptions, 'models' | 'order' | 'limits' | 'adapters'>;

export interface LlmLayer {
  llm: LlmRuntime;
  repos: { llmUsage: LlmUsageRepository; search: SearchRepository; llmTasks: LlmTaskRepository };
  services: { search: SearchService; chat: ChatService; llmTasks: LlmTaskService };
}

/**
 * The LLM layer of a context: the one client with its budget and metrics, embeddings, hybrid
 * search, the chat and the background tasks. Chat sessions live in Redis when configured (shared by
 * replicas), else in memory.
 */
export function buildLlmLayer(deps: {
  config: Config;
  log: Logger;
  database: Database;
  redis?: Redis;
  registry: Registry;
  appState: AppStateRepository;
  catalog: () => Catalog;
  invalidate: (tags: string[]) => Promise<void>;
  recomputeFrom: (day: string) => Promise<void>;
  options?: LlmOptions;
}): LlmLayer {
  const db = deps.database.db;
  const repos = { llmUsage: new LlmUsageRepository(db), search: new SearchRepository(db), llmTasks: new LlmTaskRepository(db) };
  const llm = createLlmRuntime({
    config: deps.config,
    log: deps.log,
    redis: deps.redis,
    usage: repos.llmUsage,
    registry: deps.registry,
    client: deps.options,
  });
  const search = new SearchService({ repo: repos.search, embeddings: llm.embeddings, database: deps.database, log: deps.log });
  const sessions = deps.redis ? new RedisChatSessionStore(deps.redis) : new MemoryChatSessionStore();
  const chat = new ChatService({ client: llm.client, search, sessions, metrics: llm.metrics, log: deps.log });
  const llmTasks = new LlmTaskService({
    client: llm.client,
    repo: repos.llmTasks,
    appState: deps.appState,
    metrics: llm.metrics,
    catalog: deps.catalog,
    log: deps.log,
    invalidate: deps.invalidate,
    recomputeFrom: deps.recomputeFrom,
  });
  return { llm, repos, services: { search, chat, llmTasks } };
}
