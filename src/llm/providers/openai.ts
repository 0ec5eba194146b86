import OpenAI from 'openai';
import { ProviderError, type EmbeddingResult, type ProviderAdapter, type ProviderRequest, type ProviderResult } from './types.js';

export interface OpenAiOptions {
  apiKey: string;
  baseUrl?: string;
  /** Ceiling for the SDK itself; the client aborts earlier with its per-task timeout. */
  timeoutMs: number;
}

function toProviderError(err: unknown): ProviderError {
  if (err instanceof OpenAI.APIError)
    return new ProviderError('openai', `OpenAI API error ${err.status ?? ''}: ${err.message}`.trim(), err.status);
  return new ProviderError('openai', err instanceof Error ? err.message : String(err));
}

/** OpenAI (or any server speaking its API at OPENAI_BASE_URL) through the official SDK. */
export function openAiProvider(opts: OpenAiOptions): ProviderAdapter {
  // Every option is explicit so the SDK reads nothing from the environment; retries are the client's job.
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseUrl ?? 'https://api.openai.com/v1',
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: opts.timeoutMs,
    logLevel: 'off',
  });

  return {
    name: 'openai',
    async complete(req: ProviderRequest): Promise<ProviderResult> {
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'system', content: req.system }, ...req.messages];
      const base = {
        model: req.model,
        messages,
        max_completion_tokens: req.maxTokens,
        temperature: req.temperature,
        ...(req.json ? { response_format: { type: 'json_object' as const } } : {}),
      };
      try {
        if (!req.onToken) {
          const res = await client.chat.completions.create({ ...base, stream: false }, { signal: req.signal });
          return {
            text: res.choices[0]?.message?.content ?? '',
            inputTokens: res.usage?.prompt_tokens ?? 0,
            outputTokens: res.usage?.completion_tokens ?? 0,
            usageReported: res.usage !== undefined && res.usage !== null,
          };
        }
        const stream = await client.chat.completions.create(
          { ...base, stream: true, stream_options: { include_usage: true } },
          { signal: req.signal },
        );
        let text = '';
        let usage: OpenAI.CompletionUsage | undefined;
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta?.content;
          if (delta) {
            text += delta;
            req.onToken(delta);
          }
          if (chunk.usage) usage = chunk.usage;
        }
        return {
          text,
          inputTokens: usage?.prompt_tokens ?? 0,
          outputTokens: usage?.completion_tokens ?? 0,
          usageReported: usage !== undefined,
        };
      } catch (err) {
        throw toProviderError(err);
      }
    },

    async embed(texts: string[], model: string, dimensions: number, signal: AbortSignal): Promise<EmbeddingResult> {
      try {
        const res = await client.embeddings.create({ model, input: texts, dimensions }, { signal });
        const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => Array.from(d.embedding));
        return { vectors, inputTokens: res.usage?.prompt_tokens ?? 0 };
      } catch (err) {
        throw toProviderError(err);
      }
    },
  };
}
