import type { FastifyRequest } from 'fastify';
import type { ApiKeyPrincipal } from '../services/api-key-service.js';

/**
 * Per-route policy, declared next to each route in its `config` and enforced by the cross-cutting
 * plugins (one place each): who may call it, how it is cached and which limit applies.
 */
export interface RoutePolicy {
  /** 'public' (default): anyone; 'reader': any valid key; 'admin': a key with role admin (every attempt audited). */
  auth?: 'public' | 'reader' | 'admin';
  /** Cacheable GET: the response is stored under the URL and these tags; a mutation invalidating a tag evicts it. */
  cache?: { tags: (req: FastifyRequest) => string[]; ttlSeconds?: number };
  /** Which rate-limit bucket applies (stricter for chat). */
  rateLimit?: 'default' | 'chat' | 'strict';
  /** Marks a list route; the pagination lint test requires such routes to use the shared pagination schema. */
  list?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    /** The API key that authenticated this request, if any. */
    principal?: ApiKeyPrincipal;
  }
}
