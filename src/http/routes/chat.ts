import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { AppError } from '../../errors.js';
import { LlmCancelledError } from '../../llm/client.js';
import { MAX_MESSAGE_CHARS, chatSuggestions } from '../../services/chat-service.js';

const Source = z.object({
  n: z.number().int(),
  kind: z.enum(['event', 'signpost']),
  id: z.union([z.number().int(), z.string()]),
  title: z.string(),
  url: z.string(),
  publisher: z.string().optional(),
  tier: z.enum(['A', 'B', 'C', 'D']).optional(),
  published_at: z.string().optional(),
});

const ChatResponse = z.object({
  answer: z.string(),
  sources: z.array(Source),
  session_id: z.string(),
  mode: z.enum(['llm', 'offline']),
  citations: z.array(z.number().int()),
  warnings: z.array(z.string()),
  offline_reason: z.string().optional(),
  retrieval: z.enum(['hybrid', 'full_text']),
});

/** An `error` event's payload: the problem fields a client needs (the HTTP status is already 200). */
function problemOf(err: unknown, requestId: string) {
  if (err instanceof AppError) return { status: err.status, title: err.title, detail: err.message, request_id: requestId, ...err.extra };
  return {
    status: 500,
    title: 'Internal Server Error',
    detail: 'an internal error occurred; quote the request_id when reporting it',
    request_id: requestId,
  };
}

/**
 * The evidence chat. JSON, or Server-Sent Events with `stream: true`: `sources` first, then `token`
 * events ({text}), then `done` (the full JSON response, whose `answer` has invalid citation markers
 * removed and replaces the streamed text) or `error` (a problem object). A refused message (bad
 * input, suspected injection) is a plain 400 problem before any event. Closing the connection
 * aborts the model call and releases its budget reservation.
 */
export const chatRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { chat } = ctx.services;

  app.post(
    '/v1/chat',
    {
      config: { policy: { rateLimit: 'chat' } },
      schema: {
        tags: ['chat'],
        summary: 'Ask a question about the evidence; answers cite retrieved sources by number',
        body: z.object({
          message: z.string().min(1).max(MAX_MESSAGE_CHARS),
          stream: z.boolean().default(false),
          session_id: z.string().min(1).max(64).optional(),
        }),
        response: { 200: ChatResponse },
      },
    },
    async (req, reply) => {
      const controller = new AbortController();
      // 'close' before the response finished means the client went away: stop the model call.
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      // The client has gone: nobody to answer, and nothing to log as a failure.
      const abandon = () => {
        reply.hijack();
        reply.raw.destroy();
      };
      let prepared;
      try {
        prepared = await chat.prepare({
          message: req.body.message,
          sessionId: req.body.session_id,
          requestId: req.id,
          signal: controller.signal,
        });
      } catch (err) {
        if (err instanceof LlmCancelledError) return abandon();
        throw err;
      }
      if (!req.body.stream) {
        try {
          return await chat.answer(prepared);
        } catch (err) {
          if (err instanceof LlmCancelledError) return abandon();
          throw err;
        }
      }

      const out = new PassThrough();
      const send = (event: string, data: unknown) => {
        if (!out.writableEnded) out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-store, no-transform')
        .header('x-accel-buffering', 'no');
      send('sources', { session_id: prepared.sessionId, sources: chat.sourcesOf(prepared) });
      // A comment line now and then keeps proxies from closing a stream that waits on a slow model.
      const keepAlive = setInterval(() => out.write(': keep-alive\n\n'), 15_000);
      void chat
        .answer(prepared, { onToken: (text) => send('token', { text }) })
        .then((res) => send('done', res))
        .catch((err: unknown) => {
          if (err instanceof LlmCancelledError) return;
          if (!(err instanceof AppError) || err.status >= 500) req.log.warn({ err }, 'chat stream failed');
          send('error', problemOf(err, req.id));
        })
        .finally(() => {
          clearInterval(keepAlive);
          out.end();
        });
      // A stream is sent as is; the response schema describes the JSON form only.
      return reply.send(out as never);
    },
  );

  app.get(
    '/v1/chat/suggestions',
    {
      config: { policy: { cache: { tags: () => ['signposts'], ttlSeconds: 3_600 } } },
      schema: {
        tags: ['chat'],
        summary: 'Example questions the evidence can answer',
        response: { 200: z.object({ suggestions: z.array(z.string()) }) },
      },
    },
    async () => ({ suggestions: chatSuggestions(ctx.catalog.catalog) }),
  );
};
