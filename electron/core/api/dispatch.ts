import { contract, type Envelope, type Method, type ParsedInput, type PushEventName, type PushEvents, type Result } from './contract.ts';
import { toErrorInfo } from '../errors.ts';
import { validateInput } from './validate.ts';

export interface CallContext {
  /** Push an event to the caller's window (progress, completion). */
  emit<E extends PushEventName>(event: E, payload: PushEvents[E]): void;
}

export type Handlers = { [M in Method]: (input: ParsedInput<M>, call: CallContext) => Promise<Result<M>> | Result<M> };

/**
 * The single entry point for every call from the renderer (over IPC in the app, over a local
 * connection in end-to-end tests). Unknown methods and malformed input are refused here,
 * before any handler runs; every outcome is an envelope, never a thrown error.
 */
export async function dispatch(handlers: Handlers, method: string, rawInput: unknown, call: CallContext): Promise<Envelope<unknown>> {
  if (!Object.hasOwn(contract, method)) {
    return { ok: false, error: { code: 'BAD_INPUT', message: `unknown method ${JSON.stringify(method).slice(0, 80)}` } };
  }
  const m = method as Method;
  let input: unknown;
  try {
    input = validateInput(contract[m].input, rawInput ?? {});
  } catch (e) {
    return { ok: false, error: { code: 'BAD_INPUT', message: `${m}: ${(e as Error).message}` } };
  }
  try {
    const handler = handlers[m] as (input: unknown, call: CallContext) => unknown;
    const value = await handler(input, call);
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}
