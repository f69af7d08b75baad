import { createContext, use, useEffect, useMemo, useState } from 'react';
import { businessDayOf, type BusinessDay } from '../../core/calendar/business-day.ts';
import type { ServiceItem } from '../../core/catalog/catalog.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import {
  countIssued, dayQuotaReached, hallClosedDay, kioskMode, serviceAvailability, type KioskModeNow, type ServiceAvailability, type ServiceClosed,
} from '../../core/calendar/hall-calendar.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { DayClosedReason } from '../../core/calendar/opening-hours.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import { dayQuotaOf } from '../../core/numbering/day-quota.ts';
import type { IssuedTally } from '../db/issued-tally.ts';
import type { IssueResult } from '../db/ticket-issuer.ts';
import { useNow } from '../hooks/use-now.ts';

/** What the hall offers at this minute, by the hall calendar and the corrected clock. */
export interface HallNow {
  /** epoch ms on the corrected clock, moved on once a minute (every rule is whole minutes) */
  now: number;
  today: BusinessDay;
  timeZone: string;
  mode: KioskModeNow;
  /** the hall's whole day is closed (holiday, weekend); null on a working day */
  closedDay: { reason: DayClosedReason; holiday?: LocalizedText } | null;
  availability(service: ServiceItem): ServiceAvailability;
}

export const HallNowContext = createContext<HallNow | null>(null);

/** Null outside the app's provider (a screen rendered on its own): every service is then offered. */
export function useHallNow(): HallNow | null {
  return use(HallNowContext);
}

const minute = 60_000;
const tickMs = 1_000;

interface AvailabilitySources {
  rules: HallRules;
  tally: IssuedTally;
  /** epoch ms on the corrected clock */
  now: number;
  today: BusinessDay;
  timeZone: string;
}

/**
 * Whether `service` issues numbers at `now`: the hall server's refusal while it stands (the
 * server counts every kiosk's numbers, so its word wins), else the calendar against this kiosk's
 * own tickets (and the day's 限号, of which the highest number seen is a floor).
 */
export function availabilityAt({ rules, tally, now, today, timeZone }: AvailabilitySources, service: ServiceItem): ServiceAvailability {
  const refusal = tally.refusalAt(service.id, today, now);
  if (refusal) return refusal;
  const seen = tally.of(service.id, today);
  const counts = countIssued(rules, service.id, seen.issuedAt, today, timeZone);
  const quota = dayQuotaOf(rules, service.id, service.dailyQuota);
  // The hall server's count of every kiosk's tickets when a pull brought it (the figure /next
  // refuses by), else this kiosk's own; online numbers up to the quota are a floor either way
  // (leased ones lie above it and count nothing).
  const floor = Math.max(0, ...seen.sequences.filter((n) => n <= quota));
  const day = Math.max(counts.day, seen.hallIssued ?? 0);
  const availability = serviceAvailability(rules, service.id, now, timeZone, { ...counts, day, full: day >= quota || floor >= quota });
  if (!availability.open || seen.hallIssued === null) return availability;
  // 余N号 is what the day's quota leaves by the hall's count, under a session's when that is tighter.
  const left = Math.max(0, quota - day);
  return { ...availability, remaining: availability.remaining === null ? left : Math.min(availability.remaining, left) };
}

/**
 * What a refused number tells the kiosk about the citizens after: the server's calendar refusal
 * as it was said; its 限号 answer, which names no time, closes the service until the calendar's
 * next day. Null when nothing stands for others (a ticket, or offline with no leased number left).
 */
export function refusalOf(issued: IssueResult, rules: HallRules, serviceId: string, now: number, timeZone: string): ServiceClosed | null {
  if (issued.ok || issued.reason === 'reserve-exhausted') return null;
  return issued.reason === 'closed' ? issued.closed : dayQuotaReached(rules, serviceId, now, timeZone);
}

interface HallNowSources {
  rules: HallRules;
  /** the kiosk clock corrected by the hall server's offset */
  clock: Clock;
  timeZone: string;
  tally: IssuedTally;
  /** bumped by the app after each issue, so the counts are read again */
  tallyVersion: number;
}

/**
 * A React state driven by a ticking clock: the kiosk switches between staffed and self-service
 * at the minute the calendar says, without a reload, and offers each service by its hours,
 * issue windows and quotas (限号) counted from the day's tickets.
 */
export function useHallNowState({ rules, clock, timeZone, tally, tallyVersion }: HallNowSources): HallNow {
  const now = useNow(clock, tickMs, minute);

  const today = businessDayOf(now, timeZone);
  const [counted, setCounted] = useState<{ day: BusinessDay; version: number } | null>(null);
  // The hall's counts from a pull: the list follows at once, not at the next issue.
  const [hallCounted, setHallCounted] = useState(0);
  useEffect(() => tally.onChange(() => setHallCounted((n) => n + 1)), [tally]);
  useEffect(() => {
    let current = true;
    void tally
      .refresh(today)
      .then(() => {
        if (current) setCounted({ day: today, version: tallyVersion });
      })
      // The counts stay as last read; the next issue or day change reads them again.
      .catch((error: unknown) => console.error('counting the day\'s tickets failed', error));
    return () => {
      current = false;
    };
  }, [tally, today, tallyVersion]);

  return useMemo((): HallNow => {
    const availability = (service: ServiceItem): ServiceAvailability => availabilityAt({ rules, tally, now, today, timeZone }, service);
    return { now, today, timeZone, mode: kioskMode(rules, now, timeZone), closedDay: hallClosedDay(rules, now, timeZone), availability };
    // `counted` changes when the tally was read again: the closures must see the new counts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rules, now, today, timeZone, tally, counted, hallCounted]);
}
