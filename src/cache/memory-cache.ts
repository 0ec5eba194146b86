import type { CachedResponse, CacheStamp, CacheStats, ResponseCache } from './response-cache.js';

interface Entry {
  value: CachedResponse;
  tags: string[];
  expiresAt: number;
  bytes: number;
}

/** In-process tagged cache for the embedded mode (one process). Bounded by bytes; oldest entries go first. */
export class MemoryResponseCache implements ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byTag = new Map<string, Set<string>>();
  private readonly versions = new Map<string, number>();
  private readonly counters: CacheStats = { hits: 0, misses: 0, invalidations: 0 };
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  async get(key: string): Promise<CachedResponse | undefined> {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= Date.now()) {
      if (entry) this.remove(key);
      this.counters.misses++;
      return undefined;
    }
    this.counters.hits++;
    return entry.value;
  }

  async stamp(tags: string[]): Promise<CacheStamp> {
    return tags.map((t) => this.versions.get(t) ?? 0).join(',');
  }

  async set(key: string, value: CachedResponse, tags: string[], ttlSeconds: number, stamp?: CacheStamp): Promise<boolean> {
    if (stamp !== undefined && stamp !== (await this.stamp(tags))) return false;
    const bytes = value.body.length * 2 + 512;
    if (bytes > this.maxBytes / 8) return false;
    this.remove(key);
    this.entries.set(key, { value, tags, expiresAt: Date.now() + ttlSeconds * 1000, bytes });
    this.bytes += bytes;
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    // Maps iterate in insertion order, so the first key is the oldest entry.
    while (this.bytes > this.maxBytes) this.remove(this.entries.keys().next().value!);
    return true;
  }

  async invalidate(tags: string[]): Promise<void> {
    for (const tag of new Set(tags)) {
      this.versions.set(tag, (this.versions.get(tag) ?? 0) + 1);
      for (const key of this.byTag.get(tag) ?? []) this.remove(key);
      this.byTag.delete(tag);
    }
    this.counters.invalidations++;
  }

  stats(): CacheStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.byTag.clear();
    this.bytes = 0;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }
}
