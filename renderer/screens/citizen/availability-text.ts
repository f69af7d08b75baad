import type { TFunction } from 'i18next';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { openingMoment, type ServiceAvailability, type ServiceClosed, type TicketValidity } from '../../../core/calendar/hall-calendar.ts';
import { useLocalized } from '../../i18n/use-localized.ts';


export function isFull(a: ServiceAvailability): boolean {
  return !a.open && (a.reason === 'quota-reached-day' || a.reason === 'quota-reached-session');
}

type OpeningText = (nowMs: number, atMs: number, timeZone: string) => string;

/** "下午 13:30", "明天 9:00", "10月8日（周四）9:00": when something next opens, said as people say it. */
export function openingTextIn(t: TFunction): OpeningText {
  return (nowMs, atMs, timeZone) => {
    const at = openingMoment(nowMs, atMs, timeZone);
    const time = at.time.replace(/^0(\d)/, '$1');
    if (at.daysAhead <= 0) return t(at.time < '12:00' ? 'availability.when.morning' : 'availability.when.afternoon', { time });
    if (at.daysAhead === 1) return t('availability.when.tomorrow', { time });
    const weekday = t(`availability.weekday.${String(at.weekday) as '1'}`);
    return t('availability.when.later', { time, weekday, month: Number(at.day.slice(5, 7)), day: Number(at.day.slice(8, 10)) });
  };
}

/** `openingTextIn` in the language on screen. */
export function useOpeningText(): OpeningText {
  const { t } = useTranslation();
  return useMemo(() => openingTextIn(t), [t]);
}

/** Why a service issues no numbers now, and from when it does, e.g. "今日已停止取号，明天 9:00 开始". */
export function useClosedText(): (closed: ServiceClosed, nowMs: number, timeZone: string) => string {
  const { t } = useTranslation();
  const local = useLocalized();
  const opening = useOpeningText();
  return useCallback(
    (closed, nowMs, timeZone) => {
      if (closed.nextOpening === null) return t('availability.never');
      const when = opening(nowMs, closed.nextOpening, timeZone);
      return t(`availability.reason.${closed.reason}`, { when, holiday: closed.holiday ? local(closed.holiday) : '' });
    },
    [t, local, opening],
  );
}

/**
 * What a ticket says when its number is not for counters open now: the place instead of the
 * counters (24小时自助服务区) and a line saying where to go or from when it is valid
 * (明天 9:00 起有效). Null for an ordinary number.
 */
export function ticketValidityText(t: TFunction, validity: TicketValidity, issuedAt: number, timeZone: string): { windows?: string; text: string } | null {
  switch (validity.kind) {
    case 'now':
      return null;
    case 'self-service':
      return { windows: t('ticket.selfServiceArea'), text: t('ticket.goSelfService') };
    case 'from':
      return { text: t('ticket.validFrom', { when: openingTextIn(t)(issuedAt, validity.at, timeZone) }) };
  }
}
