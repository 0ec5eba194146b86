import type { Logger } from '../logger.js';
import type { Database } from '../db/database.js';
import { orQueryText, type SearchRepository } from '../db/repositories/search-repository.js';
import { BudgetExhaustedError, BudgetUnavailableError } from '../errors.js';
import { LlmCancelledError, LlmUnavailableError } from '../llm/client.js';
import type { Embeddings } from '../llm/embeddings.js';
import { isZeroVector } from '../llm/local-embedding.js';

/** The k of reciprocal rank fusion (Cormack et al. 2009): score = sum over lists of 1 / (k + rank). */
export const RRF_K = 60;

/** Fuses ranked lists (best first) into one ranking by reciprocal rank fusion; ties keep first-seen order. */
export function reciprocalRankFusion<K>(lists: K[][], k = RRF_K): Array<{ key: K; score: number }> {
  const scores = new Map<K, number>();
  for (const list of lists) {
    list.forEach((key, i) => scores.set(key, (scores.get(key) ?? 0) + 1 / (k + i + 1)));
  }
  return [...scores.entries()].map(([key, score]) => ({ key, score })).sort((a, b) => b.score - a.score);
}

export type RetrievalMode = 'hybrid' | 'full_text';

export interface EventHit {
  id: number;
  title: string;
  summary: string;
  url: string;
  publisher: string;
  tier: 'A' | 'B' | 'C' | 'D';
  published_at: string;
  score: number;
  matched: Array<'text' | 'vector'>;
}

export interface RetrievedSource {
  kind: 'event' | 'signpost';
  /** Event id, or signpost code. */
  ref: number | string;
  title: string;
  url: string;
  text: string;
  publisher?: string;
  tier?: 'A' | 'B' | 'C' | 'D';
  published_at?: string;
  score: number;
}

export interface RetrievalOptions {
  requestId?: string;
  signal?: AbortSignal;
}

/** Why vector search was left out of a hybrid query (the result then comes from full text alone). */
export type Degradation = 'no_vector_extension' | 'budget_exhausted' | 'budget_unavailable' | 'embedding_failed' | 'empty_query_vector';

/** Candidates taken from each list before fusion; search pages beyond this many fused results are empty. */
export const SEARCH_CANDIDATES = 200;

const tokens = (text: string): string[] =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * Hybrid retrieval over the evidence (SPEC section 7): Postgres full text on events.search plus
 * pgvector nearest neighbours (HNSW, cosine) where the extension exists, fused by reciprocal rank.
 * Without pgvector (stock Postgres) it is full text only, with one logged warning per process.
 */
export class SearchService {
  private warnedNoVector = false;

  constructor(
    private readonly deps: { repo: SearchRepository; embeddings: Embeddings; database: Pick<Database, 'hasVector'>; log: Logger },
  ) {}

  async vectorAvailable(): Promise<boolean> {
    const has = await this.deps.database.hasVector();
    if (!has && !this.warnedNoVector) {
      this.warnedNoVector = true;
      this.deps.log.warn('pgvector is not installed in this database: semantic search and chat retrieval use full-text search only');
    }
    return has;
  }

  /** The query's vector, or the reason there is none (vector search is then skipped, never an error). */
  private async queryVector(query: string, opts: RetrievalOptions): Promise<{ vector?: number[]; degraded?: Degradation }> {
    if (!(await this.vectorAvailable())) return { degraded: 'no_vector_extension' };
    try {
      const [vector] = await this.deps.embeddings.embed([query], {
        task: 'query_embedding',
        requestId: opts.requestId,
        signal: opts.signal,
      });
      if (!vector || isZeroVector(vector)) return { degraded: 'empty_query_vector' };
      return { vector };
    } catch (err) {
      if (err instanceof LlmCancelledError) throw err;
      if (err instanceof BudgetExhaustedError) return { degraded: 'budget_exhausted' };
      if (err instanceof BudgetUnavailableError) return { degraded: 'budget_unavailable' };
      if (err instanceof LlmUnavailableError) return { degraded: 'embedding_failed' };
      throw err;
    }
  }

  /** `/v1/search/semantic`: events ranked by fused full-text and vector similarity, a page at `offset`. */
  async searchEvents(
    query: string,
    page: { limit: number; offset: number },
    opts: RetrievalOptions = {},
  ): Promise<{ results: EventHit[]; mode: RetrievalMode; degraded?: Degradation }> {
    const { repo } = this.deps;
    const text = orQueryText(tokens(query));
    const [fullText, qv] = await Promise.all([
      text ? repo.fullTextEvents(text, SEARCH_CANDIDATES) : Promise.resolve([]),
      this.queryVector(query, opts),
    ]);
    const vector = qv.vector ? await repo.vectorEvents(qv.vector, this.deps.embeddings.model, SEARCH_CANDIDATES) : [];
    const fused = reciprocalRankFusion([fullText.map((x) => x.key), vector.map((x) => x.key)]);
    const slice = fused.slice(page.offset, page.offset + page.limit);
    const docs = new Map((await repo.eventsByIds(slice.map((s) => s.key))).map((d) => [d.id, d]));
    const inText = new Set(fullText.map((x) => x.key));
    const inVector = new Set(vector.map((x) => x.key));
    const results: EventHit[] = [];
    for (const s of slice) {
      const d = docs.get(s.key);
      if (!d) continue;
      const matched: EventHit['matched'] = [];
      if (inText.has(s.key)) matched.push('text');
      if (inVector.has(s.key)) matched.push('vector');
      results.push({ ...d, published_at: d.published_at.toISOString(), score: Number(s.score.toFixed(6)), matched });
    }
    return { results, mode: qv.vector ? 'hybrid' : 'full_text', ...(qv.degraded ? { degraded: qv.degraded } : {}) };
  }

