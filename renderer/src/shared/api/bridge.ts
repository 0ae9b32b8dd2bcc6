import type { Envelope, Input, KeyfleetBridge, Method, PushEventName, PushEvents, Result } from '../../../../electron/core/api/contract.ts';

declare global {
  interface Window {
    keyfleet?: KeyfleetBridge;
  }
}

/** An error envelope from the main process, thrown so components can catch it where it happened. */
export class ApiError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  readonly method: string;

  constructor(method: string, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.method = method;
    this.code = code;
    this.details = details;
  }
}

/** Turn anything caught into an ApiError, so UI code has one shape to show. */
export function asApiError(e: unknown, method = 'unknown'): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof Error) return new ApiError(method, 'INTERNAL', e.message || e.name);
  return new ApiError(method, 'INTERNAL', String(e));
}

function bridge(): KeyfleetBridge {
  const b = window.keyfleet;
  if (!b) throw new ApiError('bridge', 'INTERNAL', 'Keyfleet bridge is missing: the page was opened outside the Keyfleet app');
  return b;
}

/** Call one contract method; resolves with its value or throws an ApiError with the vendor's message. */
export async function call<M extends Method>(method: M, input: Input<M>): Promise<Result<M>> {
  const fn = bridge()[method] as (input: Input<M>) => Promise<Envelope<Result<M>>>;
  let envelope: Envelope<Result<M>>;
  try {
    envelope = await fn(input);
  } catch (e) {
    throw asApiError(e, method);
  }
  if (!envelope || typeof envelope !== 'object') throw new ApiError(method, 'INTERNAL', `${method}: no answer from the main process`);
  if (!envelope.ok) throw new ApiError(method, envelope.error.code, envelope.error.message, envelope.error.details);
  return envelope.value;
}

/** Subscribe to a push event; returns the unsubscribe function. Safe without a bridge (tests, previews). */
export function onEvent<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void {
  const b = window.keyfleet;
  if (!b || typeof b.on !== 'function') return () => {};
  return b.on(event, listener);
}

/** A job id the main process accepts (letters, digits, _ and -). */
export function newJobId(prefix = 'job'): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `${prefix}_${Date.now().toString(36)}_${random}`;
}
