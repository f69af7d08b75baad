import { useTranslation } from 'react-i18next';
import { useElderMode } from './elder-mode.tsx';

/** The home screen's big switch into (and out of) 长辈模式. */
export function ElderToggle() {
  const { t } = useTranslation();
  const { on, toggle } = useElderMode();
  return (
    <button type="button" className="button button-elder" data-testid="elder-toggle" aria-pressed={on} onClick={toggle}>
      {on ? t('elder.turnOff') : t('elder.turnOn')}
    </button>
  );
}
