import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_PREFIX, METHODS, PUSH_EVENT_NAMES, type KeyfleetBridge, type PushEventName } from './core/api/contract.ts';

/**
 * window.keyfleet: exactly the contract's methods, each one invoke on its own channel, plus a
 * typed event subscription. No ipcRenderer, no generic send, reaches the page.
 */
const bridge: Record<string, unknown> = {};
for (const method of METHODS) {
  bridge[method] = (input: unknown) => ipcRenderer.invoke(`${IPC_PREFIX}${method}`, input);
}
bridge.on = (event: PushEventName, listener: (payload: unknown) => void) => {
  if (!PUSH_EVENT_NAMES.includes(event)) throw new Error(`unknown event ${String(event)}`);
  const wrapped = (_e: IpcRendererEvent, msg: { name: string; payload: unknown }) => {
    if (msg?.name === event) listener(msg.payload);
  };
  ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
  return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
};

contextBridge.exposeInMainWorld('keyfleet', bridge as KeyfleetBridge);
