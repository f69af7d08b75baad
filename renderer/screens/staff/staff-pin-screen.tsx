import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { pinSchema } from '../../../core/kiosk/kiosk-api.ts';
import { AdminFingerWatch } from './admin-finger-watch.tsx';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { useNow } from '../../hooks/use-now.ts';

type PinMessage = { key: 'wrongPin' | 'badFormat' | 'checkFailed' } | { key: 'wrongPinLeft'; count: number };

const keypad = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;
const maxPinLength = 12;

/** The touch screen has no keyboard, so the PIN has its own keypad; an admin's finger also opens it. */
export function StaffPinScreen({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation();
  const { kiosk, clock } = useKioskServices();
  const [pin, setPin] = useState('');
  const [checking, setChecking] = useState(false);
  const [message, setMessage] = useState<PinMessage | null>(null);
  // The privileged side keeps the lockout (across restarts too); the screen only counts down.
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const now = useNow(clock, 1000);
  const lockSeconds = lockedUntil === null ? 0 : Math.ceil((lockedUntil - now) / 1000);
  const locked = lockSeconds > 0;

  useEffect(() => {
    let live = true;
    kiosk.staff.pinStatus().then(
      (status) => {
        if (live && status.retryAfterSeconds) setLockedUntil(clock.now() + status.retryAfterSeconds * 1000);
      },
      (error: unknown) => console.error('PIN status failed', error),
    );
    return () => {
      live = false;
    };
  }, [kiosk, clock]);

  const submit = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    if (checking || locked) return;
    if (!pinSchema.safeParse(pin).success) {
      setMessage({ key: 'badFormat' });
      return;
    }
    setChecking(true);
    try {
      const check = await kiosk.staff.verifyPin(pin);
      setPin('');
      if (check.ok) {
        onSignedIn();
        return;
      }
      if (check.retryAfterSeconds) {
        setLockedUntil(clock.now() + check.retryAfterSeconds * 1000);
        setMessage(null);
      } else {
        setMessage(check.attemptsLeft !== undefined ? { key: 'wrongPinLeft', count: check.attemptsLeft } : { key: 'wrongPin' });
      }
    } catch (error) {
      console.error('PIN check failed', error);
      setMessage({ key: 'checkFailed' });
    } finally {
      setChecking(false);
    }
  };

  const press = (digit: string): void => {
    setPin((p) => (p.length < maxPinLength ? p + digit : p));
    setMessage(null);
  };

  return (
    <section className="screen screen-pin" data-testid="staff-pin">
      <h1 className="screen-title">{t('staff.pinTitle')}</h1>
      <form className="pin-form" onSubmit={(e) => void submit(e)}>
        <label className="pin-label" htmlFor="staff-pin-input">
          {t('staff.pinPrompt')}
        </label>
        <input
          id="staff-pin-input"
          className="pin-input"
          data-testid="pin-input"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={maxPinLength}
          aria-label={t('staff.pinLabel')}
          value={pin}
          onChange={(e) => {
            setPin(e.target.value.replace(/\D/g, '').slice(0, maxPinLength));
            setMessage(null);
          }}
        />
        <div className="keypad">
          {keypad.map((d) => (
            <button key={d} type="button" className={`button button-secondary key ${d === '0' ? 'key-zero' : ''}`} data-testid={`pin-key-${d}`} onClick={() => press(d)}>
              {d}
            </button>
          ))}
          <button type="button" className="button button-secondary key" data-testid="pin-delete" onClick={() => setPin((p) => p.slice(0, -1))}>
            {t('staff.deleteDigit')}
          </button>
          <button type="button" className="button button-secondary key" data-testid="pin-clear" onClick={() => setPin('')}>
            {t('staff.clear')}
          </button>
        </div>
        {locked ? (
          <p className="message message-bad" data-testid="pin-message" data-reason="locked" data-seconds={lockSeconds} role="alert">
            {t('staff.lockedCountdown', { minutes: Math.floor(lockSeconds / 60), seconds: String(lockSeconds % 60).padStart(2, '0') })}
          </p>
        ) : (
          message && (
            <p className="message message-bad" data-testid="pin-message" data-reason={message.key === 'wrongPinLeft' ? 'wrongPin' : message.key} role="alert">
              {message.key === 'wrongPinLeft' ? t('staff.wrongPinLeft', { count: message.count }) : t(`staff.${message.key}`)}
            </p>
          )
        )}
        <button type="submit" className="button button-primary button-confirm" data-testid="pin-submit" disabled={checking || locked}>
          {checking ? t('staff.checking') : t('staff.submit')}
        </button>
      </form>
      <AdminFingerWatch locked={locked} onSignedIn={onSignedIn} onLocked={(seconds) => setLockedUntil(clock.now() + seconds * 1000)} />
    </section>
  );
}
