import type { Logger } from '../logger.js';
import type { Catalog } from '../domain/catalog.js';
import { BadRequestError, BudgetExhaustedError, ServiceUnavailableError } from '../errors.js';
import { LlmUnavailableError, type LlmClient } from '../llm/client.js';
import { guardUserText } from '../llm/guard.js';
import type { LlmMetrics } from '../llm/metrics.js';
import { checkCitations } from '../llm/citations.js';
import { extractiveAnswer, type OfflineReason } from '../llm/offline-answer.js';
import { ChatAnswerSchema } from '../llm/schemas.js';
import { chatSystemPrompt } from '../llm/tasks/chat-answer.js';
import { completeValidated } from '../llm/validated-output.js';
import type { RetrievalMode, RetrievedSource, SearchService } from './search-service.js';
import { SESSION_ID_PATTERN, boundHistory, newSessionId, type ChatSessionStore, type ChatTurn } from './chat-session-store.js';

/** Sources retrieved per question. */
export const CHAT_SOURCES = 6;
export const MAX_MESSAGE_CHARS = 2_000;

export interface PublicSource {
  n: number;
  kind: 'event' | 'signpost';
  id: number | string;
  title: string;
  url: string;
  publisher?: string;
  tier?: 'A' | 'B' | 'C' | 'D';
  published_at?: string;
}

export interface ChatResponse {
  /** Plain text exactly as produced (model or extractive): clients render it as text, never as HTML. */
  answer: string;
  sources: PublicSource[];
  session_id: string;
  mode: 'llm' | 'offline';
  /** Source numbers the answer cites; every one refers to an entry of `sources`. */
  citations: number[];
  warnings: string[];
  offline_reason?: OfflineReason;
  retrieval: RetrievalMode;
}

export interface PreparedChat {
  message: string;
  sessionId: string;
  history: ChatTurn[];
  sources: RetrievedSource[];
  retrieval: RetrievalMode;
  warnings: string[];
  requestId?: string;
  signal?: AbortSignal;
}

export interface ChatStreamHandlers {
  onToken(text: string): void;
}

function publicSources(sources: RetrievedSource[]): PublicSource[] {
  return sources.map((s, i) => ({
    n: i + 1,
    kind: s.kind,
    id: s.ref,
    title: s.title,
    url: s.url,
    ...(s.publisher ? { publisher: s.publisher } : {}),
    ...(s.tier ? { tier: s.tier } : {}),
    ...(s.published_at ? { published_at: s.published_at } : {}),
  }));
}

/**
 * The evidence chat (RAG). `prepare` does everything that can refuse the request (length, the
 * injection guard, the session id) and then retrieves; only after it succeeds does a response
 * start, so a refused message is a plain 400 even on the streaming route. `answer` asks the model
 * (budgeted, validated, citations checked) or answers extractively when no model can be used.
 */
export class ChatService {
  constructor(
    private readonly deps: { client: LlmClient; search: SearchService; sessions: ChatSessionStore; metrics: LlmMetrics; log: Logger },
  ) {}

  async prepare(input: { message: string; sessionId?: string; requestId?: string; signal?: AbortSignal }): Promise<PreparedChat> {
    if (input.message.trim().length === 0) throw new BadRequestError('message must not be empty', { field: 'message' });
    if (input.message.length > MAX_MESSAGE_CHARS)
      throw new BadRequestError(`message must be at most ${MAX_MESSAGE_CHARS} characters`, { field: 'message' });
    if (input.sessionId !== undefined && !SESSION_ID_PATTERN.test(input.sessionId)) {
      throw new BadRequestError('session_id is not a session id issued by this server', { field: 'session_id' });
    }
    // Before retrieval and before any model cost (P0-6).
    const message = guardUserText(input.message, this.deps.metrics, 'chat');

    const warnings: string[] = [];
    let sessionId = input.sessionId;
    let history: ChatTurn[] = [];
    if (sessionId) {
      let loaded: ChatTurn[] | undefined;
      try {
        loaded = await this.deps.sessions.load(sessionId);
      } catch {
        throw new ServiceUnavailableError('chat sessions cannot be read right now (session store unreachable)');
      }
      if (loaded === undefined) {
        warnings.push('the session was unknown or had expired; a new session was started');
        sessionId = undefined;
      } else history = loaded;
    }
    const retrieved = await this.deps.search.retrieve(message, CHAT_SOURCES, { requestId: input.requestId, signal: input.signal });
    return {
      message,
      sessionId: sessionId ?? newSessionId(),
      history,
      sources: retrieved.sources,
      retrieval: retrieved.mode,
      warnings,
      requestId: input.requestId,
      signal: input.signal,
    };
  }

