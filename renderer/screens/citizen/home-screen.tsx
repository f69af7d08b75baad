import { useTranslation } from 'react-i18next';
import { useLocalized } from '../../i18n/use-localized.ts';
import { ElderToggle } from '../../elder/elder-toggle.tsx';
import { useKioskServices } from '../../app/kiosk-services.ts';

export function HomeScreen({ onTake, onGuide, onCheckin }: { onTake: () => void; onGuide: () => void; onCheckin?: () => void }) {
  const { t } = useTranslation();
  const local = useLocalized();
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
      <button type="button" className="button button-secondary button-guide" data-testid="find-guide" onClick={onGuide}>
        <span className="guide-main">{t('home.guide')}</span>
        <span className="take-hint">{t('home.guideHint')}</span>
      </button>
      <div className="home-extras">
        <ElderToggle />
        {onCheckin && (
          <button type="button" className="button button-secondary button-checkin" data-testid="staff-checkin" onClick={onCheckin}>
            {local({ zh: '工作人员签到', en: 'Staff sign-in' })}
          </button>
        )}
      </div>
    </section>
  );
}
