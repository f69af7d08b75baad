import { hallLocalTime } from '../../core/calendar/business-day.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';

/**
 * When a kiosk may check for, and install, a new version. Installing restarts the app: it must
 * never happen under a citizen's finger or in the middle of a ticket, and by default only in the
 * hall's quiet hours, when even the 24-hour area is nearly empty. Pure: time is passed in.
 */
export interface UpdatePolicyOptions {
  /** the hall's zone: the quiet hours are its wall-clock times */
  timeZone: string;
  /** HH:MM–HH:MM in the hall's zone; may cross midnight (e.g. 23:30–05:00) */
  quietHours: { from: string; to: string };
  /** nobody has used the kiosk for this long */
  idleBeforeInstallMs: number;
  checkIntervalMs: number;
  /** spread so a hall's kiosks do not all ask the server at the same second */
  checkJitterMs: number;
}

export const defaultUpdatePolicy: Omit<UpdatePolicyOptions, 'timeZone'> = {
  quietHours: { from: '01:00', to: '05:00' },
  idleBeforeInstallMs: 5 * 60_000,
  checkIntervalMs: 4 * 3_600_000,
  checkJitterMs: 30 * 60_000,
};

export interface QuietHours {
  from: string;
  to: string;
}

/** After the last counter closes and before the first opens, staff may still be at the kiosk. */
const staffMarginMinutes = 60;
/** Shorter than this is no window to install in; the fixed hours are used instead. */
const shortestQuietMinutes = 60;

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmmOf = (minutes: number): string => {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/**
 * The update quiet hours the hall calendar implies, as one daily window (the same every day, so
 * staff know when a kiosk may restart):
 *
 * - The staffed hall is closed from the latest end of any session (any timetable, season or
 *   weekday) to the earliest start, an hour of margin taken off each side for staff arriving
 *   early or staying late.
 * - With no 24-hour service, that whole span is quiet: nobody should be at the kiosk.
 * - With 24-hour services the self-service area is used through the evening and from early
 *   morning; the calendar holds no usage figures, so the deep night (the fixed 01:00–05:00, when
 *   such areas are emptiest) is kept, cut to the span the hall is closed.
 *
 * `fallback` (the fixed hours) when no calendar is known, when it has no staffed sessions, or when
 * the closed span leaves less than an hour.
 */
export function quietHoursOf(rules: HallRules | null, fallback: QuietHours = defaultUpdatePolicy.quietHours): QuietHours {
  if (!rules) return fallback;
  const sessions = rules.timetables.flatMap((t) => Object.values(t.seasons).flat());
  if (sessions.length === 0) return fallback;
  // Minutes after the latest close, wrapping past midnight to the earliest opening.
  const from = Math.max(...sessions.map((s) => minutesOf(s.end))) + staffMarginMinutes;
  const to = Math.min(...sessions.map((s) => minutesOf(s.start))) + 1440 - staffMarginMinutes;
  let window = { from, to };
  if (rules.services.some((s) => s.aroundTheClock)) {
    // The fixed hours placed on the same axis: the first time they start after the latest close.
    const deepFrom = minutesOf(fallback.from) + (minutesOf(fallback.from) < from ? 1440 : 0);
    const deepTo = deepFrom + ((minutesOf(fallback.to) - minutesOf(fallback.from) + 1440) % 1440);
    window = { from: Math.max(from, deepFrom), to: Math.min(to, deepTo) };
  }
  if (window.to - window.from < shortestQuietMinutes) return fallback;
  return { from: hhmmOf(window.from), to: hhmmOf(window.to) };
}

export interface KioskUse {
  /** the last call a person caused (a tap that printed, a PIN, a fingerprint); null if none yet */
  lastActivityAt: number | null;
  printsInFlight: number;
}

export type InstallVerdict = { install: true } | { install: false; reason: 'printing' | 'in-use' | 'not-quiet-time' };

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

export function checkPolicyOptions(options: UpdatePolicyOptions): UpdatePolicyOptions {
  for (const [name, value] of Object.entries(options.quietHours)) {
    if (!hhmm.test(value)) throw new Error(`update quiet hours: ${name} "${value}" is not HH:MM`);
  }
  if (options.quietHours.from === options.quietHours.to) throw new Error('update quiet hours: from and to are the same time');
  for (const key of ['idleBeforeInstallMs', 'checkIntervalMs', 'checkJitterMs'] as const) {
    if (!Number.isFinite(options[key]) || options[key] < 0) throw new Error(`update policy: ${key} must be a non-negative number`);
  }
  return options;
}

/** Whether the hall's wall clock at `now` is inside the quiet hours (from inclusive, to exclusive). */
export function isQuietTime(now: number, options: Pick<UpdatePolicyOptions, 'timeZone' | 'quietHours'>): boolean {
  const time = hallLocalTime(now, options.timeZone).time.slice(0, 5);
  const { from, to } = options.quietHours;
  return from < to ? time >= from && time < to : time >= from || time < to;
}

/**
 * `urgent`: the running version was found unhealthy and the feed offers the one before it. Then
 * the quiet hours are not waited for (a broken kiosk serves nobody), but a print in progress and
 * a person at the screen still are.
 */
export function installVerdict(now: number, use: KioskUse, options: UpdatePolicyOptions, urgent = false): InstallVerdict {
  if (use.printsInFlight > 0) return { install: false, reason: 'printing' };
  if (use.lastActivityAt !== null && now - use.lastActivityAt < options.idleBeforeInstallMs) return { install: false, reason: 'in-use' };
  if (!urgent && !isQuietTime(now, options)) return { install: false, reason: 'not-quiet-time' };
  return { install: true };
}

/** The next check after one at `now`; `random` in [0, 1) is injected so tests can pin it. */
export function nextCheckAt(now: number, options: Pick<UpdatePolicyOptions, 'checkIntervalMs' | 'checkJitterMs'>, random: number): number {
  return now + options.checkIntervalMs + Math.floor(random * options.checkJitterMs);
}
