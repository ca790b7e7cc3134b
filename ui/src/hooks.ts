// Data loading for pages: each query runs on its own, is cancelled when its inputs change or the
// page goes away, and reports loading and errors, so one slow query never blocks the others.
import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson } from './api';

export interface Query<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  reload: () => void;
}

export function useQuery<T>(url: string | null, o: { refreshMs?: number } = {}): Query<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: url !== null });
  const [tick, setTick] = useState(0);
  const latest = useRef(url);
  latest.current = url;
  useEffect(() => {
    if (url === null) {
      setState({ loading: false });
      return undefined;
    }
    const ctrl = new AbortController();
    setState((s) => ({ ...(s.data !== undefined && latest.current === url ? { data: s.data } : {}), loading: true }));
    getJson<T>(url, ctrl.signal).then(
      (data) => setState({ data, loading: false }),
      (error: Error) => {
        if (!ctrl.signal.aborted) setState({ error, loading: false });
      },
    );
    const timer = o.refreshMs ? setTimeout(() => setTick((t) => t + 1), o.refreshMs) : undefined;
    return () => {
      ctrl.abort();
      if (timer) clearTimeout(timer);
    };
  }, [url, tick, o.refreshMs]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}
