import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { AppError } from '../errors.js';
import { EMBEDDING_DIMENSIONS } from '../db/migrations/20251029_add_embeddings.js';
import type { LlmBudget, Reservation } from './budget.js';
import type { LlmMetrics } from './metrics.js';
import { guardUserText } from './guard.js';
import { DEFAULT_MODELS, costMicros, priceOf } from './prices.js';
import { openAiProvider } from './providers/openai.js';
import { anthropicProvider } from './providers/anthropic.js';
import { ProviderError, type ProviderAdapter, type ProviderMessage, type ProviderName } from './providers/types.js';

export type { ProviderName, ProviderMessage } from './providers/types.js';

export type LlmTask = 'chat' | 'event_analysis' | 'mapping_assist' | 'weekly_digest';

export interface TaskLimits {
  /** Output cap sent to the provider; it bounds the reservation. */
  maxTokens: number;
  timeoutMs: number;
  temperature: number;
}

/** Output caps and timeouts per task. The reservation of a call is its input bound plus maxTokens of output. */
export const TASK_LIMITS: Readonly<Record<LlmTask, TaskLimits>> = {
  chat: { maxTokens: 700, timeoutMs: 45_000, temperature: 0.2 },
  event_analysis: { maxTokens: 500, timeoutMs: 60_000, temperature: 0 },
  mapping_assist: { maxTokens: 600, timeoutMs: 60_000, temperature: 0 },
  weekly_digest: { maxTokens: 1_200, timeoutMs: 90_000, temperature: 0.2 },
};

const EMBEDDING_TIMEOUT_MS = 30_000;
/** Fallback order when no provider is pinned: the guide's primary (OpenAI) first. */
const DEFAULT_ORDER: ProviderName[] = ['openai', 'anthropic'];

export interface CompletionRequest {
  task: LlmTask;
  system: string;
  messages: ProviderMessage[];
  json?: boolean;
  /** Text written by the user in this request: checked by the injection guard before any cost. */
  userText?: string[];
  requestId?: string;
  signal?: AbortSignal;
  /** Use only this provider (consensus asks each provider separately). Default: every configured one, in fallback order. */
  provider?: ProviderName;
  /** Stream: each text delta is passed here as it arrives. */
  onToken?: (text: string) => void;
}

export interface CompletionResult {
  text: string;
  provider: ProviderName;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  ledgerId: number;
}

export interface EmbeddingRequest {
  task: string;
  requestId?: string;
  signal?: AbortSignal;
}

/** The caller went away (client disconnect): the call was stopped and its reservation released. */
export class LlmCancelledError extends Error {
  override name = 'LlmCancelledError';
}

/** No provider could answer (all failed, or none configured). Callers fall back to their offline mode. */
export class LlmUnavailableError extends AppError {
  constructor(detail: string) {
    super(503, 'Service Unavailable', detail, { reason: 'llm_unavailable' });
  }
}

export interface LlmClientOptions {
  config: Config['llm'];
  budget: LlmBudget;
  metrics: LlmMetrics;
  log: Logger;
  models?: Partial<Record<ProviderName, string>>;
  order?: ProviderName[];
  /** Per-task overrides of TASK_LIMITS (tests shorten timeouts). */
  limits?: Partial<Record<LlmTask, Partial<TaskLimits>>>;
  /** Tests inject adapters; production builds them from the config. */
  adapters?: ProviderAdapter[];
}

/** UTF-8 bytes: every provider token covers at least one byte, so this bounds the token count from above. */
const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Upper bound on a request's input tokens: bytes of every message plus per-message framing and the JSON instruction. */
export function inputTokenBound(system: string, messages: ProviderMessage[]): number {
  return utf8Bytes(system) + messages.reduce((n, m) => n + utf8Bytes(m.content) + 8, 0) + 128;
}

/** A typical token count (about 4 characters per token, rounded up), used only to price cancelled calls. */
const tokenEstimate = (chars: number): number => Math.ceil(chars / 3.5);

/**
 * The one LLM client (P1-3). Every model and embedding call in the application goes through here,
 * and only here are provider SDKs used (src/llm/providers/*, constructed by this file alone). Each
 * call: injection guard on user text, budget reservation of its maximum cost, the provider call with
 * a timeout and the caller's abort signal, settlement of the actual cost in the ledger, and
 * fallback to the next provider when one fails before producing output.
 */
export class LlmClient {
  private readonly adapters = new Map<ProviderName, ProviderAdapter>();
  private readonly models: Record<ProviderName, string>;
  private readonly order: ProviderName[];
  private readonly limits: Record<LlmTask, TaskLimits>;

