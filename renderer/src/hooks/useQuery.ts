import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Input, Method, Result } from '../../../electron/core/api/contract.ts';
import { asApiError, call, getRevision, subscribeRevision, type ApiError } from '../shared/api/bridge.ts';

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** The store revision as React state: bumps after our writes and on storeChanged. */
export function useRevision(): number {
  return useSyncExternalStore(subscribeRevision, getRevision, getRevision);
}

/**
 * Read one contract method and keep it fresh: refetches when the input changes, when the store
 * changes, and on reload(). The previous value stays on screen while a refetch runs.
 */
export function useQuery<M extends Method>(method: M, input: Input<M>, opts: { enabled?: boolean } = {}): QueryState<Result<M>> {
  const enabled = opts.enabled ?? true;
  const key = JSON.stringify(input);
  const revision = useRevision();
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<{ data: Result<M> | undefined; error: ApiError | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: enabled,
  });
  const seq = useRef(0);

  useEffect(() => {
    if (!enabled) {
      setState((s) => ({ ...s, loading: false }));
      return;
    }
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    call(method, JSON.parse(key) as Input<M>).then(
      (data) => {
        if (mine === seq.current) setState({ data, error: null, loading: false });
      },
      (e: unknown) => {
        if (mine === seq.current) setState((s) => ({ data: s.data, error: asApiError(e, method), loading: false }));
      },
    );
  }, [method, key, revision, tick, enabled]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
