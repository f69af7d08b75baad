import type { CheckinKind } from './checkin.ts';
import { assignMarks, scheduledSessions } from './rules.ts';
import { defaultWorkSchedule, type WorkSchedule } from './schedule.ts';
import { businessDayOf, type BusinessDay } from '../calendar/business-day.ts';
import type { HallRules } from '../calendar/calendar-rules.ts';

/**
 * Whether a fingerprint touch is a sign-in, a sign-out or a spot-check answer, and which session
 * it is for: decided from the person's schedule and the check-ins they made before it, on any
 * kiosk. The kiosk decides with what it holds (its own records and the hall's hours) when it is
 * offline; the hall server, which holds every kiosk's records and each person's own schedule,
 * decides when it is reachable and settles every record it receives the same way, so a sign-in at
 * kiosk A and a sign-out at kiosk B are one sign-in and one sign-out.
 *
 * The rule, session by session (times on the server's clock and the hall's wall clock):
 * - the first touch of a session signs in, later ones sign out (the last sign-out ends it);
 * - between sessions, a touch signs out of the session before if the person signed in to it and
 *   has not signed out yet, otherwise it signs in early for the session after;
 * - after the day's last session it signs out of it, or signs in for none if the person never came;
 * - on a day without sessions (a closed day, no calendar) sign-in and sign-out alternate;
 * - while a spot check is open, the touch answers it: a person already at work answers with a
 *   'spot-check' (never a sign-out, which would end their session in the middle), one not yet
 *   signed in signs in;
 * - a touch within the repeat window of the person's last one (or a second answer to the same
 *   spot check) repeats it and records nothing.
 */

/** Touches of one person closer together than this are one check-in: a finger pressed twice, or a nervous second try. */
export const checkinRepeatWindowMs = 5 * 60_000;

/** A check-in as the decision reads it. */
export interface PlacedCheckin {
  id: string;
  kind: CheckinKind;
  /** the server's clock: device time plus the kiosk's offset */
  at: number;
  session: string | null;
  spotCheckId: string | null;
}

export interface CheckinQuestion {
  /** the hall calendar; null before the hall has one (sign-in and sign-out then alternate) */
  rules: HallRules | null;
  /** the person's schedule; absent: the hall's own hours, all a kiosk knows */
  schedule?: WorkSchedule;
  timeZone: string;
  /** the touch, on the server's clock */
  at: number;
  /** the open spot check covering the person, if any */
  spotCheckId: string | null;
  /** the person's check-ins before this touch, on any kiosk, in any order; others are ignored */
  earlier: readonly PlacedCheckin[];
  repeatWindowMs?: number;
}

export type CheckinDecision =
  | { outcome: 'record'; kind: CheckinKind; session: string | null; day: BusinessDay }
  /** the touch repeats `of`: nothing is recorded */
  | { outcome: 'repeat'; of: PlacedCheckin };

const minuteMs = 60_000;

const byTime = (a: PlacedCheckin, b: PlacedCheckin): number => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The earlier check-in a touch repeats (a second press, a second answer to one spot check), or null. */
export function repeatedCheckin(q: Pick<CheckinQuestion, 'at' | 'spotCheckId' | 'earlier' | 'repeatWindowMs'>): PlacedCheckin | null {
  const earlier = q.earlier.filter((m) => m.at <= q.at).sort(byTime);
  const window = q.repeatWindowMs ?? checkinRepeatWindowMs;
  return (q.spotCheckId ? earlier.find((m) => m.spotCheckId === q.spotCheckId) : earlier.filter((m) => q.at - m.at < window).at(-1)) ?? null;
}

export interface CheckinKindOf {
  kind: CheckinKind;
  session: string | null;
  day: BusinessDay;
}

/** The kind and session of a touch that is not a repeat, by the rule above. */
export function checkinKindOf(q: Omit<CheckinQuestion, 'repeatWindowMs' | 'spotCheckId'> & { answersSpotCheck: boolean }): CheckinKindOf {
  const day = businessDayOf(q.at, q.timeZone);
  const sameDay = q.earlier.filter((m) => m.at <= q.at && businessDayOf(m.at, q.timeZone) === day).sort(byTime);
  const of = (kind: 'sign-in' | 'sign-out', session: string | null): CheckinKindOf => ({
    // A spot check never ends a session: someone at work answers it, someone not yet there signs in.
    kind: q.answersSpotCheck ? (kind === 'sign-out' ? 'spot-check' : 'sign-in') : kind,
    session,
    day,
  });

  const schedule = q.rules ? (q.schedule ?? defaultWorkSchedule(q.rules)) : null;
  const windows = q.rules && schedule ? scheduledSessions(q.rules, schedule, day, q.timeZone) : [];
  if (!schedule || windows.length === 0) {
    const last = sameDay.filter((m) => m.kind !== 'spot-check').at(-1);
    return of(last?.kind === 'sign-in' ? 'sign-out' : 'sign-in', null);
  }

  const marks = assignMarks(windows, schedule, sameDay);
  const attended = (i: number) => marks[i]!.length > 0;
  const signedOut = (i: number) => marks[i]!.some((m) => m.kind === 'sign-out');
  const id = (i: number) => windows[i]!.session.id;

  const during = windows.findIndex((w) => w.start <= q.at && q.at < w.end);
  if (during >= 0) return of(attended(during) ? 'sign-out' : 'sign-in', id(during));

  const next = windows.findIndex((w) => q.at < w.start);
  const before = next < 0 ? windows.length - 1 : next - 1;
  const closes = schedule.signOutClosesMinutes * minuteMs;
  if (before >= 0 && q.at < windows[before]!.end + closes && attended(before) && !signedOut(before)) return of('sign-out', id(before));
  if (next >= 0) return of('sign-in', id(next));
  // After the day's last session: leaving late, or a sign-in that counts for no session.
  return attended(before) ? of('sign-out', id(before)) : of('sign-in', null);
}

/** A touch decided: a repeat of an earlier check-in, or a new one of this kind and session. */
export function decideCheckin(q: CheckinQuestion): CheckinDecision {
  const repeated = repeatedCheckin(q);
  return repeated ? { outcome: 'repeat', of: repeated } : { outcome: 'record', ...checkinKindOf({ ...q, answersSpotCheck: q.spotCheckId !== null }) };
}

export interface SettledCheckin {
  id: string;
  kind: CheckinKind;
  session: string | null;
}

/**
 * Every recorded check-in of a person, decided again in time order as the rule decides each touch
 * from the ones before it: what the hall server stores once it holds them all, however late or
 * in whatever order the kiosks sent them. Each was recorded as a touch of its own, so none is a
 * repeat here. Whether a spot check was open is the kiosk's to say: a record that names one, or
 * that the kiosk recorded as a spot-check answer, answers one.
 */
export function settleCheckins(q: Omit<CheckinQuestion, 'at' | 'spotCheckId' | 'earlier' | 'repeatWindowMs'> & { checkins: readonly PlacedCheckin[] }): SettledCheckin[] {
  const decided: PlacedCheckin[] = [];
  for (const touch of [...q.checkins].sort(byTime)) {
    const answersSpotCheck = touch.spotCheckId !== null || touch.kind === 'spot-check';
    const { kind, session } = checkinKindOf({ ...q, at: touch.at, answersSpotCheck, earlier: decided });
    decided.push({ ...touch, kind, session });
  }
  return decided.map(({ id, kind, session }) => ({ id, kind, session }));
}
