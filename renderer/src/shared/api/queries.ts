import { keepPreviousData, MutationCache, QueryClient, useMutation, useQuery, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query';
import { isReadMethod, type Input, type Method, type Result } from '../../../../electron/core/api/contract.ts';
import { call, type ApiError } from './bridge.ts';

/** Methods that only read (each declares it in the contract): every other one changes the store, so the lists on screen refetch after it. */
export function isReadOnly(method: Method): boolean {
  return isReadMethod(method);
}

/**
 * The page's cache of server state. Nothing goes stale on a timer: a write of ours (a mutation
 * that succeeded) and the main process's storeChanged event invalidate it. Errors are shown where
 * they happened at once, so nothing is retried behind the user's back.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      onSuccess: (_data, _input, _context, mutation) => {
        const method = mutation.options.mutationKey?.[0] as Method | undefined;
        if (method && !isReadOnly(method)) void client.invalidateQueries();
      },
    }),
  });
  return client;
}

/** The key one method's answer is cached under. */
export function apiQueryKey<M extends Method>(method: M, input: Input<M>): readonly [M, Input<M>] {
  return [method, input];
}

/**
 * Read one contract method and keep it fresh. The previous answer stays on screen while a
 * refetch runs, also when the input changes (a filter), so lists do not blink empty.
 */
export function useApiQuery<M extends Method>(method: M, input: Input<M>, options: { enabled?: boolean } = {}): UseQueryResult<Result<M>, ApiError> {
  return useQuery<Result<M>, ApiError>({
    queryKey: apiQueryKey(method, input),
    queryFn: () => call(method, input),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

export type ApiMutation<M extends Method> = UseMutationResult<Result<M>, ApiError, Input<M>>;

/** Call a method from a button or a form: its state (pending, error, answer) is kept for display, and lists refetch after a write. */
export function useApiMutation<M extends Method>(method: M): ApiMutation<M> {
  return useMutation<Result<M>, ApiError, Input<M>>({ mutationKey: [method], mutationFn: (input) => call(method, input) });
}
