import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import { REPO_ROOT } from '../paths.js';

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Who we are, with a URL where a site owner can find out more or ask us to stop. */
export const USER_AGENT = `agi-tracker/${VERSION} (+https://github.com/agi-tracker/agi-tracker)`;

export interface FetcherOptions {
  userAgent?: string;
  /** Whole request, headers and body, per attempt. */
  timeoutMs?: number;
  /** Bodies larger than this are refused (by Content-Length) or aborted while streaming. */
  maxBytes?: number;
  /** Further attempts after the first, on network errors, timeouts, 5xx, 408 and 429. */
  retries?: number;
  /** First backoff; doubles each attempt, with jitter. */
  backoffMs?: number;
  /** Longest wait between attempts; a Retry-After longer than this is not waited for. */
  maxBackoffMs?: number;
  /** Least time between the starts of two requests to the same host (politeness). */
  minIntervalMs?: number;
  log?: Pick<Logger, 'debug' | 'warn'>;
}

export interface FetchRequest {
  url: string;
  /** Validators from the last complete fetch: sent as If-None-Match / If-Modified-Since. */
  etag?: string | null;
  lastModified?: string | null;
  accept?: string;
  /** Overrides the fetcher's per-host interval (arXiv asks for 3 s between calls). */
  minIntervalMs?: number;
  signal?: AbortSignal;
}

export type FetchResult =
  | { notModified: true; status: 304; url: string; attempts: number }
  | {
      notModified: false;
      status: number;
      url: string;
      body: string;
      bytes: number;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      attempts: number;
    };

type Attempt = FetchResult extends infer R ? (R extends FetchResult ? Omit<R, 'attempts'> : never) : never;

