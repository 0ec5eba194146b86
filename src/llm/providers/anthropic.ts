import Anthropic from '@anthropic-ai/sdk';
import { ProviderError, type ProviderAdapter, type ProviderRequest, type ProviderResult } from './types.js';

export interface AnthropicOptions {
  apiKey: string;
  baseUrl?: string;
  timeoutMs: number;
}

function toProviderError(err: unknown): ProviderError {
  if (err instanceof Anthropic.APIError)
    return new ProviderError('anthropic', `Anthropic API error ${err.status ?? ''}: ${err.message}`.trim(), err.status);
  return new ProviderError('anthropic', err instanceof Error ? err.message : String(err));
}

/** Anthropic Messages API (ANTHROPIC_BASE_URL for a compatible server) through the official SDK. */
export function anthropicProvider(opts: AnthropicOptions): ProviderAdapter {
  const client = new Anthropic({
    apiKey: opts.apiKey,
    baseURL: opts.baseUrl ?? 'https://api.anthropic.com',
    maxRetries: 0,
    timeout: opts.timeoutMs,
    logLevel: 'off',
  });

  return {
    name: 'anthropic',
    async complete(req: ProviderRequest): Promise<ProviderResult> {
      // Anthropic has no JSON mode: the instruction is part of the system prompt.
      const system = req.json ? `${req.system}\n\nReply with one JSON object only, no prose and no code fences.` : req.system;
      const base = { model: req.model, system, messages: req.messages, max_tokens: req.maxTokens, temperature: req.temperature };
      try {
        if (!req.onToken) {
          const res = await client.messages.create({ ...base, stream: false }, { signal: req.signal });
          const text = res.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
          return { text, inputTokens: res.usage.input_tokens, outputTokens: res.usage.output_tokens, usageReported: true };
        }
        const stream = await client.messages.create({ ...base, stream: true }, { signal: req.signal });
        let text = '';
        let inputTokens = 0;
        let outputTokens = 0;
        let usageReported = false;
        for await (const event of stream) {
          if (event.type === 'message_start') {
            inputTokens = event.message.usage.input_tokens;
            outputTokens = event.message.usage.output_tokens;
            usageReported = true;
          } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
            text += event.delta.text;
            req.onToken(event.delta.text);
          } else if (event.type === 'message_delta') {
            outputTokens = event.usage.output_tokens;
          }
        }
        return { text, inputTokens, outputTokens, usageReported };
      } catch (err) {
        throw toProviderError(err);
      }
    },
  };
}
