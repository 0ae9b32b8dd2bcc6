import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_PREFIX, METHODS, type Envelope } from '../core/api/contract.ts';
import { dispatch, type CallContext, type Handlers } from '../core/api/dispatch.ts';
import { originOf } from './app-protocol.ts';

/**
 * One ipcMain.handle per contract method; nothing else listens. Each call is refused unless it
 * comes from the top frame of a page at the app's own origin, then validated and dispatched.
 */
export interface SenderPolicy {
  isTrusted(frame: WebFrameMain | null, event: IpcMainInvokeEvent): boolean;
}

/** Trusts the top frame of pages whose parsed origin is `appOrigin` (never a string prefix). */
export function originPolicy(appOrigin: string): SenderPolicy {
  return {
    isTrusted(frame) {
      if (!frame || frame.parent !== null) return false;
      return originOf(frame.url) === appOrigin;
    },
  };
}

export function registerIpc(ipcMain: IpcMain, handlers: Handlers, policy: SenderPolicy): () => void {
  for (const method of METHODS) {
    ipcMain.handle(`${IPC_PREFIX}${method}`, async (event, input: unknown): Promise<Envelope<unknown>> => {
      if (!policy.isTrusted(event.senderFrame, event)) {
        return { ok: false, error: { code: 'DENIED', message: `call to ${method} refused: it did not come from the Keyfleet window` } };
      }
      const call: CallContext = {
        emit: (name, payload) => {
          if (!event.sender.isDestroyed()) event.sender.send(IPC_EVENT_CHANNEL, { name, payload });
        },
      };
      return dispatch(handlers, method, input, call);
    });
  }
  return () => {
    for (const method of METHODS) ipcMain.removeHandler(`${IPC_PREFIX}${method}`);
  };
}
