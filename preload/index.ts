import { contextBridge, ipcRenderer } from 'electron';
import { buildKioskApi, KioskCallError, kioskEventSchema, type KioskEvent } from '../core/kiosk/kiosk-api.ts';

type Outcome = { ok: true; result: unknown } | { ok: false; error: string };

const listeners = new Set<(event: KioskEvent) => void>();

// One IPC listener fans out to the page's subscribers; the page never sees ipcRenderer or the
// raw IPC event (which would expose `sender`).
ipcRenderer.on('kiosk:event', (_ipcEvent, payload: unknown) => {
  const parsed = kioskEventSchema.safeParse(payload);
  if (!parsed.success) return;
  for (const listener of listeners) {
    try {
      listener(parsed.data);
    } catch (error) {
      console.error('kiosk event listener failed', error);
    }
  }
});

const api = buildKioskApi(
  async (method, args) => {
    const outcome = (await ipcRenderer.invoke('kiosk:call', method, args)) as Outcome;
    if (!outcome.ok) {
      // The privileged side already prefixes most messages with the method; KioskCallError adds it again.
      const prefix = `${method}: `;
      throw new KioskCallError(method, outcome.error.startsWith(prefix) ? outcome.error.slice(prefix.length) : outcome.error);
    }
    return outcome.result;
  },
  (listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
);

contextBridge.exposeInMainWorld('kiosk', api);
