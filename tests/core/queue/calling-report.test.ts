import { describe, expect, it } from 'vitest';
import { buildCallingReport, callingReportQuerySchema, monthSpan, nearestRank, reportFigures, serviceMsOf, waitByHour, waitMsOf, waitStartOf } from '../../../core/queue/calling-report.ts';
import type { ReportLeg } from '../../../core/queue/calling-report.ts';
import { counterActionName } from '../../../core/queue/counter-audit.ts';
import { minute, opening, today } from './fixtures.ts';

const tz = 'Asia/Shanghai';

/** A leg of svc-a at window 1 by s1, waiting from `from` minutes after 09:00. */
function rl(from: number, overrides: Partial<ReportLeg> & { calledAfter?: number; served?: number } = {}): ReportLeg {
  const { calledAfter, served, ...rest } = overrides;
  const waitFrom = opening + from * minute;
  const firstCalledAt = calledAfter === undefined ? null : waitFrom + calledAfter * minute;
  const done = served !== undefined && firstCalledAt !== null;
  return {
    serviceId: 'svc-a',
    window: firstCalledAt === null ? null : 1,
    staffId: firstCalledAt === null ? null : 's1',
    businessDay: today,
    state: done ? 'done' : firstCalledAt === null ? 'waiting' : 'called',
    waitFrom,
    firstCalledAt,
    startedAt: done ? firstCalledAt + minute : null,
    endedAt: done ? firstCalledAt + minute + served * minute : null,
    ...rest,
  };
}

