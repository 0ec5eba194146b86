/**
 * The web app's only door to the server: same-origin fetches of the JSON API. Errors arrive as
 * RFC 9457 problem JSON and become ApiError with the server's title, detail and request id.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly requestId: string | undefined,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const ADMIN_KEY_STORAGE = 'agi-tracker.admin-key';

/** The admin key lives in sessionStorage: gone when the tab closes, never in localStorage or a cookie. */
export const adminKey = {
  get(): string | null {
    try {
      return sessionStorage.getItem(ADMIN_KEY_STORAGE);
    } catch {
      return null;
    }
  },
  set(key: string): void {
    sessionStorage.setItem(ADMIN_KEY_STORAGE, key);
  },
  clear(): void {
    sessionStorage.removeItem(ADMIN_KEY_STORAGE);
  },
};

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  query?: Query;
  body?: unknown;
  /** Sends the admin key from sessionStorage as X-API-Key. */
  admin?: boolean;
  signal?: AbortSignal;
}

export async function toApiError(res: Response): Promise<ApiError> {
  let title = res.statusText || `HTTP ${res.status}`;
  let detail: string | undefined;
  let requestId = res.headers.get('x-request-id') ?? undefined;
  try {
    const body = (await res.json()) as Record<string, unknown>;
    if (typeof body.title === 'string') title = body.title;
    if (typeof body.detail === 'string') detail = body.detail;
    else if (typeof body.message === 'string') detail = body.message;
    if (typeof body.request_id === 'string') requestId = body.request_id;
  } catch {
    // Not JSON: keep the status text.
  }
  return new ApiError(res.status, title, detail, requestId);
}

export function requestHeaders(opts: Pick<RequestOptions, 'admin'> & { json?: boolean; accept?: string }): Headers {
  const headers = new Headers({ Accept: opts.accept ?? 'application/json' });
  if (opts.json) headers.set('Content-Type', 'application/json');
  if (opts.admin) {
    const key = adminKey.get();
    if (key) headers.set('X-API-Key', key);
  }
  return headers;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const hasBody = opts.body !== undefined;
  const res = await fetch(withQuery(path, opts.query), {
    method: opts.method ?? 'GET',
    headers: requestHeaders({ admin: opts.admin, json: hasBody }),
    body: hasBody ? JSON.stringify(opts.body) : undefined,
    signal: opts.signal,
    credentials: 'same-origin',
  });
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}
