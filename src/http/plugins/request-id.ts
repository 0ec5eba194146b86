import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';

/** What a client-sent id may look like to be kept: short, and safe in logs, headers and audit rows. */
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * P0-1, Fastify's `genReqId`: the client's X-Request-ID when it is acceptable, else a new UUID.
 * Fastify binds the result to `req.id` and to every log line of the request (`request_id`).
 */
export function requestIdFor(raw: IncomingMessage): string {
  const sent = raw.headers['x-request-id'];
  return typeof sent === 'string' && ACCEPTED_ID.test(sent) ? sent : randomUUID();
}

/** Echoes the id on every response. It runs first, so redirects, 4xx, 429 and 5xx carry it too. */
export const requestId = fp(
  async (app) => {
    app.addHook('onRequest', (req, reply, done) => {
      reply.header('x-request-id', req.id);
      done();
    });
  },
  { name: 'request-id' },
);