  constructor(private readonly opts: LlmClientOptions) {
    this.limits = Object.fromEntries(
      Object.entries(TASK_LIMITS).map(([task, l]) => [task, { ...l, ...opts.limits?.[task as LlmTask] }]),
    ) as Record<LlmTask, TaskLimits>;
    const { config } = opts;
    this.models = { openai: opts.models?.openai ?? DEFAULT_MODELS.openai, anthropic: opts.models?.anthropic ?? DEFAULT_MODELS.anthropic };
    for (const model of Object.values(this.models)) priceOf(model); // refuse to start with an unpriced model
    const adapters =
      opts.adapters ??
      [
        config.openaiApiKey
          ? openAiProvider({ apiKey: config.openaiApiKey, baseUrl: config.openaiBaseUrl, timeoutMs: 120_000 })
          : undefined,
        config.anthropicApiKey
          ? anthropicProvider({ apiKey: config.anthropicApiKey, baseUrl: config.anthropicBaseUrl, timeoutMs: 120_000 })
          : undefined,
      ].filter((a): a is ProviderAdapter => a !== undefined);
    for (const a of adapters) this.adapters.set(a.name, a);
    this.order = (opts.order ?? DEFAULT_ORDER).filter((p) => this.adapters.has(p));
  }

  /** Configured providers in fallback order; empty means every LLM feature runs in its offline mode. */
  get providers(): ProviderName[] {
    return [...this.order];
  }

  get enabled(): boolean {
    return this.order.length > 0;
  }

  /** Provider embeddings need the OpenAI key (Anthropic has no embeddings API). */
  get embeddingsEnabled(): boolean {
    return this.adapters.get('openai')?.embed !== undefined;
  }

  get embeddingModel(): string {
    return DEFAULT_MODELS.embedding;
  }

  modelOf(provider: ProviderName): string {
    return this.models[provider];
  }

  /** The reservation a request would take with this provider: input upper bound plus the task's output cap, at the model's prices. */
  maxCostMicros(provider: ProviderName, req: Pick<CompletionRequest, 'task' | 'system' | 'messages'>): number {
    return costMicros(this.models[provider], inputTokenBound(req.system, req.messages), this.limits[req.task].maxTokens);
  }

  /**
   * One completion. Throws SuspiciousInputError (user text), BudgetExhaustedError or
   * BudgetUnavailableError (before any provider is called), LlmCancelledError (caller aborted), or
   * LlmUnavailableError (every provider failed).
   */
  async complete(req: CompletionRequest): Promise<CompletionResult> {
    for (const text of req.userText ?? []) guardUserText(text, this.opts.metrics, `llm:${req.task}`);
    const order = req.provider ? this.order.filter((p) => p === req.provider) : this.order;
    if (order.length === 0)
      throw new LlmUnavailableError(req.provider ? `provider ${req.provider} is not configured` : 'no LLM provider is configured');
    const failures: string[] = [];
    for (const provider of order) {
      if (req.signal?.aborted) throw new LlmCancelledError('the request was cancelled');
      const outcome = await this.attempt(provider, req);
      if (outcome.ok) return outcome.result;
      failures.push(`${provider}: ${outcome.error}`);
      // Text already streamed to the caller cannot be taken back, so no other provider may continue it.
      if (outcome.streamed) break;
    }
    throw new LlmUnavailableError(`every LLM provider failed (${failures.join('; ')})`);
  }

