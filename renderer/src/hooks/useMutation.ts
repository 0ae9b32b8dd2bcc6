import { useCallback, useRef, useState } from 'react';
import type { Input, Method, Result } from '../../../electron/core/api/contract.ts';
import { asApiError, call, type ApiError } from '../shared/api/bridge.ts';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface MutationState<M extends Method> {
  run: (input: Input<M>) => Promise<Outcome<Result<M>>>;
  running: boolean;
  error: ApiError | null;
  result: Result<M> | undefined;
  reset: () => void;
}

/** Call a method from a button: tracks running/error/result; errors are kept for display, not thrown. */
export function useMutation<M extends Method>(method: M): MutationState<M> {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<Result<M> | undefined>(undefined);
  const seq = useRef(0);
  const run = useCallback(
    async (input: Input<M>): Promise<Outcome<Result<M>>> => {
      const mine = ++seq.current;
      setRunning(true);
      setError(null);
      try {
        const value = await call(method, input);
        if (mine === seq.current) setResult(value);
        return { ok: true, value };
      } catch (e) {
        const error = asApiError(e, method);
        if (mine === seq.current) setError(error);
        return { ok: false, error };
      } finally {
        if (mine === seq.current) setRunning(false);
      }
    },
    [method],
  );
  const reset = useCallback(() => {
    seq.current++;
    setRunning(false);
    setError(null);
    setResult(undefined);
  }, []);
  return { run, running, error, result, reset };
}
