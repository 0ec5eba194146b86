export type ProviderName = 'openai' | 'anthropic';

export interface ProviderMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface ProviderRequest {
  model: string;
  system: string;
  messages: ProviderMessage[];
  maxTokens: number;
  /** Ask for a single JSON object (OpenAI JSON mode; Anthropic by instruction). */
  json: boolean;
  temperature: number;
  signal: AbortSignal;
  /** When set the call streams and each text delta is passed here as it arrives. */
  onToken?: (text: string) => void;
}

export interface ProviderResult {
  text: string;
  inputTokens: number;
  outputTokens: number;
  /** False when the provider did not report usage (the reservation is then charged in full). */
  usageReported: boolean;
}

export interface EmbeddingResult {
  vectors: number[][];
  inputTokens: number;
}

/** One provider behind the LLM client. Only src/llm/client.ts constructs these; nothing else calls a provider. */
export interface ProviderAdapter {
  readonly name: ProviderName;
  complete(req: ProviderRequest): Promise<ProviderResult>;
  embed?(texts: string[], model: string, dimensions: number, signal: AbortSignal): Promise<EmbeddingResult>;
}

/** A provider call that failed: status is the HTTP status when the provider answered. */
export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderName,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