  /** Chat retrieval: the top `k` events and signposts for a question, fused into one ranking. */
  async retrieve(
    query: string,
    k: number,
    opts: RetrievalOptions = {},
  ): Promise<{ sources: RetrievedSource[]; mode: RetrievalMode; degraded?: Degradation }> {
    const { repo } = this.deps;
    const pool = Math.max(20, k * 3);
    const text = orQueryText(tokens(query));
    const qv = await this.queryVector(query, opts);
    const model = this.deps.embeddings.model;
    const [ftEvents, ftSignposts, vEvents, vSignposts] = await Promise.all([
      text ? repo.fullTextEvents(text, pool) : Promise.resolve([]),
      text ? repo.fullTextSignposts(text, 5) : Promise.resolve([]),
      qv.vector ? repo.vectorEvents(qv.vector, model, pool) : Promise.resolve([]),
      qv.vector ? repo.vectorSignposts(qv.vector, model, 5) : Promise.resolve([]),
    ]);
    const key = (kind: 'e' | 's', ref: number | string) => `${kind}:${ref}`;
    const fused = reciprocalRankFusion([
      [...ftEvents.map((x) => key('e', x.key))],
      [...vEvents.map((x) => key('e', x.key))],
      [...ftSignposts.map((x) => key('s', x.key))],
      [...vSignposts.map((x) => key('s', x.key))],
    ]).slice(0, k);
    const eventIds = fused.filter((f) => f.key.startsWith('e:')).map((f) => Number(f.key.slice(2)));
    const codes = fused.filter((f) => f.key.startsWith('s:')).map((f) => f.key.slice(2));
    const [events, signposts] = await Promise.all([repo.eventsByIds(eventIds), repo.signpostsByCodes(codes)]);
    const eventById = new Map(events.map((e) => [e.id, e]));
    const signpostByCode = new Map(signposts.map((s) => [s.code, s]));
    const sources: RetrievedSource[] = [];
    for (const f of fused) {
      if (f.key.startsWith('e:')) {
        const e = eventById.get(Number(f.key.slice(2)));
        if (e)
          sources.push({
            kind: 'event',
            ref: e.id,
            title: e.title,
            url: e.url,
            text: e.summary,
            publisher: e.publisher,
            tier: e.tier,
            published_at: e.published_at.toISOString().slice(0, 10),
            score: f.score,
          });
      } else {
        const s = signpostByCode.get(f.key.slice(2));
        if (s) {
          sources.push({
            kind: 'signpost',
            ref: s.code,
            title: `Signpost ${s.code}: ${s.name}`,
            url: `/v1/signposts/${s.code}`,
            text: `${s.description} Why it matters: ${s.why_it_matters} Baseline ${s.baseline}, target ${s.target} (metric ${s.metric_code}, category ${s.category}).`,
            score: f.score,
          });
        }
      }
    }
    return { sources, mode: qv.vector ? 'hybrid' : 'full_text', ...(qv.degraded ? { degraded: qv.degraded } : {}) };
  }

  /**
   * Embeds events and signposts that lack a vector from the current model, in batches (the
   * embedding job, and after imports). Provider batches are budgeted; a refused budget stops the run.
   */
  async embedMissing(
    opts: { batchSize?: number; maxBatches?: number; requestId?: string } = {},
  ): Promise<{ model: string; events: number; signposts: number; skipped?: string }> {
    const { repo, embeddings } = this.deps;
    const model = embeddings.model;
    if (!(await this.vectorAvailable())) return { model, events: 0, signposts: 0, skipped: 'no_vector_extension' };
    const batchSize = opts.batchSize ?? 64;
    let events = 0;
    let signposts = 0;
    for (let batch = 0; batch < (opts.maxBatches ?? 100); batch++) {
      const todo = await repo.eventsNeedingEmbedding(model, batchSize);
      if (todo.length === 0) break;
      const vectors = await embeddings.embed(
        todo.map((t) => t.text),
        { task: 'embedding_backfill', requestId: opts.requestId },
      );
      await repo.setEventEmbeddings(
        todo.map((t, i) => ({ id: t.id, vector: vectors[i]! })),
        model,
      );
      events += todo.length;
    }
    const sp = await repo.signpostsNeedingEmbedding(model, 500);
    if (sp.length > 0) {
      const vectors = await embeddings.embed(
        sp.map((t) => t.text),
        { task: 'embedding_backfill', requestId: opts.requestId },
      );
      await repo.setSignpostEmbeddings(
        sp.map((t, i) => ({ code: t.code, vector: vectors[i]! })),
        model,
      );
      signposts = sp.length;
    }
    return { model, events, signposts };
  }
}
