import { useTranslation } from 'react-i18next';
import { useLocalized } from '../../i18n/use-localized.ts';
import { ElderToggle } from '../../elder/elder-toggle.tsx';
import { useKioskServices } from '../../app/kiosk-services.ts';

export type MissingContent = 'catalog' | 'hallRules';

/**
 * The home screen of a kiosk that has no catalog or no hall calendar (no hall server reached yet,
 * or a standalone kiosk given no files): it says so and sends the citizen to staff, and never
 * shows services it would have to invent. Staff sign-in still works.
 */
export function NoContentScreen({ missing, onCheckin }: { missing: readonly MissingContent[]; onCheckin: () => void }) {
  const { t } = useTranslation();
  const local = useLocalized();
  const { config } = useKioskServices();
  return (
    <section className="screen screen-home screen-no-content" data-testid="no-content" data-missing={missing.join(' ')}>
      <h1 className="hall-name" data-testid="hall-name">{config.hall.name}</h1>
      <div className="no-content-notice" role="alert">
        <h2 className="no-content-title">{t('noContent.title')}</h2>
        <p className="no-content-message">{t('noContent.message')}</p>
        <p className="no-content-ask" data-testid="no-content-ask">{t('noContent.askStaff')}</p>
      </div>
      <ul className="no-content-missing">
        {missing.map((what) => (
          <li key={what} data-testid={`missing-${what}`}>
            {t(`noContent.missing.${what}`)}
          </li>
        ))}
      </ul>
      <p className="hint no-content-staff">{t('noContent.staffHint')}</p>
      <div className="home-extras">
        <ElderToggle />
        <button type="button" className="button button-secondary button-checkin" data-testid="staff-checkin" onClick={onCheckin}>
          {local({ zh: '工作人员签到', en: 'Staff sign-in' })}
        </button>
      </div>
    </section>
  );
}
