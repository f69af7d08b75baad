import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FingerEntry } from '../../../core/kiosk/kiosk-api.ts';
import type { LocalizedText } from '../../../core/text/localized.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';

/** One wait for a finger; short enough that the reader's health probes keep flowing between them. */
const waitMs = 15_000;
/** How long to leave an absent or broken reader alone before asking again. */
const restMs = 5_000;
/**
 * After a refused finger: long enough for the hand to leave the glass, so one resting finger is
 * not counted twice toward the lockout.
 */
const afterRefusalMs = 2_500;
/**
 * The PIN screen must be up this long before a finger counts: a clerk's finger still resting from
 * a sign-in a moment ago is not an attempt to open the staff screen, and must not count toward the
 * lockout. A real press is a tap, far shorter.
 */
const armAfterMs = 3_000;

interface AdminFingerWatchProps {
  /** the PIN is locked: no finger is asked for until it is not */
  locked: boolean;
  onSignedIn: () => void;
  onLocked: (retryAfterSeconds: number) => void;
}

/**
 * 按指纹进入: while the PIN screen is up and the kiosk has a connected reader, an admin's finger
 * on it opens the staff screen. Shown below the keypad, so its messages never move a key under a
 * finger about to press it. The privileged side identifies the finger and checks the role
 * (staff.verifyFinger); this screen only waits, shows the refusal, and hands on a lockout.
 */
export function AdminFingerWatch({ locked, onSignedIn, onLocked }: AdminFingerWatchProps) {
  const { t } = useTranslation();
  const local = useLocalized();
  const { kiosk } = useKioskServices();
  const [ready, setReady] = useState(false);
  const [refusal, setRefusal] = useState<{ text: LocalizedText; attemptsLeft?: number; reason: string } | null>(null);
  const lockedRef = useRef(locked);
  lockedRef.current = locked;
  const callbacks = useRef({ onSignedIn, onLocked });
  callbacks.current = { onSignedIn, onLocked };

  useEffect(() => {
    let live = true;
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    void (async () => {
      await pause(armAfterMs);
      while (live) {
        if (lockedRef.current) {
          await pause(1000);
          continue;
        }
        const status = await kiosk.reader.status().catch(() => null);
        if (!live) return;
        setReady(status?.state === 'connected');
        if (status?.state !== 'connected') {
          await pause(restMs);
          continue;
        }
        const entry: FingerEntry | null = await kiosk.staff.verifyFinger({ timeoutMs: waitMs }).catch((error: unknown) => {
          console.error('finger entry failed', error);
          return null;
        });
        if (!live) return;
        if (entry === null) {
          await pause(restMs);
          continue;
        }
        if (entry.ok) {
          live = false;
          callbacks.current.onSignedIn();
          return;
        }
        if (entry.text) setRefusal({ text: entry.text, reason: entry.refused ?? 'locked', ...(entry.attemptsLeft !== undefined ? { attemptsLeft: entry.attemptsLeft } : {}) });
        if (entry.retryAfterSeconds) callbacks.current.onLocked(entry.retryAfterSeconds);
        if (entry.refused !== 'no-finger') await pause(afterRefusalMs);
      }
    })();
    return () => {
      if (!live) return;
      live = false;
      // Ends the waiting identify: the screen that asked is gone.
      void kiosk.reader.cancel().catch(() => undefined);
    };
  }, [kiosk]);

  if (!ready) return null;
  return (
    <div className="admin-finger" data-testid="admin-finger">
      <p className="admin-finger-hint">{t('staff.fingerHint')}</p>
      {refusal && !locked && (
        <p className="message message-bad" data-testid="finger-message" data-reason={refusal.reason} role="alert">
          {local(refusal.text)}
          {refusal.attemptsLeft !== undefined && ` ${t('staff.attemptsLeft', { count: refusal.attemptsLeft })}`}
        </p>
      )}
    </div>
  );
}
