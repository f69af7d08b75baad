import { describe, expect, it } from 'vitest';
import {
  calendarRefusalCode, closedReasonOfCode, closedReasons, countIssued, currentSession, dayQuotaReached, hallClosedDay, isAroundTheClock, kioskMode, openingMoment, serviceAvailability,
  type ClosedReason, type IssuedCounts, type KioskMode,
} from '../../../core/calendar/hall-calendar.ts';
import { dayPlan, seasonOn } from '../../../core/calendar/opening-hours.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

// The machine runs in a zone far from the hall's, so any use of the machine's zone shows up.
process.env.TZ = 'America/Los_Angeles';

const hall = 'Asia/Shanghai';
const rules = demoHallRules;

/** An instant given as Beijing wall time, 'YYYY-MM-DD HH:MM[:SS]'; parsed with an explicit offset. */
function bj(wall: string): number {
  const [day, time] = wall.split(' ');
  const t = Date.parse(`${day}T${time!.length === 5 ? `${time}:00` : time}+08:00`);
  if (Number.isNaN(t)) throw new Error(`bad test instant ${wall}`);
  return t;
}

/** An instant shown as Beijing wall time, computed without the code under test. */
function showBj(epochMs: number | null): string | null {
  if (epochMs === null) return null;
  const s = new Date(epochMs + 8 * 3_600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19).replace(/:00$/, '')}`;
}

type Expect =
  | { open: true; session: string | null; issueUntil?: string | null; remaining?: number | null }
  | { open: false; reason: ClosedReason; next: string | null; holiday?: string };

interface Case {
  name: string;
  service: string;
  at: string;
  issued?: IssuedCounts;
  expect: Expect;
}

const open = (session: string | null, more: Omit<Extract<Expect, { open: true }>, 'open' | 'session'> = {}): Expect => ({ open: true, session, ...more });
const shut = (reason: ClosedReason, next: string | null, holiday?: string): Expect =>
  holiday ? { open: false, reason, next, holiday } : { open: false, reason, next };

// Summer: 09:00–12:00 (numbers until 11:30) and 14:00–18:00 (until 17:30).
// Winter: 09:00–12:00 (until 11:30) and 13:30–17:00 (until 16:30).
// 2026-06-10 is a Wednesday, 2026-11-25 a Wednesday.
const cases: Case[] = [
  // An ordinary summer weekday, boundary by boundary
  { name: 'weekday morning', service: 'biz-registration', at: '2026-06-10 10:00', expect: open('morning', { issueUntil: '2026-06-10 11:30', remaining: 200 }) },
  { name: 'a second before opening', service: 'biz-registration', at: '2026-06-10 08:59:59', expect: shut('before-opening', '2026-06-10 09:00') },
  { name: 'exactly at opening', service: 'biz-registration', at: '2026-06-10 09:00', expect: open('morning') },
  { name: 'early morning, which is still the previous evening on the machine', service: 'biz-registration', at: '2026-06-11 00:30', expect: shut('before-opening', '2026-06-11 09:00') },
  { name: 'last second of the morning issue window', service: 'biz-registration', at: '2026-06-10 11:29:59', expect: open('morning') },
  { name: 'morning issue window closes at 11:30', service: 'biz-registration', at: '2026-06-10 11:30', expect: shut('issue-window-closed', '2026-06-10 14:00') },
  { name: 'exactly 12:00 starts the lunch break', service: 'biz-registration', at: '2026-06-10 12:00', expect: shut('lunch-break', '2026-06-10 14:00') },
  { name: 'summer lunch break still on at 13:30', service: 'biz-registration', at: '2026-06-10 13:30', expect: shut('lunch-break', '2026-06-10 14:00') },
  { name: 'summer afternoon opens at 14:00', service: 'biz-registration', at: '2026-06-10 14:00', expect: open('afternoon', { issueUntil: '2026-06-10 17:30' }) },
  { name: 'last second of the afternoon issue window', service: 'biz-registration', at: '2026-06-10 17:29:59', expect: open('afternoon') },
  { name: 'afternoon issue window closes at 17:30', service: 'biz-registration', at: '2026-06-10 17:30', expect: shut('issue-window-closed', '2026-06-11 09:00') },
  { name: '17:59:59: counters still open, numbers not', service: 'biz-registration', at: '2026-06-10 17:59:59', expect: shut('issue-window-closed', '2026-06-11 09:00') },
  { name: '18:00 is after hours', service: 'biz-registration', at: '2026-06-10 18:00', expect: shut('after-hours', '2026-06-11 09:00') },
  { name: 'late evening', service: 'biz-registration', at: '2026-06-10 23:59:59', expect: shut('after-hours', '2026-06-11 09:00') },

  // Winter weekday
  { name: 'winter lunch break, last second', service: 'biz-registration', at: '2026-11-25 13:29:59', expect: shut('lunch-break', '2026-11-25 13:30') },
  { name: 'winter afternoon opens at 13:30', service: 'biz-registration', at: '2026-11-25 13:30', expect: open('afternoon', { issueUntil: '2026-11-25 16:30' }) },
  { name: 'winter afternoon issue window closes at 16:30', service: 'biz-registration', at: '2026-11-25 16:30', expect: shut('issue-window-closed', '2026-11-26 09:00') },
  { name: 'winter closes at 17:00', service: 'biz-registration', at: '2026-11-25 17:00', expect: shut('after-hours', '2026-11-26 09:00') },

  // Summer/winter switch
  { name: '9/30 is summer: open at 17:15', service: 'biz-registration', at: '2026-09-30 17:15', expect: open('afternoon', { issueUntil: '2026-09-30 17:30' }) },
  { name: 'first working day of winter: closed at 17:15', service: 'biz-registration', at: '2026-10-08 17:15', expect: shut('after-hours', '2026-10-09 09:00') },
  { name: '4/30 is winter: open at 13:45', service: 'biz-registration', at: '2026-04-30 13:45', expect: open('afternoon', { issueUntil: '2026-04-30 16:30' }) },
  { name: 'first working day of summer: lunch at 13:45', service: 'biz-registration', at: '2026-05-06 13:45', expect: shut('lunch-break', '2026-05-06 14:00') },

  // Weekends
  { name: 'Saturday', service: 'biz-registration', at: '2026-06-13 10:00', expect: shut('weekend', '2026-06-15 09:00') },
  { name: 'Sunday', service: 'biz-registration', at: '2026-06-14 15:00', expect: shut('weekend', '2026-06-15 09:00') },
  { name: 'Friday evening: next opening is Monday', service: 'biz-registration', at: '2026-06-12 18:30', expect: shut('after-hours', '2026-06-15 09:00') },
  { name: 'exit-entry opens on Saturday morning', service: 'exit-entry', at: '2026-06-13 10:00', expect: open('morning', { issueUntil: '2026-06-13 11:30' }) },
  { name: 'exit-entry on Saturday afternoon', service: 'exit-entry', at: '2026-06-13 14:00', expect: shut('after-hours', '2026-06-15 09:00') },
  { name: 'exit-entry on Friday evening: next opening Saturday', service: 'exit-entry', at: '2026-06-12 18:30', expect: shut('after-hours', '2026-06-13 09:00') },
  { name: 'exit-entry on Sunday', service: 'exit-entry', at: '2026-06-14 10:00', expect: shut('weekend', '2026-06-15 09:00') },

  // Public holidays
  { name: 'National Day', service: 'biz-registration', at: '2026-10-01 10:00', expect: shut('holiday', '2026-10-08 09:00', '国庆节') },
  { name: 'a holiday Saturday closes the Saturday counter too', service: 'exit-entry', at: '2026-10-03 10:00', expect: shut('holiday', '2026-10-08 09:00', '国庆节') },
  { name: 'eve of National Day: next opening after the holiday', service: 'biz-registration', at: '2026-09-30 18:00', expect: shut('after-hours', '2026-10-08 09:00') },
  { name: 'before Mid-Autumn: across the holiday and the weekend', service: 'biz-registration', at: '2026-09-24 18:00', expect: shut('after-hours', '2026-09-28 09:00') },
  { name: 'before Spring Festival: next opening is the working Saturday', service: 'biz-registration', at: '2026-02-13 18:00', expect: shut('after-hours', '2026-02-14 09:00') },
  { name: 'working Saturday before Spring Festival: next opening after it', service: 'biz-registration', at: '2026-02-14 17:00', expect: shut('after-hours', '2026-02-24 09:00') },

  // 调休: adjusted working days
  { name: '调休 working Saturday', service: 'biz-registration', at: '2026-10-10 10:00', expect: open('morning') },
  { name: '调休 working Sunday in summer', service: 'biz-registration', at: '2026-09-20 15:00', expect: open('afternoon', { issueUntil: '2026-09-20 17:30' }) },
  { name: 'Friday evening before a working Saturday', service: 'biz-registration', at: '2026-10-09 18:00', expect: shut('after-hours', '2026-10-10 09:00') },
  { name: 'working Saturday keeps weekday hours, not Saturday hours', service: 'exit-entry', at: '2026-10-10 14:00', expect: open('afternoon') },
  { name: 'working Saturday as a Wednesday: pension counter open', service: 'pension', at: '2026-10-10 10:00', expect: open('morning') },
  { name: 'working Sunday as a Tuesday: pension counter closed', service: 'pension', at: '2026-09-20 10:00', expect: shut('not-a-service-day', '2026-09-21 09:00') },
  { name: 'pension counter skips Tuesdays', service: 'pension', at: '2026-06-09 10:00', expect: shut('not-a-service-day', '2026-06-10 09:00') },
  { name: 'pension counter has mornings only', service: 'pension', at: '2026-06-10 14:30', expect: shut('after-hours', '2026-06-12 09:00') },

  // Around the clock
  { name: '24-hour service at 03:00 on a Saturday', service: 'ss-card', at: '2026-06-13 03:00', expect: open(null, { issueUntil: null, remaining: 300 }) },
  { name: '24-hour service at 03:00 on National Day', service: 'ss-card', at: '2026-10-01 03:00', expect: open(null) },
  { name: '24-hour service over lunch', service: 'fund-withdrawal', at: '2026-06-10 12:30', expect: open(null) },
  { name: '24-hour service out for the day renews at midnight', service: 'ss-card', at: '2026-06-13 03:00', issued: { day: 300 }, expect: shut('quota-reached-day', '2026-06-14 00:00') },

  // 限号: quotas per session and per day
  { name: 'last number of the morning', service: 'fund-loan', at: '2026-06-10 10:00', issued: { day: 29, bySession: { morning: 29 } }, expect: open('morning', { remaining: 1 }) },
  { name: 'morning quota reached: next is the afternoon', service: 'fund-loan', at: '2026-06-10 10:00', issued: { day: 30, bySession: { morning: 30 } }, expect: shut('quota-reached-session', '2026-06-10 14:00') },
  { name: 'afternoon quota counts the afternoon only', service: 'fund-loan', at: '2026-06-10 15:00', issued: { day: 45, bySession: { morning: 30, afternoon: 15 } }, expect: open('afternoon', { remaining: 15 }) },
  { name: 'afternoon quota reached', service: 'fund-loan', at: '2026-06-10 15:00', issued: { day: 40, bySession: { morning: 10, afternoon: 30 } }, expect: shut('quota-reached-session', '2026-06-11 09:00') },
  { name: 'day quota reached over lunch: not "lunch break"', service: 'fund-loan', at: '2026-06-10 12:30', issued: { day: 60 }, expect: shut('quota-reached-day', '2026-06-11 09:00') },
  { name: 'day quota reached on Friday: next is Monday', service: 'fund-loan', at: '2026-06-12 15:00', issued: { day: 60, bySession: { morning: 30, afternoon: 30 } }, expect: shut('quota-reached-day', '2026-06-15 09:00') },
  { name: 'day quota binds before an unlimited session', service: 'residence-permit', at: '2026-06-10 15:00', issued: { day: 200, bySession: { morning: 120, afternoon: 80 } }, expect: shut('quota-reached-day', '2026-06-11 09:00') },
  { name: 'day quota is the tighter limit', service: 'residence-permit', at: '2026-06-10 15:00', issued: { day: 150, bySession: { morning: 120, afternoon: 30 } }, expect: open('afternoon', { remaining: 50 }) },
  { name: 'session quota on a Saturday morning', service: 'residence-permit', at: '2026-06-13 10:00', issued: { day: 120, bySession: { morning: 120 } }, expect: shut('quota-reached-session', '2026-06-15 09:00') },
  // The hall server refused a number (its counter is at 限号): full whatever the local count says
  { name: 'server says full: closed until the next working day', service: 'biz-registration', at: '2026-06-10 10:00', issued: { day: 3, full: true }, expect: shut('quota-reached-day', '2026-06-11 09:00') },
  { name: 'server says full for a 24-hour service: again at midnight', service: 'fund-withdrawal', at: '2026-06-10 03:00', issued: { day: 0, full: true }, expect: shut('quota-reached-day', '2026-06-11 00:00') },
  { name: 'server says full before opening: still "before opening"', service: 'biz-registration', at: '2026-06-10 08:00', issued: { day: 0, full: true }, expect: shut('before-opening', '2026-06-10 09:00') },
  { name: 'a service the calendar does not limit is full only when the server says so', service: 'no-such-rule', at: '2026-06-10 10:00', issued: { day: 0, full: true }, expect: shut('quota-reached-day', '2026-06-11 09:00') },

  // A catalog service the rules do not know yet keeps the hall's hours
  { name: 'service missing from the rules', service: 'not-in-rules', at: '2026-06-10 10:00', expect: open('morning', { remaining: null }) },
  { name: 'service missing from the rules, weekend', service: 'not-in-rules', at: '2026-06-13 10:00', expect: shut('weekend', '2026-06-15 09:00') },
];

describe('hall calendar: service availability on the hall clock', () => {
  it('runs on a machine far from the hall', () => {
    expect(new Date(bj('2026-06-10 10:00')).getTimezoneOffset()).toBe(420); // PDT
    expect(new Date(bj('2026-06-11 00:30')).getDate()).toBe(10); // where it is still the 10th
  });

  it.each(cases)('$name: $service at $at', ({ service, at, issued, expect: want }) => {
    const got = serviceAvailability(rules, service, bj(at), hall, issued);
    if (want.open) {
      expect(got.open).toBe(true);
      if (!got.open) return;
      expect(got.sessionId).toBe(want.session);
      if (want.issueUntil !== undefined) expect(showBj(got.issueUntil)).toBe(want.issueUntil);
      if (want.remaining !== undefined) expect(got.remaining).toBe(want.remaining);
    } else {
      expect(got.open ? { open: true } : { reason: got.reason, next: showBj(got.nextOpening) }).toEqual({ reason: want.reason, next: want.next });
      if (got.open) return;
      expect(got.holiday?.zh).toBe(want.holiday);
    }
  });

  it('the same instant in another hall zone gives that hall’s answer', () => {
    // 10:00 in Beijing is 04:00 in Berlin (CEST): before opening there.
    const got = serviceAvailability(rules, 'biz-registration', bj('2026-06-10 10:00'), 'Europe/Berlin');
    expect(got).toEqual({ open: false, reason: 'before-opening', nextOpening: Date.parse('2026-06-10T09:00:00+02:00') });
  });
});

describe("hall calendar: the hall server's 限号 answer, which names no time", () => {
  it.each([
    { service: 'fund-loan', at: '2026-06-10 10:00', next: '2026-06-11 09:00' },
    { service: 'fund-loan', at: '2026-06-12 15:00', next: '2026-06-15 09:00' }, // Friday: Monday
    { service: 'residence-permit', at: '2026-06-12 15:00', next: '2026-06-13 09:00' }, // Saturday exit-entry counters
    { service: 'fund-withdrawal', at: '2026-06-10 03:00', next: '2026-06-11 00:00' }, // 24 hours: the hall's midnight
    { service: 'biz-registration', at: '2026-09-30 10:00', next: '2026-10-08 09:00' }, // over the National Day week
  ])('$service full at $at: again at $next', ({ service, at, next }) => {
    const got = dayQuotaReached(rules, service, bj(at), hall);
    expect({ reason: got.reason, next: showBj(got.nextOpening) }).toEqual({ reason: 'quota-reached-day', next });
  });
});

describe("hall calendar: the server's refusal codes", () => {
  it('names each closed reason by one code, and each code falls back to a reason that carries it', () => {
    const codes = new Map(closedReasons.map((reason) => [reason, calendarRefusalCode(reason)]));
    expect(Object.fromEntries(codes)).toEqual({
      holiday: 'service-closed',
      weekend: 'service-closed',
      'not-a-service-day': 'service-closed',
      'before-opening': 'outside-issue-window',
      'lunch-break': 'outside-issue-window',
      'after-hours': 'outside-issue-window',
      'issue-window-closed': 'outside-issue-window',
      'quota-reached-day': 'quota-reached',
      'quota-reached-session': 'session-quota-reached',
    });
    for (const code of new Set(codes.values())) {
      const fallback = closedReasonOfCode(code);
      expect(fallback, code).not.toBeNull();
      expect(calendarRefusalCode(fallback!), code).toBe(code);
    }
  });

  it('knows no reason for any other code', () => {
    for (const code of ['seq-gap', 'not-found', 'toString', '']) expect(closedReasonOfCode(code), code).toBeNull();
  });
});

describe('hall calendar: kiosk mode', () => {
  const modes: { at: string; mode: KioskMode; next: string }[] = [
    { at: '2026-06-10 08:59:59', mode: 'self-service', next: '2026-06-10 09:00' },
    { at: '2026-06-10 09:00', mode: 'staffed', next: '2026-06-10 18:00' },
    { at: '2026-06-10 12:30', mode: 'staffed', next: '2026-06-10 18:00' }, // lunch keeps the staffed screen
    { at: '2026-06-10 17:59:59', mode: 'staffed', next: '2026-06-10 18:00' },
    { at: '2026-06-10 18:00', mode: 'self-service', next: '2026-06-11 09:00' },
    { at: '2026-06-11 03:00', mode: 'self-service', next: '2026-06-11 09:00' },
    { at: '2026-06-12 18:00', mode: 'self-service', next: '2026-06-13 09:00' }, // Saturday exit-entry counters
    { at: '2026-06-13 10:00', mode: 'staffed', next: '2026-06-13 12:00' },
    { at: '2026-06-13 12:00', mode: 'self-service', next: '2026-06-15 09:00' },
    { at: '2026-11-25 16:59:59', mode: 'staffed', next: '2026-11-25 17:00' },
    { at: '2026-11-25 17:00', mode: 'self-service', next: '2026-11-26 09:00' },
    { at: '2026-09-30 17:30', mode: 'staffed', next: '2026-09-30 18:00' },
    { at: '2026-09-30 18:00', mode: 'self-service', next: '2026-10-08 09:00' },
    { at: '2026-10-01 10:00', mode: 'self-service', next: '2026-10-08 09:00' },
    { at: '2026-10-10 10:00', mode: 'staffed', next: '2026-10-10 17:00' },
  ];
  it.each(modes)('$at → $mode until $next', ({ at, mode, next }) => {
    const got = kioskMode(rules, bj(at), hall);
    expect({ mode: got.mode, next: showBj(got.nextSwitch) }).toEqual({ mode, next });
  });

  it('offers the 24-hour services in self-service mode', () => {
    expect(rules.services.filter((s) => isAroundTheClock(rules, s.serviceId)).map((s) => s.serviceId)).toEqual(['ss-card', 'fund-withdrawal']);
    expect(isAroundTheClock(rules, 'biz-registration')).toBe(false);
  });
});

describe('hall calendar: current session and day plans', () => {
  it('names the session in progress, including after its issue window', () => {
    const s = currentSession(rules, 'biz-registration', bj('2026-06-10 11:45'), hall);
    expect(s && { id: s.id, start: showBj(s.start), issueUntil: showBj(s.issueUntil), end: showBj(s.end) }).toEqual({
      id: 'morning', start: '2026-06-10 09:00', issueUntil: '2026-06-10 11:30', end: '2026-06-10 12:00',
    });
  });

  it('has none at lunch, after hours, on holidays or around the clock', () => {
    expect(currentSession(rules, 'biz-registration', bj('2026-06-10 12:30'), hall)).toBeNull();
    expect(currentSession(rules, 'biz-registration', bj('2026-06-10 18:00'), hall)).toBeNull();
    expect(currentSession(rules, 'biz-registration', bj('2026-10-01 10:00'), hall)).toBeNull();
    expect(currentSession(rules, 'ss-card', bj('2026-06-10 10:00'), hall)).toBeNull();
  });

  it('gives the hall’s own session for null', () => {
    expect(currentSession(rules, null, bj('2026-11-25 13:30'), hall)?.id).toBe('afternoon');
  });

  it('switches season on 10/1 even when the day itself is a holiday', () => {
    expect(seasonOn(rules, '2026-09-30').id).toBe('summer');
    expect(seasonOn(rules, '2026-10-01').id).toBe('winter');
    expect(seasonOn(rules, '2026-04-30').id).toBe('winter');
    expect(seasonOn(rules, '2026-05-01').id).toBe('summer');
    expect(dayPlan(rules, 'biz-registration', '2026-10-01')).toMatchObject({ kind: 'closed', reason: 'holiday' });
    const plan = (day: string) => {
      const p = dayPlan(rules, 'biz-registration', day);
      return p.kind === 'sessions' ? p.sessions.map((s) => `${s.start}–${s.end}`) : p.kind;
    };
    expect(plan('2026-09-30')).toEqual(['09:00–12:00', '14:00–18:00']);
    expect(plan('2026-10-08')).toEqual(['09:00–12:00', '13:30–17:00']);
    expect(dayPlan(rules, 'biz-registration', '2026-10-10')).toMatchObject({ kind: 'sessions', adjustedWorkday: true });
    expect(dayPlan(rules, 'ss-card', '2026-10-01')).toEqual({ kind: 'around-the-clock' });
  });
});

describe('hall calendar: counting issued tickets', () => {
  it('counts a hall-local day and buckets by session', () => {
    const issuedAt = ['2026-06-10 09:30', '2026-06-10 11:10', '2026-06-10 14:30', '2026-06-09 10:00', '2026-06-10 23:30', '2026-06-11 00:10'].map(bj);
    expect(countIssued(rules, 'fund-loan', issuedAt, '2026-06-10', hall)).toEqual({ day: 4, bySession: { morning: 2, afternoon: 1 } });
    expect(countIssued(rules, 'ss-card', issuedAt, '2026-06-10', hall)).toEqual({ day: 4, bySession: {} });
  });
});

describe('hall calendar: invariants over three weeks around National Day', () => {
  // Every 10 minutes from 2026-09-17 to 2026-10-12, every service: a closed service is open at
  // its nextOpening and closed a second before; the kiosk mode flips exactly at nextSwitch.
  const from = bj('2026-09-17 00:00');
  const to = bj('2026-10-12 00:00');
  const step = 10 * 60_000;
  const services = [...rules.services.map((s) => s.serviceId)];

  it('nextOpening is the first instant numbers can be taken', () => {
    let checked = 0;
    for (let t = from; t < to; t += step) {
      for (const id of services) {
        const a = serviceAvailability(rules, id, t, hall);
        if (a.open || a.nextOpening === null) continue;
        expect(serviceAvailability(rules, id, a.nextOpening, hall).open, `${id} at ${showBj(a.nextOpening)}`).toBe(true);
        expect(serviceAvailability(rules, id, a.nextOpening - 1000, hall).open, `${id} before ${showBj(a.nextOpening)}`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('kiosk mode holds until nextSwitch and flips there', () => {
    for (let t = from; t < to; t += step) {
      const m = kioskMode(rules, t, hall);
      expect(m.nextSwitch).not.toBeNull();
      expect(kioskMode(rules, m.nextSwitch! - 1, hall).mode).toBe(m.mode);
      expect(kioskMode(rules, m.nextSwitch!, hall).mode).not.toBe(m.mode);
    }
  });
});

describe('what the kiosk says about opening', () => {
  it('places the next opening relative to the hall\'s today, not the machine\'s', () => {
    expect(openingMoment(bj('2026-06-10 12:30'), bj('2026-06-10 14:00'), hall)).toEqual({ daysAhead: 0, day: '2026-06-10', time: '14:00', weekday: 3 });
    // 23:30 in Shanghai is still the same date in Los Angeles: "tomorrow" is the hall's.
    expect(openingMoment(bj('2026-06-10 23:30'), bj('2026-06-11 09:00'), hall)).toMatchObject({ daysAhead: 1, time: '09:00', weekday: 4 });
    expect(openingMoment(bj('2026-10-02 10:00'), bj('2026-10-08 09:00'), hall)).toEqual({ daysAhead: 6, day: '2026-10-08', time: '09:00', weekday: 4 });
  });

  it('names the holiday or weekend that closes the whole hall, and nothing on a working day', () => {
    expect(hallClosedDay(rules, bj('2026-10-02 10:00'), hall)).toEqual({ reason: 'holiday', holiday: { zh: '国庆节', en: 'National Day' } });
    expect(hallClosedDay(rules, bj('2026-06-13 10:00'), hall)).toEqual({ reason: 'weekend' });
    expect(hallClosedDay(rules, bj('2026-06-10 20:00'), hall)).toBeNull();
    // 调休: a Saturday the hall works
    expect(hallClosedDay(rules, bj('2026-10-10 10:00'), hall)).toBeNull();
  });
});
