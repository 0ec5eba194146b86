import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { localEmbedding } from '../../src/llm/local-embedding.js';

/**
 * A local stand-in for the OpenAI and Anthropic APIs, over real HTTP, so the official SDKs are
 * exercised end to end: OpenAI chat completions (JSON, and `stream: true` SSE chunks with a final
 * usage chunk), OpenAI embeddings (float or base64), Anthropic messages (JSON and SSE events).
 * Replies are scriptable per provider: valid or schema-breaking text, token usage, delays (slow
 * answers), per-token delays (for disconnect tests) and HTTP errors.
 *
 * Point the SDKs at it: OPENAI_BASE_URL = server.openaiBaseUrl, ANTHROPIC_BASE_URL = server.anthropicBaseUrl.
 */

export type FakeProvider = 'openai' | 'anthropic';

export interface FakeRequest {
  provider: FakeProvider;
  kind: 'chat' | 'embeddings';
  body: Record<string, unknown>;
  /** All prompt text (system and messages) concatenated, for assertions. */
  prompt: string;
  stream: boolean;
}

export interface FakeReply {
  /** The model's text. Default: a valid answer for the task the prompt asks for. */
  text?: string;
  /** Reported usage; default about 4 characters per token of prompt and text. */
  usage?: { input: number; output: number };
  /** Leave usage out of the response (the client must then charge the whole reservation). */
  omitUsage?: boolean;
  /** Wait before answering (slow provider). */
  delayMs?: number;
  /** Streaming: split the text into this many chunks and wait this long between them. */
  chunks?: number;
  tokenDelayMs?: number;
  /** Answer with this HTTP status and an error body instead. */
  status?: number;
}

