/**
 * Response cache with tags (P1-1). Entries are stored under a key with the tags they depend on;
 * invalidating a tag evicts exactly the entries carrying it, on every replica.
 * Implementations: memory (one process) and Redis (shared; invalidation reaches every replica).
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

export interface ResponseCache {
  get(key: string): Promise<CachedResponse | undefined>;
  set(key: string, value: CachedResponse, tags: string[], ttlSeconds: number): Promise<void>;
  /** Evicts every entry carrying any of these tags; never the whole cache. */
  invalidate(tags: string[]): Promise<void>;
  stats(): CacheStats;
  close(): Promise<void>;
}
