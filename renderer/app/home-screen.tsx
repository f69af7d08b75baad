import { useTranslation } from 'react-i18next';
import { useKioskServices } from './kiosk-services.ts';

export function HomeScreen({ onTake }: { onTake: () => void }) {
  const { t } = useTranslation();
  const { config } = useKioskServices();
  return (
    <section className="screen screen-home" data-testid="home">
      <h1 className="hall-name" data-testid="hall-name">{config.hall.name}</h1>
      <p className="welcome">{t('home.welcome')}</p>
      <button type="button" className="button button-primary button-take" data-testid="take-ticket" onClick={onTake}>
        <span className="take-main">{t('home.take')}</span>
        <span className="take-hint">{t('home.takeHint')}</span>
      </button>
      <p className="hint">{t('home.priorityHint')}</p>
    </section>
  );
}