/** A fetch that failed for good: after its retries, or at once when retrying cannot help. */
export class FetchError extends Error {
  override name = 'FetchError';
  constructor(
    message: string,
    readonly url: string,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** One attempt's failure; `retryable` says whether another attempt could succeed. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The charset of a response: Content-Type first, then an XML declaration, else UTF-8. */
function decode(bytes: Uint8Array, contentType: string | null): string {
  const fromHeader = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const fromXml = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  for (const label of [fromHeader, fromXml]) {
    if (!label) continue;
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // Unknown label: try the next hint.
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * The HTTP client of ingestion: a descriptive User-Agent, conditional GET, a timeout per attempt,
 * retries with exponential backoff (honouring Retry-After), a response size cap enforced while
 * streaming, and one request at a time per host with a minimum interval between them.
 */
export class Fetcher {
  private readonly opts: Required<Omit<FetcherOptions, 'log'>>;
  private readonly log?: FetcherOptions['log'];
  /** Tail of each host's queue: a request starts when the previous one to its host has finished. */
  private readonly hostTail = new Map<string, Promise<void>>();
  private readonly hostLastStart = new Map<string, number>();

  constructor(options: FetcherOptions = {}) {
    this.opts = {
      userAgent: options.userAgent ?? USER_AGENT,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxBytes: options.maxBytes ?? 20 * 1024 * 1024,
      retries: options.retries ?? 3,
      backoffMs: options.backoffMs ?? 1_000,
      maxBackoffMs: options.maxBackoffMs ?? 60_000,
      minIntervalMs: options.minIntervalMs ?? 1_000,
    };
    this.log = options.log;
  }

  async fetch(req: FetchRequest): Promise<FetchResult> {
    const url = new URL(req.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError(`unsupported protocol ${url.protocol}`, req.url, 0);
    return this.onHost(url.host, req.minIntervalMs ?? this.opts.minIntervalMs, req.signal, () => this.withRetries(req));
  }

  /** Runs `fn` when every earlier request to this host has finished and the interval has passed. */
  private async onHost<T>(host: string, minIntervalMs: number, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const previous = this.hostTail.get(host) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.hostTail.set(host, tail);
    try {
      await previous;
      const wait = (this.hostLastStart.get(host) ?? 0) + minIntervalMs - Date.now();
      if (wait > 0) await sleep(wait, undefined, { signal });
      this.hostLastStart.set(host, Date.now());
      return await fn();
    } finally {
      release();
      if (this.hostTail.get(host) === tail) this.hostTail.delete(host);
    }
  }

  private async withRetries(req: FetchRequest): Promise<FetchResult> {
    const attempts = this.opts.retries + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return { ...(await this.attempt(req)), attempts: attempt } as FetchResult;
      } catch (err) {
        if (req.signal?.aborted) throw new FetchError('aborted', req.url, attempt);
        const e = err instanceof AttemptError ? err : new AttemptError((err as Error).message, false);
        if (!e.retryable || attempt >= attempts) {
          throw new FetchError(attempt > 1 ? `${e.message} (after ${attempt} attempts)` : e.message, req.url, attempt, e.status);
        }
        const backoff = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** (attempt - 1));
        const jittered = backoff / 2 + Math.random() * (backoff / 2);
        if (e.retryAfterMs !== undefined && e.retryAfterMs > this.opts.maxBackoffMs) {
          throw new FetchError(`${e.message}; the server asks to wait ${Math.round(e.retryAfterMs / 1000)} s`, req.url, attempt, e.status);
        }
        const delay = Math.max(jittered, e.retryAfterMs ?? 0);
        this.log?.warn({ url: req.url, attempt, delay_ms: Math.round(delay), reason: e.message }, 'fetch failed, retrying');
        await sleep(delay, undefined, { signal: req.signal });
      }
    }
  }

  private async attempt(req: FetchRequest): Promise<Attempt> {
    const headers: Record<string, string> = {
      'user-agent': this.opts.userAgent,
      accept:
        req.accept ?? 'application/atom+xml, application/rss+xml, application/xml;q=0.9, application/json;q=0.9, text/csv;q=0.9, */*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (req.etag) headers['if-none-match'] = req.etag;
    if (req.lastModified) headers['if-modified-since'] = req.lastModified;
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;

    let res: Response;
    try {
      res = await fetch(req.url, { headers, signal, redirect: 'follow' });
    } catch (err) {
      throw this.networkError(err, timeout);
    }
    if (res.status === 304) {
      await res.body?.cancel().catch(() => {});
      return { notModified: true, status: 304, url: res.url || req.url };
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
      throw new AttemptError(`HTTP ${res.status}`, retryable, res.status, parseRetryAfter(res.headers.get('retry-after')));
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > this.opts.maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw new AttemptError(`response of ${declared} bytes exceeds the ${this.opts.maxBytes}-byte limit`, false);
    }

    const chunks: Uint8Array[] = [];
    let bytes = 0;
    try {
      if (res.body) {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.byteLength;
          if (bytes > this.opts.maxBytes) {
            throw new AttemptError(`response exceeds the ${this.opts.maxBytes}-byte limit`, false);
          }
          chunks.push(chunk);
        }
      }
    } catch (err) {
      if (err instanceof AttemptError) {
        await res.body?.cancel().catch(() => {});
        throw err;
      }
      throw this.networkError(err, timeout);
    }
    const contentType = res.headers.get('content-type');
    const all = new Uint8Array(bytes);
    let offset = 0;
    for (const c of chunks) {
      all.set(c, offset);
      offset += c.byteLength;
    }
    return {
      notModified: false,
      status: res.status,
      url: res.url || req.url,
      body: decode(all, contentType),
      bytes,
      contentType,
      etag: res.headers.get('etag'),
      lastModified: res.headers.get('last-modified'),
    };
  }

  private networkError(err: unknown, timeout: AbortSignal): AttemptError {
    if (timeout.aborted) return new AttemptError(`timed out after ${this.opts.timeoutMs} ms`, true);
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const detail = e.cause?.code ?? e.cause?.message ?? e.message;
    // A body cut short ("terminated", "other side closed") or a refused/reset connection may work next time.
    return new AttemptError(`network error: ${detail}`, true);
  }
}