describe('calling report figures', () => {
  it.each([
    [[], 90, null],
    [[7], 90, 7],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 11], 90, 10],
    [[5, 1, 3], 50, 3],
    [[5, 1, 3], 100, 5],
  ])('nearest-rank percentile of %j at p%i is %j', (values, p, expected) => {
    expect(nearestRank(values, p)).toBe(expected);
  });

  it.each([
    ['a first leg waits from its issue time', { parentLegId: null, issuedAt: 1000 }, 5000, 1000],
    ['a transfer waits from the transfer, not the original issue', { parentLegId: 'p', issuedAt: 1000 }, 5000, 5000],
    ['a transfer never before the issue time', { parentLegId: 'p', issuedAt: 9000 }, 5000, 9000],
  ])('%s', (_name, leg, createdAt, expected) => {
    expect(waitStartOf(leg, createdAt)).toBe(expected);
  });

  it.each([
    ['never called', { waitFrom: 0, firstCalledAt: null }, null],
    ['called after 4 min', { waitFrom: 0, firstCalledAt: 4 * minute }, 4 * minute],
    ['a clock that put the call first counts as no wait', { waitFrom: 5000, firstCalledAt: 1000 }, 0],
  ])('wait: %s', (_name, leg, expected) => {
    expect(waitMsOf(leg)).toBe(expected);
  });

  it.each([
    ['finished', { state: 'done', startedAt: 1000, endedAt: 61_000 }, 60_000],
    ['finished without 开始 (called and finished at once) has no service time', { state: 'done', startedAt: null, endedAt: 61_000 }, null],
    ['a no-show', { state: 'no-show', startedAt: null, endedAt: 61_000 }, null],
    ['transferred mid-service', { state: 'transferred', startedAt: 1000, endedAt: 61_000 }, null],
  ] as const)('service time: %s', (_name, leg, expected) => {
    expect(serviceMsOf(leg)).toBe(expected);
  });

  it('counts served, waits, service time, no-shows and transfers of a group', () => {
    const legs = [
      rl(0, { calledAfter: 2, served: 10 }),
      rl(1, { calledAfter: 4, served: 6 }),
      rl(2, { calledAfter: 6, state: 'no-show' }),
      rl(3, { calledAfter: 8, state: 'transferred' }),
      rl(4),
    ];
    expect(reportFigures(legs)).toEqual({
      legs: 5,
      served: 2,
      called: 4,
      waitAvgMs: 5 * minute,
      waitP90Ms: 8 * minute,
      serviceAvgMs: 8 * minute,
      noShows: 1,
      transfers: 1,
    });
    expect(reportFigures([])).toEqual({ legs: 0, served: 0, called: 0, waitAvgMs: null, waitP90Ms: null, serviceAvgMs: null, noShows: 0, transfers: 0 });
  });

  it('groups by service, window or staff, per day or per month, in order; a leg with no group counts in the total only', () => {
    const legs = [
      rl(0, { calledAfter: 1, served: 5, window: 10, staffId: 'zz' }),
      rl(0, { calledAfter: 3, served: 5, window: 2, staffId: 'aa', serviceId: 'svc-b' }),
      rl(24 * 60, { calledAfter: 5, served: 5, window: 10, staffId: 'zz', businessDay: '2026-03-03' }),
      rl(0),
      rl(0, { calledAfter: 1, served: 1, businessDay: '2026-04-01' }),
    ];
    const report = (by: 'service' | 'window' | 'staff', period: 'day' | 'month') => buildCallingReport({ legs, by, period, from: '2026-03-01', to: '2026-03-31', timeZone: tz });
    expect(report('window', 'day').rows.map((r) => [r.period, r.key, r.served])).toEqual([
      ['2026-03-02', '2', 1],
      ['2026-03-02', '10', 1],
      ['2026-03-03', '10', 1],
    ]);
    expect(report('window', 'month').rows.map((r) => [r.period, r.key, r.served, r.waitAvgMs])).toEqual([
      ['2026-03', '2', 1, 3 * minute],
      ['2026-03', '10', 2, 3 * minute],
    ]);
    expect(report('service', 'month').rows.map((r) => [r.key, r.legs])).toEqual([
      ['svc-a', 3],
      ['svc-b', 1],
    ]);
    expect(report('staff', 'day').rows.map((r) => [r.period, r.key])).toEqual([
      ['2026-03-02', 'aa'],
      ['2026-03-02', 'zz'],
      ['2026-03-03', 'zz'],
    ]);
    // The April leg is outside the month; the never-called one is in the total, in no window's row.
    expect(report('window', 'month').total).toMatchObject({ legs: 4, served: 3, called: 3 });
  });

  it('puts each wait in the hour of the hall day it began, in the hall time zone', () => {
    const legs = [
      rl(0, { calledAfter: 10 }), // 09:00
      rl(30, { calledAfter: 20 }), // 09:30
      rl(59, { calledAfter: 30 }), // 09:59
      rl(60, { calledAfter: 2 }), // 10:00
      rl(5 * 60, {}), // 14:00, not called: no wait
      rl(-9 * 60, { calledAfter: 1 }), // 00:00 hall time (16:00 UTC the day before)
    ];
    const hours = waitByHour(legs, tz);
    expect(hours).toHaveLength(24);
    expect(hours[9]).toEqual({ hour: 9, called: 3, waitAvgMs: 20 * minute, waitP90Ms: 30 * minute });
    expect(hours[10]).toEqual({ hour: 10, called: 1, waitAvgMs: 2 * minute, waitP90Ms: 2 * minute });
    expect(hours[14]).toEqual({ hour: 14, called: 0, waitAvgMs: null, waitP90Ms: null });
    expect(hours[0]!.called).toBe(1);
    // The same moments in UTC fall in other hours.
    expect(waitByHour(legs, 'UTC')[1]!.called).toBe(3);
  });

  it.each([
    [{}, true],
    [{ by: 'window', day: '2026-03-02' }, true],
    [{ by: 'staff', month: '2026-02', period: 'day' }, true],
    [{ day: '2026-03-02', month: '2026-03' }, false],
    [{ day: '2026-03-02', period: 'month' }, false],
    [{ by: 'department' }, false],
    [{ month: '2026-13' }, false],
  ])('report query %j valid: %s', (query, valid) => {
    expect(callingReportQuerySchema.safeParse(query).success).toBe(valid);
  });

  it('spans a month from its first to its last day', () => {
    expect(monthSpan('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthSpan('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it.each([
    ['call', '叫号'],
    ['no-show', '过号'],
    ['sign-in', '签到'],
    ['close', '签退'],
    ['something-new', 'something-new'],
  ])('the audit names %s %s', (action, zh) => {
    expect(counterActionName(action).zh).toBe(zh);
  });
});
