import { useTranslation } from 'react-i18next';
import type { IdleWarning } from '../hooks/use-idle-timeout.ts';

/** 您还在吗？: the idle timeout's last seconds, over whatever screen is open, with 继续 within reach. */
export function IdleWarningDialog({ warning }: { warning: IdleWarning }) {
  const { t } = useTranslation();
  if (warning.secondsLeft === null) return null;
  return (
    <div className="idle-warning" role="alertdialog" aria-labelledby="idle-warning-title" data-testid="idle-warning">
      <div className="idle-warning-box">
        <p className="idle-warning-title" id="idle-warning-title">
          {t('idle.title')}
        </p>
        <p className="idle-warning-countdown" data-testid="idle-countdown" data-countdown data-seconds={warning.secondsLeft}>
          {t('idle.returning', { seconds: warning.secondsLeft })}
        </p>
        <button type="button" className="button button-primary button-confirm" data-testid="idle-stay" onClick={warning.stay}>
          {t('idle.stay')}
        </button>
      </div>
    </div>
  );
}
