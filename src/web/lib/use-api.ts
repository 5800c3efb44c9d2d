// Reads one API resource for a view: loading, error and data, cancelled when the view or the URL
// changes. The last data stays on screen while new data loads (no flash, no layout shift), and a
// small in-memory cache makes going back to a view instant.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api.ts';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

const cache = new Map<string, unknown>();
export const clearApiCache = (prefix = '') => {
  for (const k of [...cache.keys()]) if (k.startsWith(prefix)) cache.delete(k);
};

export function useApi<T>(path: string | null): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean; path: string | null }>(() => ({
    data: path ? (cache.get(path) as T | undefined) : undefined,
    error: undefined,
    loading: path !== null,
    path,
  }));
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const current = useRef(path);
  current.current = path;

  useEffect(() => {
    if (path === null) {
      setState({ data: undefined, error: undefined, loading: false, path });
      return;
    }
    const ctrl = new AbortController();
    const cached = cache.get(path) as T | undefined;
    setState((s) => ({ data: cached ?? s.data, error: undefined, loading: true, path }));
    api<T>(path, { signal: ctrl.signal }).then(
      (data) => {
        cache.set(path, data);
        if (current.current === path) setState({ data, error: undefined, loading: false, path });
      },
      (error) => {
        if ((error as Error).name === 'AbortError') return;
        if (current.current === path) setState((s) => ({ data: s.data, error, loading: false, path }));
      },
    );
    return () => ctrl.abort();
  }, [path, nonce]);

  return { data: state.data, error: state.error, loading: state.loading, reload };
}