  /** Public view of the prepared sources (the streaming route sends them before the first token). */
  sourcesOf(p: PreparedChat): PublicSource[] {
    return publicSources(p.sources);
  }

  /**
   * Answers a prepared question. With `stream`, text is passed to onToken as it is produced.
   * Throws BudgetUnavailableError (fail closed: the budget cannot be verified) and
   * LlmCancelledError (the client went away); every other model problem becomes an offline answer.
   */
  async answer(p: PreparedChat, stream?: ChatStreamHandlers): Promise<ChatResponse> {
    let result: { answer: string; citations: number[]; warnings: string[]; mode: 'llm' | 'offline'; reason?: OfflineReason };
    if (p.sources.length === 0) result = this.offline(p, 'no_sources');
    else if (!this.deps.client.enabled) result = this.offline(p, 'no_provider');
    else {
      try {
        result = stream ? await this.streamed(p, stream) : await this.validated(p);
      } catch (err) {
        if (err instanceof BudgetExhaustedError) result = this.offline(p, 'budget_exhausted');
        else if (err instanceof LlmUnavailableError) result = this.offline(p, 'provider_error');
        else throw err;
      }
    }
    if (result.mode === 'offline' && stream) stream.onToken(result.answer);

    const turns = [...p.history, { role: 'user' as const, content: p.message }, { role: 'assistant' as const, content: result.answer }];
    try {
      await this.deps.sessions.save(p.sessionId, turns);
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'could not save chat history');
      p.warnings.push('the conversation history could not be saved');
    }
    return {
      answer: result.answer,
      sources: publicSources(p.sources),
      session_id: p.sessionId,
      mode: result.mode,
      citations: result.citations,
      warnings: [...p.warnings, ...result.warnings],
      ...(result.reason ? { offline_reason: result.reason } : {}),
      retrieval: p.retrieval,
    };
  }

  private offline(p: PreparedChat, reason: OfflineReason) {
    const { answer, citations } = extractiveAnswer(p.message, p.sources, reason);
    return { answer, citations, warnings: [] as string[], mode: 'offline' as const, reason };
  }

  private messages(p: PreparedChat): ChatTurn[] {
    return [...boundHistory(p.history), { role: 'user', content: p.message }];
  }

  private checked(p: PreparedChat, answer: string, declared: number[]) {
    const check = checkCitations(answer, declared, p.sources.length);
    const warnings: string[] = [];
    if (check.dropped.length) warnings.push(`citations [${check.dropped.join(', ')}] did not refer to retrieved sources and were removed`);
    if (check.citations.length === 0) warnings.push('the answer cites no source');
    else if (check.uncitedSentences > 0) warnings.push(`${check.uncitedSentences} sentence(s) of the answer cite no source`);
    return { answer: check.answer, citations: check.citations, warnings, mode: 'llm' as const };
  }

  private async validated(p: PreparedChat) {
    const outcome = await completeValidated(
      this.deps.client,
      ChatAnswerSchema,
      {
        task: 'chat',
        system: chatSystemPrompt(p.sources, 'json'),
        messages: this.messages(p),
        userText: [p.message],
        requestId: p.requestId,
        signal: p.signal,
      },
      this.deps.metrics,
    );
    if (!outcome.ok) return this.offline(p, 'invalid_model_output');
    const checked = this.checked(p, outcome.value.answer, outcome.value.citations);
    // An answer whose text was nothing but invalid citations is no answer.
    if (!ChatAnswerSchema.safeParse({ answer: checked.answer, citations: checked.citations }).success)
      return this.offline(p, 'invalid_model_output');
    return checked;
  }

  private async streamed(p: PreparedChat, stream: ChatStreamHandlers) {
    const res = await this.deps.client.complete({
      task: 'chat',
      system: chatSystemPrompt(p.sources, 'text'),
      messages: this.messages(p),
      userText: [p.message],
      requestId: p.requestId,
      signal: p.signal,
      onToken: stream.onToken,
    });
    const checked = this.checked(p, res.text, []);
    if (!ChatAnswerSchema.safeParse({ answer: checked.answer, citations: checked.citations }).success) {
      // Nothing usable was streamed (an empty reply): the extractive answer follows in its place.
      return this.offline(p, 'invalid_model_output');
    }
    return checked;
  }
}

/** Example questions for the chat page: a few fixed ones and one per first-class signpost. */
export function chatSuggestions(catalog: Catalog): string[] {
  const fixed = [
    'What is the best published SWE-bench Verified score so far?',
    'How large are the largest training runs, in FLOP?',
    'Which evidence moves the agents category?',
  ];
  const perSignpost = catalog.signposts
    .filter((s) => s.first_class && !s.monitor_only)
    .slice(0, 5)
    .map((s) => `How close is "${s.name}"?`);
  return [...fixed, ...perSignpost].slice(0, 8);
}
