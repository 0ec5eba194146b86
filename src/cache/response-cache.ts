/**
 * Response cache with tags (P1-1). Entries are stored under a key with the tags they depend on;
 * invalidating a tag evicts exactly the entries carrying it, on every replica.
 * Implementations: memory (one process) and Redis (shared; invalidation reaches every replica).
 *
 * A response computed while one of its tags is being invalidated must not be stored afterwards
 * (it may hold the old data). So a request takes a `stamp` of its tags' versions before it reads
 * anything, and `set` refuses to store when a tag's version moved since.
 */
export interface CachedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  etag: string;
  storedAt: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  invalidations: number;
}

/** Opaque snapshot of tag versions. */
export type CacheStamp = string;

export interface ResponseCache {
  get(key: string): Promise<CachedResponse | undefined>;
  /** The current versions of these tags; take it before computing the response and pass it to `set`. */
  stamp(tags: string[]): Promise<CacheStamp>;
  /** Stores the entry under its tags unless one of them was invalidated after `stamp`; returns whether it stored. */
  set(key: string, value: CachedResponse, tags: string[], ttlSeconds: number, stamp?: CacheStamp): Promise<boolean>;
  /** Evicts every entry carrying any of these tags; never the whole cache. */
  invalidate(tags: string[]): Promise<void>;
  stats(): CacheStats;
  close(): Promise<void>;
}
