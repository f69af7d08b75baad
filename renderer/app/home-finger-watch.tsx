import { useEffect } from 'react';
import type { IdentifyResult } from '../../core/fingerprint-reader-api.ts';
import { useLocalized } from '../i18n/use-localized.ts';
import { useKioskServices } from './kiosk-services.ts';
import { useOpenSpotCheck } from './use-open-spot-check.ts';

/** One identify's wait; short enough that the reader's health probes keep flowing between them. */
const identifyTimeoutMs = 15_000;
/** How long to leave an absent or broken reader alone before asking again. */
const restMs = 5_000;
/**
 * Home must be up this long before a finger counts: a finger still resting from the staff
 * screen (an admin who just enrolled someone) or from a sign-in that just returned home is not a
 * new touch. A real press is a tap, far shorter.
 */
const armAfterMs = 3_000;

/**
 * Staff need not tap 工作人员签到: a finger on the reader while the home screen is up is a
 * sign-in. Mounted only with the home screen, so it never takes the screen from a citizen in the
 * middle of another flow (leaving home unmounts it, which cancels the waiting identify), and only
 * listens while a reader is connected, a few seconds after home appeared. Only a finger the reader matched, or one it plainly did
 * not know, opens the sign-in screen; timeouts and a citizen brushing the glass (poor image) leave
 * home as it is. While a spot check (抽查) is open it also tells staff so on the home screen.
 */
export function HomeFingerWatch({ onFinger }: { onFinger: (found: IdentifyResult) => void }) {
  const local = useLocalized();
  const { kiosk, checkins } = useKioskServices();
  const spotCheck = useOpenSpotCheck(checkins);

  useEffect(() => {
    if (!checkins) return;
    let live = true;
    const rest = () => new Promise((resolve) => setTimeout(resolve, restMs));
    void (async () => {
      await new Promise((resolve) => setTimeout(resolve, armAfterMs));
      while (live) {
        const status = await kiosk.reader.status().catch(() => null);
        if (!live) return;
        if (status?.state !== 'connected') {
          await rest();
          continue;
        }
        const found = await kiosk.reader.identify({ timeoutMs: identifyTimeoutMs }).catch(() => null);
        if (!live) return;
        if (found && (found.ok || found.kind === 'not-recognised')) {
          live = false;
          onFinger(found);
          return;
        }
        if (!found || found.kind === 'reader-unavailable' || found.kind === 'reader-error') await rest();
      }
    })();
    return () => {
      if (!live) return;
      live = false;
      void kiosk.reader.cancel().catch(() => undefined);
    };
  }, [kiosk, checkins, onFinger]);

  if (!spotCheck) return null;
  return (
    <p className="message spot-check-banner" role="status" data-testid="spot-check-banner">
      {local({ zh: '正在进行工作人员抽查：工作人员请直接按指纹应答', en: 'Staff spot check under way: staff, press your finger on the reader to answer' })}
    </p>
  );
}
