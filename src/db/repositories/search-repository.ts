import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';

export interface RankedId<K extends string | number> {
  key: K;
  score: number;
}

export interface EventDocument {
  id: number;
  title: string;
  summary: string;
  url: string;
  publisher: string;
  tier: 'A' | 'B' | 'C' | 'D';
  published_at: Date;
}

export interface SignpostDocument {
  code: string;
  name: string;
  category: string;
  description: string;
  why_it_matters: string;
  baseline: number;
  target: number;
  metric_code: string;
}

/** pgvector's text form of a vector. */
function vectorLiteral(v: number[]): string {
  return `[${v.map((x) => (Number.isFinite(x) ? Number(x.toFixed(7)) : 0)).join(',')}]`;
}

/**
 * Tokens for an OR full-text query: only letters and digits, so the string handed to to_tsquery has
 * no operators of the user's making. Stop words are dropped by the `english` configuration itself.
 */
export function orQueryText(tokens: string[]): string | undefined {
  const safe = [...new Set(tokens.map((t) => t.toLowerCase()).filter((t) => /^[\p{L}\p{N}]{2,40}$/u.test(t)))].slice(0, 24);
  return safe.length ? safe.join(' | ') : undefined;
}

const SIGNPOST_DOCUMENT = sql`to_tsvector('english', name || ' ' || description || ' ' || why_it_matters || ' ' || replace(code, '_', ' '))`;

/**
 * Retrieval queries for search and chat: full text over `events.search` (and the small signpost
 * table), nearest neighbours over the pgvector `embedding` columns where they exist, and the
 * embedding backfill. The vector statements are only issued when the caller knows pgvector is there.
 */
export class SearchRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async fullTextEvents(queryText: string, limit: number): Promise<Array<RankedId<number>>> {
    const r = await sql<{ id: number; score: number }>`
      SELECT id, ts_rank_cd(search, q) AS score
      FROM events, to_tsquery('english', ${queryText}) q
      WHERE search @@ q AND NOT retracted
      ORDER BY score DESC, published_at DESC, id DESC
      LIMIT ${limit}`.execute(this.db);
    return r.rows.map((x) => ({ key: x.id, score: Number(x.score) }));
  }

  /**
   * Nearest events by cosine distance. An HNSW scan yields at most `hnsw.ef_search` candidates
   * (default 40) before the WHERE filter, so the search widens it to the limit for this transaction
   * only (SET LOCAL: nothing outlives the transaction, safe behind PgBouncer).
   */
  async vectorEvents(vector: number[], model: string, limit: number): Promise<Array<RankedId<number>>> {
    const r = await this.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('hnsw.ef_search', ${String(Math.min(1_000, Math.max(40, limit)))}, true)`.execute(trx);
      return sql<{ id: number; distance: number }>`
        SELECT id, embedding <=> ${vectorLiteral(vector)}::vector AS distance
        FROM events
        WHERE embedding IS NOT NULL AND embedding_model = ${model} AND NOT retracted
        ORDER BY embedding <=> ${vectorLiteral(vector)}::vector
        LIMIT ${limit}`.execute(trx);
    });
    return r.rows.map((x) => ({ key: x.id, score: 1 - Number(x.distance) }));
  }

  async fullTextSignposts(queryText: string, limit: number): Promise<Array<RankedId<string>>> {
    const r = await sql<{ code: string; score: number }>`
      SELECT code, ts_rank_cd(${SIGNPOST_DOCUMENT}, q) AS score
      FROM signposts, to_tsquery('english', ${queryText}) q
      WHERE ${SIGNPOST_DOCUMENT} @@ q
      ORDER BY score DESC, display_order
      LIMIT ${limit}`.execute(this.db);
    return r.rows.map((x) => ({ key: x.code, score: Number(x.score) }));
  }

  async vectorSignposts(vector: number[], model: string, limit: number): Promise<Array<RankedId<string>>> {
    const r = await sql<{ code: string; distance: number }>`
      SELECT code, embedding <=> ${vectorLiteral(vector)}::vector AS distance
      FROM signposts
      WHERE embedding IS NOT NULL AND embedding_model = ${model}
      ORDER BY embedding <=> ${vectorLiteral(vector)}::vector
      LIMIT ${limit}`.execute(this.db);
    return r.rows.map((x) => ({ key: x.code, score: 1 - Number(x.distance) }));
  }

  async eventsByIds(ids: number[]): Promise<EventDocument[]> {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('events')
      .select(['id', 'title', 'summary', 'url', 'publisher', 'tier', 'published_at'])
      .where('id', 'in', ids)
      .where('retracted', '=', false)
      .execute();
  }

  async signpostsByCodes(codes: string[]): Promise<SignpostDocument[]> {
    if (codes.length === 0) return [];
    return this.db
      .selectFrom('signposts')
      .select(['code', 'name', 'category', 'description', 'why_it_matters', 'baseline', 'target', 'metric_code'])
      .where('code', 'in', codes)
      .execute();
  }

  /** Events without an embedding from `model` (never embedded, or embedded by another model), oldest id first. */
  async eventsNeedingEmbedding(model: string, limit: number): Promise<Array<{ id: number; text: string }>> {
    const r = await sql<{ id: number; title: string; summary: string; publisher: string }>`
      SELECT id, title, summary, publisher FROM events
      WHERE (embedding IS NULL OR embedding_model IS DISTINCT FROM ${model}) AND NOT retracted
      ORDER BY id LIMIT ${limit}`.execute(this.db);
    return r.rows.map((x) => ({ id: x.id, text: `${x.title}\n${x.summary}\n${x.publisher}` }));
  }

  async signpostsNeedingEmbedding(model: string, limit: number): Promise<Array<{ code: string; text: string }>> {
    const r = await sql<{ code: string; name: string; description: string; why_it_matters: string }>`
      SELECT code, name, description, why_it_matters FROM signposts
      WHERE embedding IS NULL OR embedding_model IS DISTINCT FROM ${model}
      ORDER BY display_order LIMIT ${limit}`.execute(this.db);
    return r.rows.map((x) => ({ code: x.code, text: `${x.name}\n${x.description}\n${x.why_it_matters}` }));
  }

  async setEventEmbeddings(items: Array<{ id: number; vector: number[] }>, model: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const item of items) {
        await sql`UPDATE events SET embedding = ${vectorLiteral(item.vector)}::vector, embedding_model = ${model} WHERE id = ${item.id}`.execute(
          trx,
        );
      }
    });
  }

  async setSignpostEmbeddings(items: Array<{ code: string; vector: number[] }>, model: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const item of items) {
        await sql`UPDATE signposts SET embedding = ${vectorLiteral(item.vector)}::vector, embedding_model = ${model} WHERE code = ${item.code}`.execute(
          trx,
        );
      }
    });
  }
}
