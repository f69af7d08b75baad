import type { ReaderStatusReport } from '../../core/attendance/fingerprint-reader-api.ts';
import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';
import type { LocalizedText } from '../../core/text/localized.ts';

/** What the sign-in screen can tell a person about the reader before any finger is pressed. */
export type ReaderReadiness = 'ready' | 'disconnected' | 'unknown';

export const readinessTexts = {
  disconnected: { zh: '指纹仪未连接', en: 'The fingerprint reader is not connected' },
  // Staff at the kiosk can do the first check themselves; the rest is the hall's administrator.
  whatToDo: {
    zh: '请检查指纹仪的数据线是否插好，插好后稍等几秒；仍无法签到请联系管理员',
    en: "Check that the reader's cable is plugged in and wait a few seconds; if you still cannot sign in, ask an administrator",
  },
} satisfies Record<string, LocalizedText>;

export function readinessOf(status: ReaderStatusReport | null): ReaderReadiness {
  if (!status) return 'unknown';
  return status.state === 'connected' ? 'ready' : 'disconnected';
}

/**
 * The reader's state now and at every change (unplugged, plugged back in), so a screen never asks
 * for a finger the reader cannot read. Returns the function that stops listening.
 */
export function watchReaderReadiness(kiosk: Pick<KioskApi, 'reader' | 'events'>, onChange: (readiness: ReaderReadiness) => void): () => void {
  let heard = false;
  const unsubscribe = kiosk.events.subscribe((event) => {
    if (event.type !== 'reader-status') return;
    heard = true;
    onChange(readinessOf(event.status));
  });
  void kiosk.reader
    .status()
    .then((status) => {
      // A change that arrived while the first answer was on its way is newer than it.
      if (!heard) onChange(readinessOf(status));
    })
    .catch(() => {
      if (!heard) onChange('disconnected');
    });
  return unsubscribe;
}
