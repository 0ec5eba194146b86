import { useCallback, useEffect, useState } from 'react';
import { api, type Query } from './client.js';

export interface ApiState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** GETs a JSON resource; refetches when the path or query changes and cancels the previous request. */
export function useApi<T>(path: string | null, query?: Query, opts: { admin?: boolean } = {}): ApiState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(path !== null);
  const [version, setVersion] = useState(0);
  const key = path === null ? null : JSON.stringify([path, query ?? {}]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    api<T>(path, { query, admin: opts.admin, signal: controller.signal })
      .then((d) => {
        setData(d);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setLoading(false);
      });
    return () => controller.abort();
    // The serialised key stands for path and query.
  }, [key, version, opts.admin]);

  return { data, error, loading, reload };
}
