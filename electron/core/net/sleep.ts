import { KeyfleetError } from '../errors.ts';

/** Wait `ms`, or reject with CANCELLED as soon as the signal aborts (back-off between retries). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new KeyfleetError('CANCELLED', 'cancelled'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new KeyfleetError('CANCELLED', 'cancelled'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