  private async attempt(
    provider: ProviderName,
    req: CompletionRequest,
  ): Promise<{ ok: true; result: CompletionResult } | { ok: false; error: string; streamed: boolean }> {
    const adapter = this.adapters.get(provider)!;
    const model = this.models[provider];
    const limits = this.limits[req.task];
    const reservedMicros = this.maxCostMicros(provider, req);
    const reservation = await this.opts.budget.reserve({
      kind: 'llm',
      provider,
      model,
      task: req.task,
      requestId: req.requestId,
      maxCostMicros: reservedMicros,
    });

    const timeout = AbortSignal.timeout(limits.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    let streamedChars = 0;
    const onToken = req.onToken
      ? (t: string) => {
          streamedChars += t.length;
          req.onToken!(t);
        }
      : undefined;
    const started = performance.now();
    try {
      const res = await adapter.complete({
        model,
        system: req.system,
        messages: req.messages,
        maxTokens: limits.maxTokens,
        json: req.json ?? false,
        temperature: limits.temperature,
        signal,
        onToken,
      });
      // The SDKs end an aborted stream quietly, as if it were complete: an abort is never a success.
      if (signal.aborted) throw new ProviderError(provider, 'the call was aborted');
      const cost = res.usageReported ? costMicros(model, res.inputTokens, res.outputTokens) : reservedMicros;
      if (cost > reservedMicros) {
        this.opts.log.warn(
          { provider, model, cost, reservedMicros },
          'an LLM call cost more than its reservation; recording the actual cost',
        );
      }
      await this.opts.budget.settle(reservation, {
        status: 'ok',
        inputTokens: res.inputTokens,
        outputTokens: res.outputTokens,
        costMicros: cost,
      });
      this.opts.metrics.calls.inc({ provider, task: req.task, status: 'ok' });
      this.opts.log.debug({ provider, model, task: req.task, ms: Math.round(performance.now() - started), cost }, 'llm call');
      return {
        ok: true,
        result: {
          text: res.text,
          provider,
          model,
          inputTokens: res.inputTokens,
          outputTokens: res.outputTokens,
          costMicros: cost,
          ledgerId: reservation.ledgerId,
        },
      };
    } catch (err) {
      if (req.signal?.aborted) {
        await this.settleInterrupted(reservation, model, req, streamedChars, 'cancelled', 'the caller disconnected');
        this.opts.metrics.calls.inc({ provider, task: req.task, status: 'cancelled' });
        throw new LlmCancelledError('the request was cancelled');
      }
      const timedOut = timeout.aborted;
      const message = timedOut ? `timed out after ${limits.timeoutMs} ms` : err instanceof ProviderError ? err.message : String(err);
      // A provider that answered with an error bills nothing; a timed-out call may have consumed its input.
      if (timedOut || streamedChars > 0) await this.settleInterrupted(reservation, model, req, streamedChars, 'failed', message);
      else await this.opts.budget.settle(reservation, { status: 'failed', inputTokens: 0, outputTokens: 0, costMicros: 0, error: message });
      this.opts.metrics.calls.inc({ provider, task: req.task, status: 'failed' });
      this.opts.log.warn({ provider, model, task: req.task, err: message }, 'LLM provider call failed');
      return { ok: false, error: message, streamed: streamedChars > 0 };
    }
  }

  /**
   * A call stopped before the provider reported usage: charge an estimate of what it consumed (the
   * whole prompt and the text streamed so far) and release the rest of the reservation.
   */
  private async settleInterrupted(
    reservation: Reservation,
    model: string,
    req: CompletionRequest,
    streamedChars: number,
    status: 'cancelled' | 'failed',
    error: string,
  ): Promise<void> {
    const inputChars = req.system.length + req.messages.reduce((n, m) => n + m.content.length, 0);
    const inputTokens = tokenEstimate(inputChars);
    const outputTokens = tokenEstimate(streamedChars);
    const cost = Math.min(reservation.reservedMicros, costMicros(model, inputTokens, outputTokens));
    await this.opts.budget.settle(reservation, { status, inputTokens, outputTokens, costMicros: cost, error });
  }

  /**
   * Provider embeddings (OpenAI text-embedding-3-small at 256 dimensions), budgeted as kind
   * `embedding`. Callers without a key use the local embedding instead (src/llm/embeddings.ts).
   */
  async embed(texts: string[], req: EmbeddingRequest): Promise<number[][]> {
    const adapter = this.adapters.get('openai');
    if (!adapter?.embed) throw new LlmUnavailableError('provider embeddings need OPENAI_API_KEY');
    if (texts.length === 0) return [];
    const model = this.embeddingModel;
    const inputBound = texts.reduce((n, t) => n + utf8Bytes(t) + 1, 0);
    const reservedMicros = costMicros(model, inputBound, 0);
    const reservation = await this.opts.budget.reserve({
      kind: 'embedding',
      provider: 'openai',
      model,
      task: req.task,
      requestId: req.requestId,
      maxCostMicros: reservedMicros,
    });
    const timeout = AbortSignal.timeout(EMBEDDING_TIMEOUT_MS);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    try {
      const res = await adapter.embed(texts, model, EMBEDDING_DIMENSIONS, signal);
      if (res.vectors.length !== texts.length || res.vectors.some((v) => v.length !== EMBEDDING_DIMENSIONS)) {
        throw new ProviderError(
          'openai',
          `embedding response has the wrong shape (${res.vectors.length} vectors for ${texts.length} texts)`,
        );
      }
      const cost = res.inputTokens > 0 ? costMicros(model, res.inputTokens, 0) : reservedMicros;
      await this.opts.budget.settle(reservation, { status: 'ok', inputTokens: res.inputTokens, outputTokens: 0, costMicros: cost });
      this.opts.metrics.calls.inc({ provider: 'openai', task: req.task, status: 'ok' });
      return res.vectors;
    } catch (err) {
      const cancelled = req.signal?.aborted ?? false;
      const message = err instanceof Error ? err.message : String(err);
      await this.opts.budget.settle(reservation, {
        status: cancelled ? 'cancelled' : 'failed',
        inputTokens: 0,
        outputTokens: 0,
        costMicros: 0,
        error: message,
      });
      this.opts.metrics.calls.inc({ provider: 'openai', task: req.task, status: cancelled ? 'cancelled' : 'failed' });
      if (cancelled) throw new LlmCancelledError('the request was cancelled');
      throw new LlmUnavailableError(`embedding failed: ${message}`);
    }
  }
}
