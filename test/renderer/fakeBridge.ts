import type { Envelope, Input, KeyfleetBridge, Method, PushEventName, PushEvents, Result } from '../../electron/core/api/contract.ts';

/** Thrown by a fake method to answer with an error envelope, as the main process would. */
export class BridgeError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export type FakeImpl = { [M in Method]?: (input: Input<M>) => Result<M> | Promise<Result<M>> };

export interface FakeBridge {
  bridge: KeyfleetBridge;
  calls: Array<{ method: string; input: unknown }>;
  callsOf: (method: Method) => unknown[];
  emit: <E extends PushEventName>(event: E, payload: PushEvents[E]) => void;
}

/**
 * An in-memory window.keyfleet: the boundary the UI talks to. Methods a test does not provide
 * answer like a build where they are not available yet.
 */
export function fakeBridge(impl: FakeImpl): FakeBridge {
  const calls: Array<{ method: string; input: unknown }> = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const on = (event: string, listener: (p: unknown) => void) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  const bridge = new Proxy({ on } as Record<string, unknown>, {
    get(target, prop) {
      if (prop === 'on') return target.on;
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return async (input: unknown): Promise<Envelope<unknown>> => {
        calls.push({ method: prop, input });
        const fn = (impl as Record<string, ((i: unknown) => unknown) | undefined>)[prop];
        if (!fn) return { ok: false, error: { code: 'INTERNAL', message: `${prop} is not available in this build yet` } };
        try {
          // IPC hands the page a copy (structured clone), never the object main holds.
          return { ok: true, value: structuredClone(await fn(input)) };
        } catch (e) {
          if (e instanceof BridgeError) return { ok: false, error: { code: e.code as never, message: e.message, ...(e.details ? { details: e.details } : {}) } };
          throw e;
        }
      };
    },
  }) as unknown as KeyfleetBridge;
  return {
    bridge,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.input),
    emit: (event, payload) => {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
  };
}
