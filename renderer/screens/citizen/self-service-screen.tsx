import { useTranslation } from 'react-i18next';
import { isAroundTheClock, openingMoment } from '../../../core/calendar/hall-calendar.ts';
import type { HallRules } from '../../../core/calendar/calendar-rules.ts';
import { ElderToggle } from '../../elder/elder-toggle.tsx';
import { useLocalized } from '../../i18n/use-localized.ts';
import { useOpeningText } from './availability-text.ts';
import type { ServiceActions } from './browse-intent.ts';
import type { HallNow } from '../../app/hall-now.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { Pager } from '../../ui/pager.tsx';
import { ServiceRow } from './service-row.tsx';

interface SelfServiceScreenProps {
  hall: HallNow;
  rules: HallRules;
  actions: ServiceActions;
  onGuide: () => void;
  onCheckin?: () => void;
}

/**
 * The kiosk outside business hours (24小时自助服务区): a calm screen with only what is open
 * around the clock, the guides (always), and when the staffed counters open again.
 */
export function SelfServiceScreen({ hall, rules, actions, onGuide, onCheckin }: SelfServiceScreenProps) {
  const { t } = useTranslation();
  const local = useLocalized();
  const opening = useOpeningText();
  const { catalog, config } = useKioskServices();
  const services = catalog.services.filter((s) => isAroundTheClock(rules, s.id));
  const { closedDay, mode } = hall;
  const hallState = closedDay
    ? closedDay.holiday
      ? t('selfService.holiday', { holiday: local(closedDay.holiday) })
      : closedDay.reason === 'weekend' ? t('selfService.weekend') : t('selfService.closedDay')
    : mode.nextSwitch !== null && openingMoment(hall.now, mode.nextSwitch, hall.timeZone).daysAhead === 0
      ? t('selfService.beforeOpening')
      : t('selfService.afterHours');
  return (
    // The kiosk's home outside hours: the same test id as the staffed home, told apart by data-mode.
    <section className="screen screen-fill screen-self-service" data-testid="home" data-mode="self-service">
      <p className="hall-name" data-testid="hall-name">{config.hall.name}</p>
      <h1 className="self-service-title" data-testid="self-service">{t('selfService.title')}</h1>
      <div className="self-service-hall" data-testid="hall-closed">
        <p className="self-service-state">{hallState}</p>
        {mode.nextSwitch !== null && (
          <p className="self-service-opens" data-testid="hall-opens">
            {t('selfService.opens', { when: opening(hall.now, mode.nextSwitch, hall.timeZone) })}
          </p>
        )}
      </div>
      <p className="hint">{t('selfService.subtitle')}</p>
      <h2 className="self-service-list-title">{t('selfService.listTitle')}</h2>
      {services.length === 0 && <p className="message">{t('selfService.none')}</p>}
      <Pager testId="self-service-pager">
        <div className="choice-list" data-testid="self-service-list">
          {services.map((s) => (
            <ServiceRow key={s.id} service={s} intent="ticket" actions={actions} testId={`service-${s.id}`} showDepartment />
          ))}
        </div>
      </Pager>
      <button type="button" className="button button-secondary button-guide" data-testid="find-guide" onClick={onGuide}>
        <span className="guide-main">{t('selfService.guides')}</span>
        <span className="take-hint">{t('selfService.guidesHint')}</span>
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
