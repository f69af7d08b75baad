import { useEffect } from 'react';
import type { StaffTouch } from '../../../core/attendance/staff-api.ts';
import { watchFingers } from '../../attendance/finger-watch.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { useOpenSpotCheck } from '../../hooks/use-open-spot-check.ts';

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
 * listens (through a finger watch, which rests while the reader is absent) a few seconds after home appeared. Only a finger the reader matched, or one it plainly did
 * not know, opens the sign-in screen; timeouts and a citizen brushing the glass (poor image) leave
 * home as it is. While a spot check (抽查) is open it also tells staff so on the home screen.
 */
export function HomeFingerWatch({ onFinger }: { onFinger: (found: StaffTouch) => void }) {
  const local = useLocalized();
  const { kiosk, checkins } = useKioskServices();
  const spotCheck = useOpenSpotCheck(checkins);

  useEffect(() => {
    if (!checkins) return;
    let stopWatching: (() => void) | undefined;
    let taken = false;
    const arm = setTimeout(() => {
      stopWatching = watchFingers(kiosk, (found) => {
        if (taken || !(found.ok || found.kind === 'not-recognised')) return;
        taken = true;
        onFinger(found);
      });
    }, armAfterMs);
    return () => {
      clearTimeout(arm);
      stopWatching?.();
    };
  }, [kiosk, checkins, onFinger]);

  if (!spotCheck) return null;
  return (
    <p className="message spot-check-banner" role="status" data-testid="spot-check-banner">
      {local({ zh: '正在进行工作人员抽查：工作人员请直接按指纹应答', en: 'Staff spot check under way: staff, press your finger on the reader to answer' })}
    </p>
  );
}
