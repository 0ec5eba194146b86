import { sql, type Kysely } from 'kysely';
import { runScript } from './run-script.js';
import type { MigrationContext } from './index.js';

/** Dimension of every stored embedding: provider embeddings are requested at this size, local ones are built at it. */
export const EMBEDDING_DIMENSIONS = 256;

async function vectorAvailable(db: Kysely<unknown>): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'vector'`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

/**
 * Embedding columns with HNSW indexes where pgvector exists (PGlite ships it). Stock Postgres without it
 * keeps working: the vector parts are skipped with a warning and search falls back to full text.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (!(await vectorAvailable(db))) {
    ctx.log.warn('pgvector is not available on this Postgres: embedding columns skipped, search uses full text only');
    return;
  }
  await sql`CREATE EXTENSION IF NOT EXISTS vector`.execute(db);
  await runScript(
    db,
    `
    ALTER TABLE events ADD COLUMN embedding vector(${EMBEDDING_DIMENSIONS});
    ALTER TABLE events ADD COLUMN embedding_model text;
    ALTER TABLE signposts ADD COLUMN embedding vector(${EMBEDDING_DIMENSIONS});
    ALTER TABLE signposts ADD COLUMN embedding_model text;
    CREATE INDEX idx_events_embedding_hnsw ON events USING hnsw (embedding vector_cosine_ops);
    CREATE INDEX idx_signposts_embedding_hnsw ON signposts USING hnsw (embedding vector_cosine_ops);
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    DROP INDEX IF EXISTS idx_signposts_embedding_hnsw;
    DROP INDEX IF EXISTS idx_events_embedding_hnsw;
    ALTER TABLE signposts DROP COLUMN IF EXISTS embedding_model;
    ALTER TABLE signposts DROP COLUMN IF EXISTS embedding;
    ALTER TABLE events DROP COLUMN IF EXISTS embedding_model;
    ALTER TABLE events DROP COLUMN IF EXISTS embedding;
  `,
  );
}
