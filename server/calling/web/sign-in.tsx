import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { hallApi } from '../../../core/http/contract.ts';
import type { LocalizedText } from '../../../core/text/localized.ts';
import { localizedTextSchema } from '../../../core/text/localized.ts';
import { HallClient } from '../../web/hall-client.ts';
import { useWebText } from '../../web/i18n.ts';
import type { StoredCounterSession } from './counter-session.ts';
import { browserStorage } from './counter-session.ts';
import type { CounterText } from './counter-text.ts';
import { LanguageToggle } from './language-toggle.tsx';

type Problem = { key: 'invalid' | 'unreachable' | 'missing' } | { key: 'locked'; until: number } | { key: 'refused'; reason: LocalizedText | null; message: string };

const lastWindowKey = 'counter.window';

/** 窗口签到: staff number, PIN and window number; the window number is remembered by this PC. */
export function SignIn({ notice, onSignedIn }: { notice: 'signedOut' | null; onSignedIn: (session: StoredCounterSession) => void }) {
  const { t, language } = useWebText<CounterText>();
  const client = useMemo(() => new HallClient(), []);
  const [staffId, setStaffId] = useState('');
  const [pin, setPin] = useState('');
  const [windowText, setWindowText] = useState(() => browserStorage('local')?.getItem(lastWindowKey) ?? '');
  const [working, setWorking] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const window = Number(windowText);
    if (!staffId.trim() || !pin || !Number.isInteger(window) || window < 1) return setProblem({ key: 'missing' });
    setWorking(true);
    const answer = await client.call(hallApi.counterSignIn, { body: { staffId: staffId.trim(), pin, window } });
    setWorking(false);
    setPin('');
    if (answer.ok) {
      browserStorage('local')?.setItem(lastWindowKey, String(window));
      return onSignedIn({ token: answer.value.token, expiresAt: answer.value.expiresAt, window, staffId: staffId.trim() });
    }
    if (answer.unreachable) return setProblem({ key: 'unreachable' });
    const { refusal } = answer;
    if (refusal.code === 'counter-credentials-invalid') return setProblem({ key: 'invalid' });
    if (refusal.code === 'counter-locked' && typeof refusal.details.lockedUntil === 'number') return setProblem({ key: 'locked', until: refusal.details.lockedUntil });
    const localized = localizedTextSchema.safeParse(refusal.details.localized);
    setProblem({ key: 'refused', reason: localized.success ? localized.data : null, message: refusal.message });
  };

  const problemText = (p: Problem): string => {
    switch (p.key) {
      case 'locked':
        return t('signIn.locked', { until: new Date(p.until).toLocaleTimeString(language === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit' }) });
      case 'refused':
        return p.reason ? p.reason[language] : t('error.failed', { message: p.message });
      case 'invalid':
      case 'missing':
      case 'unreachable':
        return t(`signIn.${p.key}`);
    }
  };

  return (
    <main className="sign-in" data-testid="sign-in">
      <div className="sign-in-top">
        <h1>{t('title')}</h1>
        <LanguageToggle />
      </div>
      <form className="sign-in-form" onSubmit={(e) => void submit(e)} noValidate>
        <h2>{t('signIn.heading')}</h2>
        {notice && <p className="hall-message" role="status" data-testid="sign-in-notice">{t(`error.${notice}`)}</p>}
        <label>
          {t('signIn.staffId')}
          <input data-testid="sign-in-staff" autoComplete="username" value={staffId} onChange={(e) => setStaffId(e.target.value)} autoFocus />
        </label>
        <label>
          {t('signIn.pin')}
          <input data-testid="sign-in-pin" type="password" autoComplete="current-password" value={pin} onChange={(e) => setPin(e.target.value)} />
        </label>
        <label>
          {t('signIn.window')}
          <input data-testid="sign-in-window" inputMode="numeric" value={windowText} onChange={(e) => setWindowText(e.target.value.replace(/\D/g, ''))} />
        </label>
        {problem && <p className="hall-message" role="alert" data-testid="sign-in-problem" data-problem={problem.key}>{problemText(problem)}</p>}
        <button type="submit" className="primary" data-testid="sign-in-submit" disabled={working}>
          {working ? t('signIn.working') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