export type FakeScript = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeLlmServer {
  url: string;
  openaiBaseUrl: string;
  anthropicBaseUrl: string;
  /** Every request received, in order. */
  requests: FakeRequest[];
  /** Responses whose connection the client closed before the response was complete. */
  closedEarly: FakeRequest[];
  /** Replaces the reply script of a provider (default: valid answers). */
  script(provider: FakeProvider, fn: FakeScript): void;
  /** Replies used once each, in order, for the next completions (not embeddings), before the script. */
  enqueue(provider: FakeProvider, ...replies: FakeReply[]): void;
  reset(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A valid reply for whichever task the prompt describes (the prompts name their JSON fields). */
export function defaultText(req: FakeRequest): string {
  const p = req.prompt;
  if (p.includes('"citations"'))
    return JSON.stringify({ answer: 'The sources report steady progress on agent benchmarks [1].', citations: [1] });
  if (p.includes('"significance"')) {
    return JSON.stringify({
      summary: 'The source reports a new benchmark result.',
      significance: 0.6,
      impact: {
        short: 'Short-term effect on benchmarks.',
        medium: 'Medium-term effect on agents.',
        long: 'Long-term effect on AGI timelines.',
      },
    });
  }
  if (p.includes('"highlights"'))
    return JSON.stringify({ headline: 'A week of evidence', summary: 'Several results were published.', highlights: [] });
  if (p.includes('"mappings"')) return JSON.stringify({ mappings: [] });
  return 'The evidence shows steady progress [1].';
}

function promptOf(body: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof body.system === 'string') parts.push(body.system);
  for (const m of (body.messages as Array<{ content: unknown }> | undefined) ?? []) {
    parts.push(typeof m.content === 'string' ? m.content : JSON.stringify(m.content));
  }
  return parts.join('\n');
}

function split(text: string, n: number): string[] {
  if (n <= 1 || text.length <= 1) return [text];
  const size = Math.ceil(text.length / n);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

export async function startFakeLlmServer(): Promise<FakeLlmServer> {
  const requests: FakeRequest[] = [];
  const closedEarly: FakeRequest[] = [];
  const scripts: Record<FakeProvider, FakeScript> = { openai: () => ({}), anthropic: () => ({}) };
  const queues: Record<FakeProvider, FakeReply[]> = { openai: [], anthropic: [] };

  async function replyFor(r: FakeRequest): Promise<FakeReply> {
    return (r.kind === 'chat' ? queues[r.provider].shift() : undefined) ?? (await scripts[r.provider](r));
  }

  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '';
    let body: Record<string, unknown>;
    try {
      body = await readJson(req);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json"}}');
      return;
    }
    const provider: FakeProvider | undefined = url.startsWith('/openai/')
      ? 'openai'
      : url.startsWith('/anthropic/')
        ? 'anthropic'
        : undefined;
    const kind = url.endsWith('/embeddings') ? 'embeddings' : 'chat';
    if (!provider) {
      res.writeHead(404).end();
      return;
    }
    const fr: FakeRequest = { provider, kind, body, prompt: promptOf(body), stream: body.stream === true };
    requests.push(fr);
    let finished = false;
    res.on('close', () => {
      if (!finished && !res.writableFinished) closedEarly.push(fr);
    });
    const reply = await replyFor(fr);
    if (reply.delayMs) await sleep(reply.delayMs);
    if (res.destroyed) return;
    if (reply.status && reply.status >= 400) {
      const error =
        provider === 'openai'
          ? { error: { message: 'scripted failure', type: 'server_error' } }
          : { type: 'error', error: { type: 'api_error', message: 'scripted failure' } };
      finished = true;
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(error));
      return;
    }

    if (kind === 'embeddings') {
      const input = (Array.isArray(body.input) ? body.input : [body.input]) as string[];
      const dims = Number(body.dimensions ?? 256);
      const base64 = body.encoding_format === 'base64';
      const data = input.map((t, index) => {
        const v = localEmbedding(String(t), dims);
        return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v };
      });
      const tokens = reply.usage?.input ?? input.reduce((n, t) => n + Math.ceil(String(t).length / 4), 0);
      finished = true;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }));
      return;
    }

    const text = reply.text ?? defaultText(fr);
    const usage = reply.usage ?? { input: Math.ceil(fr.prompt.length / 4), output: Math.max(1, Math.ceil(text.length / 4)) };
    const model = String(body.model ?? 'fake');

    if (!fr.stream) {
      const payload =
        provider === 'openai'
          ? {
              id: 'chatcmpl-fake',
              object: 'chat.completion',
              created: Math.floor(Date.now() / 1000),
              model,
              choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop', logprobs: null }],
              ...(reply.omitUsage
                ? {}
                : { usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } }),
            }
          : {
              id: 'msg_fake',
              type: 'message',
              role: 'assistant',
              model,
              content: [{ type: 'text', text }],
              stop_reason: 'end_turn',
              stop_sequence: null,
              usage: { input_tokens: usage.input, output_tokens: usage.output },
            };
      finished = true;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      return;
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const write = (s: string) => {
      if (!res.destroyed) res.write(s);
    };
    const pieces = split(text, reply.chunks ?? 4);
    if (provider === 'openai') {
      const chunk = (delta: Record<string, unknown>, finish: string | null) =>
        write(
          `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
        );
      chunk({ role: 'assistant', content: '' }, null);
      for (const piece of pieces) {
        if (reply.tokenDelayMs) await sleep(reply.tokenDelayMs);
        if (res.destroyed) return;
        chunk({ content: piece }, null);
      }
      chunk({}, 'stop');
      if (!reply.omitUsage) {
        write(
          `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } })}\n\n`,
        );
      }
      write('data: [DONE]\n\n');
    } else {
      const event = (type: string, data: Record<string, unknown>) =>
        write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
      event('message_start', {
        message: {
          id: 'msg_fake',
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.input, output_tokens: 1 },
        },
      });
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      for (const piece of pieces) {
        if (reply.tokenDelayMs) await sleep(reply.tokenDelayMs);
        if (res.destroyed) return;
        event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } });
      }
      event('content_block_stop', { index: 0 });
      event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output } });
      event('message_stop', {});
    }
    finished = true;
    res.end();
  });
  // Keep-alive sockets from the SDKs must not hold close() open.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseUrl: `${url}/openai/v1`,
    anthropicBaseUrl: `${url}/anthropic`,
    requests,
    closedEarly,
    script(provider, fn) {
      scripts[provider] = fn;
    },
    enqueue(provider, ...replies) {
      queues[provider].push(...replies);
    },
    reset() {
      requests.length = 0;
      closedEarly.length = 0;
      queues.openai.length = 0;
      queues.anthropic.length = 0;
      scripts.openai = () => ({});
      scripts.anthropic = () => ({});
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
