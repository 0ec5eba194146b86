import { randomBytes } from 'node:crypto';
import type { Redis } from '../redis.js';

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** History bounds: the last few turns, each and all together capped in size. */
export const HISTORY_LIMITS = { maxMessages: 12, maxMessageChars: 2_000, maxTotalChars: 12_000, ttlSeconds: 3_600 } as const;

/** Server-issued ids: 16 random bytes, base64url. Anything else is not a session id. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** Keeps only the newest messages that fit the bounds, each truncated to its cap. */
export function boundHistory(turns: ChatTurn[]): ChatTurn[] {
  const capped = turns
    .slice(-HISTORY_LIMITS.maxMessages)
    .map((t) => ({ role: t.role, content: t.content.slice(0, HISTORY_LIMITS.maxMessageChars) }));
  let total = capped.reduce((n, t) => n + t.content.length, 0);
  while (capped.length > 0 && total > HISTORY_LIMITS.maxTotalChars) total -= capped.shift()!.content.length;
  // A history never starts with an assistant turn.
  while (capped[0]?.role === 'assistant') capped.shift();
  return capped;
}

export interface ChatSessionStore {
  /** The session's history, or undefined when the id is unknown or expired. */
  load(id: string): Promise<ChatTurn[] | undefined>;
  save(id: string, turns: ChatTurn[]): Promise<void>;
}

/** Sessions in Redis (shared by every replica), expiring after an hour without use. */
export class RedisChatSessionStore implements ChatSessionStore {
  constructor(private readonly redis: Redis) {}

  async load(id: string): Promise<ChatTurn[] | undefined> {
    const raw = await this.redis.get(`chat:session:${id}`);
    if (raw === null) return undefined;
    try {
      const parsed = JSON.parse(raw) as ChatTurn[];
      return Array.isArray(parsed)
        ? boundHistory(parsed.filter((t) => (t.role === 'user' || t.role === 'assistant') && typeof t.content === 'string'))
        : [];
    } catch {
      return [];
    }
  }

  async save(id: string, turns: ChatTurn[]): Promise<void> {
    await this.redis.set(`chat:session:${id}`, JSON.stringify(boundHistory(turns)), 'EX', HISTORY_LIMITS.ttlSeconds);
  }
}

/** Sessions in process memory (no Redis): same bounds and expiry, and at most `maxSessions` kept. */
export class MemoryChatSessionStore implements ChatSessionStore {
  private readonly sessions = new Map<string, { turns: ChatTurn[]; expires: number }>();

  constructor(
    private readonly maxSessions = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async load(id: string): Promise<ChatTurn[] | undefined> {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.expires <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return s.turns;
  }

  async save(id: string, turns: ChatTurn[]): Promise<void> {
    this.sessions.delete(id); // re-insert so iteration order is least recently used first
    this.sessions.set(id, { turns: boundHistory(turns), expires: this.now() + HISTORY_LIMITS.ttlSeconds * 1_000 });
    for (const key of this.sessions.keys()) {
      if (this.sessions.size <= this.maxSessions) break;
      this.sessions.delete(key);
    }
  }
}
