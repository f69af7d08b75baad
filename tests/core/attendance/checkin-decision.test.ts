import { describe, expect, it } from 'vitest';
import {
  checkinRepeatWindowMs, decideCheckin, settleCheckins, type CheckinDecision, type PlacedCheckin,
} from '../../../core/attendance/checkin-decision.ts';
import { workScheduleSchema } from '../../../core/attendance/schedule.ts';
import type { WorkSchedule } from '../../../core/attendance/schedule.ts';
import { epochAtWallTime } from '../../../core/calendar/wall-clock.ts';
import type { HallRules } from '../../../core/calendar/calendar-rules.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

// The machine runs far from the hall: any use of its zone instead of the hall's shows up.
process.env.TZ = 'America/Los_Angeles';

const zone = 'Asia/Shanghai';
// Winter hours on the demo calendar: morning 09:00–12:00, afternoon 13:30–17:00; sign-in opens an
// hour before the day's first session, a sign-out counts up to an hour after its session.
const rules = demoHallRules;
const monday = '2026-03-02';
const saturday = '2026-03-07';
const at = (day: string, time: string) => epochAtWallTime(day, time, zone);

type Seen = 'repeat' | `${'sign-in' | 'sign-out' | 'spot-check'}@${string}`;
const seen = (d: CheckinDecision): Seen => (d.outcome === 'repeat' ? 'repeat' : `${d.kind}@${d.session ?? '-'}`);

/**
 * One person touching the reader at these hall times, each touch decided from the ones recorded
 * before it (a repeat records nothing), as a kiosk online or the hall server does.
 */
function touches(day: string, times: readonly (string | { time: string; spotCheckId: string })[], options: { rules?: HallRules | null; schedule?: WorkSchedule } = {}): Seen[] {
  const recorded: PlacedCheckin[] = [];
  return times.map((touch, n) => {
    const { time, spotCheckId } = typeof touch === 'string' ? { time: touch, spotCheckId: null } : touch;
    const decision = decideCheckin({
      rules: options.rules === undefined ? rules : options.rules,
      ...(options.schedule ? { schedule: options.schedule } : {}),
      timeZone: zone,
      at: at(day, time),
      spotCheckId,
      earlier: recorded,
    });
    if (decision.outcome === 'record') recorded.push({ id: `c${n}`, kind: decision.kind, at: at(day, time), session: decision.session, spotCheckId });
    return seen(decision);
  });
}

describe('sign-in or sign-out, from the schedule and the check-ins before', () => {
  it('a normal day: in and out of each session', () => {
    expect(touches(monday, ['08:52', '12:01', '13:20', '17:02'])).toEqual(['sign-in@morning', 'sign-out@morning', 'sign-in@afternoon', 'sign-out@afternoon']);
  });

  it('the first touch of a session signs in, later ones sign out', () => {
    expect(touches(monday, ['10:30', '11:00', '11:40'])).toEqual(['sign-in@morning', 'sign-out@morning', 'sign-out@morning']);
  });

  it('at lunch, a touch signs out of a morning still open, else signs in early for the afternoon', () => {
    expect(touches(monday, ['08:55', '12:30'])).toEqual(['sign-in@morning', 'sign-out@morning']);
    expect(touches(monday, ['08:55', '11:50', '12:10'])).toEqual(['sign-in@morning', 'sign-out@morning', 'sign-in@afternoon']);
    // An hour after the morning ended its sign-out no longer counts: this is the afternoon.
    expect(touches(monday, ['08:55', '13:00'])).toEqual(['sign-in@morning', 'sign-in@afternoon']);
  });

  it('is not fooled by a hard-coded noon: a session that runs past 12:00 keeps its sign-out', () => {
    const late: WorkSchedule = workScheduleSchema.parse({
      id: 'long-morning',
      name: '延时上午',
      sessions: [
        { id: 'morning', name: { zh: '上午', en: 'Morning' }, start: '09:00', end: '12:30' },
        { id: 'afternoon', name: { zh: '下午', en: 'Afternoon' }, start: '14:00', end: '17:30' },
      ],
    });
    expect(touches(monday, ['08:50', '12:15', '13:55', '17:40'], { schedule: late })).toEqual(['sign-in@morning', 'sign-out@morning', 'sign-in@afternoon', 'sign-out@afternoon']);
  });

  it('after the day’s last session: leaving late signs out, someone who never came signs in for no session', () => {
    expect(touches(monday, ['13:40', '18:30'])).toEqual(['sign-in@afternoon', 'sign-out@afternoon']);
    expect(touches(monday, ['17:30'])).toEqual(['sign-in@-']);
  });

  it('a touch within the repeat window of the last repeats it; one after it counts', () => {
    expect(touches(monday, ['09:10', '09:12', '09:14:59'])).toEqual(['sign-in@morning', 'repeat', 'repeat']);
    expect(touches(monday, ['09:10', '09:15'])).toEqual(['sign-in@morning', 'sign-out@morning']);
    expect(checkinRepeatWindowMs).toBe(5 * 60_000);
  });

  it('a day without sessions alternates sign-in and sign-out; so does a hall without a calendar', () => {
    expect(touches(saturday, ['10:00', '15:00', '16:00'])).toEqual(['sign-in@-', 'sign-out@-', 'sign-in@-']);
    expect(touches(monday, ['10:00', '15:00'], { rules: null })).toEqual(['sign-in@-', 'sign-out@-']);
  });

  it('follows the person’s own schedule when given one', () => {
    const early: WorkSchedule = workScheduleSchema.parse({
      id: 'early',
      name: '早班',
      sessions: [{ id: 'early-shift', name: { zh: '早班', en: 'Early shift' }, start: '07:00', end: '11:00' }],
    });
    expect(touches(monday, ['06:50', '11:05', '13:40'], { schedule: early })).toEqual(['sign-in@early-shift', 'sign-out@early-shift', 'sign-out@early-shift']);
  });
});

