import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceItem } from '../../../core/catalog/catalog.ts';
import { isAroundTheClock } from '../../../core/calendar/hall-calendar.ts';
import type { Span } from '../../../core/catalog/search.ts';
import { languageOf, useLocalized } from '../../i18n/use-localized.ts';
import { isFull, useClosedText } from './availability-text.ts';
import type { BrowseIntent, ServiceActions } from './browse-intent.ts';
import { useHallNow } from '../../app/hall-now.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';

interface ServiceRowProps {
  service: ServiceItem;
  intent: BrowseIntent;
  actions: ServiceActions;
  testId: string;
  /** search results name the department: they mix services of many */
  showDepartment?: boolean;
  /** code units of the Chinese name the search matched, in order */
  highlights?: readonly Span[] | undefined;
  /** the keyword or 俗称 the search matched, when it is not the name */
  matched?: string | undefined;
}

function Highlighted({ text, spans }: { text: string; spans: readonly Span[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const { start, end } of spans) {
    if (start < at || start >= end || end > text.length) continue;
    parts.push(text.slice(at, start), <mark className="match" key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

/**
 * One service: a wide button for what the citizen came for, and beside it the other action
 * (the guide while taking a number, a number while reading guides).
 */
export function ServiceRow({ service, intent, actions, testId, showDepartment = false, highlights = [], matched }: ServiceRowProps) {
  const { t, i18n } = useTranslation();
  const local = useLocalized();
  const { guides, catalog, hallRules } = useKioskServices();
  // The badge promises a number at any hour: only the hall calendar's 24-hour list keeps that
  // promise (a guide's 24小时可办 may mean a self-service terminal, not this queue).
  const aroundTheClock = isAroundTheClock(hallRules, service.id);
  const guide = Object.hasOwn(guides, service.id) ? guides[service.id] : undefined;
  const department = catalog.departments.find((d) => d.id === service.departmentId);
  const guideFirst = intent === 'guide' && guide !== undefined;
  const zh = languageOf(i18n.resolvedLanguage) === 'zh';
  const hall = useHallNow();
  const closedText = useClosedText();
  // Guides are always offered; a number only while the service issues them.
  const availability = hall?.availability(service);
  const closed = availability && !availability.open ? availability : null;
  const full = availability ? isFull(availability) : false;
  const state = !availability ? undefined : availability.open ? 'open' : full ? 'full' : 'closed';
  return (
    <div className="service-row" data-service-id={service.id} data-availability={state}>
      <button
        type="button"
        className="button button-choice service-main"
        data-testid={testId}
        disabled={!guideFirst && closed !== null}
        onClick={() => (guideFirst ? actions.onGuide(service) : actions.onTake(service))}
      >
        <span className="choice-name">{zh ? <Highlighted text={service.name.zh} spans={highlights} /> : service.name.en}</span>
        {matched && (
          <span className="choice-matched" data-testid={`${testId}-matched`}>
            {t('search.matched', { word: matched })}
          </span>
        )}
        <span className="choice-detail">
          {showDepartment && department ? `${local(department.name)} · ` : ''}
          {t('services.windows', { windows: local(service.windows) })}
        </span>
        {hall && availability && (
          <span className={`availability availability-${state}`} data-testid={`${testId}-status`}>
            {full && <strong className="badge badge-full">{t('availability.full')}</strong>}
            {closed ? closedText(closed, hall.now, hall.timeZone) : availability.open && availability.remaining !== null ? t('availability.remaining', { count: availability.remaining }) : t('availability.open')}
          </span>
        )}
        {aroundTheClock && (
          <span className="badge" data-testid={`${testId}-24h`}>
            {t('service.available24h')}
          </span>
        )}
      </button>
      {guide && (
        <button
          type="button"
          className="button button-secondary service-side"
          data-testid={guideFirst ? `${testId}-take` : `${testId}-guide`}
          disabled={guideFirst && closed !== null}
          onClick={() => (guideFirst ? actions.onTake(service) : actions.onGuide(service))}
        >
          {guideFirst ? t('service.take') : t('service.guide')}
        </button>
      )}
    </div>
  );
}
