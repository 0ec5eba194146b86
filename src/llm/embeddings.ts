import type { EmbeddingRequest, LlmClient } from './client.js';
import { LOCAL_EMBEDDING_MODEL, localEmbedding } from './local-embedding.js';

/**
 * Embeddings for search: the provider's (OpenAI text-embedding-3-small, 256 dimensions, budgeted)
 * when OPENAI_API_KEY is set, otherwise the local deterministic hashed embedding (free, offline).
 * The model id is stored with each vector; vectors of different models are never compared.
 */
export class Embeddings {
  constructor(private readonly client: LlmClient) {}

  get model(): string {
    return this.client.embeddingsEnabled ? this.client.embeddingModel : LOCAL_EMBEDDING_MODEL;
  }

  get costsMoney(): boolean {
    return this.client.embeddingsEnabled;
  }

  async embed(texts: string[], req: EmbeddingRequest): Promise<number[][]> {
    if (!this.client.embeddingsEnabled) return texts.map((t) => localEmbedding(t));
    // Provider inputs are capped: 8k characters is far below the model's context and bounds the reservation.
    return this.client.embed(
      texts.map((t) => t.slice(0, 8_000)),
      req,
    );
  }
}