describe('answering a spot check (抽查)', () => {
  const check = { spotCheckId: '0193a8d2-0000-7000-8000-00000000c0c0' };

  it('someone at work answers with a spot-check, never a sign-out; someone not yet there signs in', () => {
    expect(touches(monday, ['08:55', { time: '10:00', ...check }])).toEqual(['sign-in@morning', 'spot-check@morning']);
    expect(touches(monday, [{ time: '10:00', ...check }])).toEqual(['sign-in@morning']);
  });

  it('answers once, however soon after a sign-in; a second answer repeats the first', () => {
    expect(touches(monday, ['09:58', { time: '10:00', ...check }, { time: '10:20', ...check }])).toEqual(['sign-in@morning', 'spot-check@morning', 'repeat']);
  });
});

describe('what a decision reads', () => {
  const earlier = (time: string, day = monday): PlacedCheckin => ({ id: `e-${day}-${time}`, kind: 'sign-in', at: at(day, time), session: 'morning', spotCheckId: null });

  it('ignores check-ins of other days and any after the touch', () => {
    const decision = decideCheckin({ rules, timeZone: zone, at: at(monday, '09:30'), spotCheckId: null, earlier: [earlier('09:00', '2026-02-27'), earlier('10:00')] });
    expect(decision).toEqual({ outcome: 'record', kind: 'sign-in', session: 'morning', day: monday });
  });

  it('reads check-ins from any kiosk the same: the one it is shown decides', () => {
    const fromAnotherKiosk = earlier('08:58');
    expect(decideCheckin({ rules, timeZone: zone, at: at(monday, '17:01'), spotCheckId: null, earlier: [] })).toMatchObject({ kind: 'sign-in' });
    expect(decideCheckin({ rules, timeZone: zone, at: at(monday, '11:59'), spotCheckId: null, earlier: [fromAnotherKiosk] })).toMatchObject({ kind: 'sign-out', session: 'morning' });
  });

  it('names the hall day of the touch, not the machine’s', () => {
    // 00:30 in Shanghai is still the previous evening in Los Angeles.
    expect(decideCheckin({ rules, timeZone: zone, at: at('2026-03-03', '00:30'), spotCheckId: null, earlier: [] })).toMatchObject({ day: '2026-03-03' });
  });
});

describe('settling a person’s check-ins on the hall server', () => {
  const placed = (id: string, time: string, kind: PlacedCheckin['kind'] = 'sign-in', spotCheckId: string | null = null): PlacedCheckin => ({ id, kind, at: at(monday, time), session: null, spotCheckId });

  it('decides each in time order, whatever kind the kiosks guessed and whatever order they came in', () => {
    // Kiosk B was offline at 08:50 and guessed sign-in; kiosk A online at 12:05 was told sign-in too.
    const day = [placed('a', '12:05'), placed('b', '08:50'), placed('c', '13:31'), placed('d', '17:10', 'sign-in')];
    const settled = settleCheckins({ rules, timeZone: zone, checkins: day });
    expect(settled).toEqual([
      { id: 'b', kind: 'sign-in', session: 'morning' },
      { id: 'a', kind: 'sign-out', session: 'morning' },
      { id: 'c', kind: 'sign-in', session: 'afternoon' },
      { id: 'd', kind: 'sign-out', session: 'afternoon' },
    ]);
    expect(settleCheckins({ rules, timeZone: zone, checkins: [...day].reverse() })).toEqual(settled);
  });

  it('keeps two touches close together on two offline kiosks as two check-ins', () => {
    expect(settleCheckins({ rules, timeZone: zone, checkins: [placed('x', '08:50'), placed('y', '08:52')] }).map((c) => c.kind)).toEqual(['sign-in', 'sign-in']);
    expect(settleCheckins({ rules, timeZone: zone, checkins: [placed('x', '09:50'), placed('y', '09:52')] }).map((c) => c.kind)).toEqual(['sign-in', 'sign-out']);
  });

  it('keeps a spot check answer an answer: one that names the check, or that the kiosk recorded as one', () => {
    const check = '0193a8d2-0000-7000-8000-00000000c0c0';
    expect(settleCheckins({ rules, timeZone: zone, checkins: [placed('s', '10:00', 'sign-in', check), placed('i', '08:55'), placed('t', '10:30', 'spot-check'), placed('o', '12:01')] })).toEqual([
      { id: 'i', kind: 'sign-in', session: 'morning' },
      { id: 's', kind: 'spot-check', session: 'morning' },
      { id: 't', kind: 'spot-check', session: 'morning' },
      { id: 'o', kind: 'sign-out', session: 'morning' },
    ]);
  });
});
