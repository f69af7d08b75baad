import { describe, expect, it } from 'vitest';
import { hallRulesSchema, parseHallRules, type HallRules, type Session } from '../../../core/calendar/calendar-rules.ts';
import { demoCatalog, demoHallRules } from '../../support/demo-hall.ts';

/** Validate a copy of the demo rules after one edit, as the server would before publishing. */
function errorsAfter(edit: (r: HallRules) => void): string[] {
  const rules = structuredClone(demoHallRules);
  edit(rules);
  const result = parseHallRules(JSON.parse(JSON.stringify(rules)));
  return result.ok ? [] : result.errors;
}

const hall = (r: HallRules) => r.timetables[0]!;
const summer = (r: HallRules): Session[] => hall(r).seasons.summer!;

describe('hall rules: the demo set', () => {
  it('is valid and survives a JSON round trip, as it does on its way from the server', () => {
    const wire = JSON.parse(JSON.stringify(demoHallRules));
    expect(parseHallRules(wire)).toEqual({ ok: true, rules: demoHallRules });
    expect(hallRulesSchema.parse(wire)).toEqual(demoHallRules);
  });

  it('covers every demo catalog service with the catalog’s daily quota', () => {
    const byId = new Map(demoHallRules.services.map((s) => [s.serviceId, s]));
    expect([...byId.keys()].sort()).toEqual(demoCatalog.services.map((s) => s.id).sort());
    for (const s of demoCatalog.services) expect(byId.get(s.id)?.quota?.perDay, s.id).toBe(s.dailyQuota);
  });
});

describe('hall rules: validation names the exact path', () => {
  const cases: { name: string; edit: (r: HallRules) => void; errors: string[] }[] = [
    {
      name: 'session ending before it starts',
      edit: (r) => { summer(r)[1] = { ...summer(r)[1]!, end: '13:00', issueUntil: '13:00' }; },
      errors: [
        'timetables.0.seasons.summer.1.end: end 13:00 is not after start 14:00',
        'timetables.0.seasons.summer.1.issueUntil: issueUntil 13:00 is outside the session 14:00–13:00',
      ],
    },
    {
      name: 'overlapping sessions',
      edit: (r) => { summer(r)[0]!.end = '14:30'; },
      errors: ['timetables.0.seasons.summer.1.start: session afternoon (14:00–18:00) overlaps session morning (09:00–14:30)'],
    },
    {
      name: 'sessions on different weekdays may share hours',
      edit: (r) => { summer(r).push({ id: 'saturday', name: { zh: '周六', en: 'Saturday' }, start: '10:00', end: '15:00', weekdays: [6] }); },
      errors: [],
    },
    {
      name: 'the same session id twice on one weekday',
      edit: (r) => { summer(r)[1]!.id = 'morning'; },
      errors: ['timetables.0.seasons.summer.1.id: session id morning is used twice on the same weekday'],
    },
    {
      name: 'issue window ending after the session',
      edit: (r) => { summer(r)[0]!.issueUntil = '12:30'; },
      errors: ['timetables.0.seasons.summer.0.issueUntil: issueUntil 12:30 is outside the session 09:00–12:00'],
    },
    {
      name: 'a time that is not HH:MM',
      edit: (r) => { summer(r)[0]!.start = '9:00'; },
      errors: ['timetables.0.seasons.summer.0.start: time must be HH:MM between 00:00 and 23:59'],
    },
    {
      name: '24:00 is not a time',
      edit: (r) => { summer(r)[1]!.end = '24:00'; },
      errors: ['timetables.0.seasons.summer.1.end: time must be HH:MM between 00:00 and 23:59'],
    },
    {
      name: 'a weekday out of range',
      edit: (r) => { summer(r)[0]!.weekdays = [0, 1]; },
      errors: ['timetables.0.seasons.summer.0.weekdays.0: Too small: expected number to be >=1'],
    },
    {
      name: 'a gap between seasons',
      edit: (r) => { r.seasons[0]!.to = '09-15'; },
      errors: ['seasons: no season covers 09-16–09-30'],
    },
    {
      name: 'overlapping seasons',
      edit: (r) => { r.seasons[1]!.from = '09-20'; },
      errors: ['seasons.1.from: overlaps season summer on 09-20–09-30'],
    },
    {
      name: 'a season on a day that does not exist',
      edit: (r) => { r.seasons[1]!.to = '04-31'; },
      errors: ['seasons.1.to: not a month-day (MM-DD)'],
    },
    {
      name: 'a timetable without one of the seasons',
      edit: (r) => { delete hall(r).seasons.winter; },
      errors: ['timetables.0.seasons: no sessions for season winter (use [] if closed all season)'],
    },
    {
      name: 'a timetable for an unknown season',
      edit: (r) => { hall(r).seasons.spring = []; },
      errors: ['timetables.0.seasons.spring: unknown season spring'],
    },
    {
      name: 'an unknown hall timetable',
      edit: (r) => { r.hallTimetableId = 'main'; },
      errors: ['hallTimetableId: unknown timetable main'],
    },
    {
      name: 'a duplicate timetable id',
      edit: (r) => { r.timetables.push(structuredClone(r.timetables[0]!)); },
      errors: ['timetables.4.id: duplicate id hall'],
    },
    {
      name: 'a counter group with an unknown timetable',
      edit: (r) => { r.counterGroups[0]!.timetableId = 'market-hours'; },
      errors: ['counterGroups.0.timetableId: unknown timetable market-hours'],
    },
    {
      name: 'a service in an unknown counter group',
      edit: (r) => { r.services[0]!.counterGroupId = 'market-2f'; },
      errors: ['services.0.counterGroupId: unknown counter group market-2f'],
    },
    {
      name: 'a service listed twice',
      edit: (r) => { r.services[1]!.serviceId = 'biz-registration'; },
      errors: ['services.1.serviceId: duplicate serviceId biz-registration'],
    },
    {
      name: 'a 24-hour service with a timetable',
      edit: (r) => { r.services[3]!.timetableId = 'hall'; },
      errors: ['services.3.timetableId: an around-the-clock service has no timetable'],
    },
    {
      name: 'a session quota for a session the service does not have',
      edit: (r) => { r.services[6]!.quota!.perSession!.evening = 10; },
      errors: ['services.6.quota.perSession.evening: timetable hall has no session evening'],
    },
    {
      name: 'a session quota on a 24-hour service',
      edit: (r) => { r.services[3]!.quota = { perDay: 300, perSession: { morning: 10 } }; },
      errors: ['services.3.quota.perSession: an around-the-clock service has no sessions to limit'],
    },
    {
      name: 'a zero quota',
      edit: (r) => { r.services[0]!.quota!.perDay = 0; },
      errors: ['services.0.quota.perDay: Too small: expected number to be >0'],
    },
    {
      name: 'a holiday on a date that does not exist',
      edit: (r) => { r.calendar.holidays[1]!.to = '2026-02-30'; },
      errors: ['calendar.holidays.1.to: not a calendar date (YYYY-MM-DD)'],
    },
    {
      name: 'a holiday ending before it starts',
      edit: (r) => { r.calendar.holidays[6]!.to = '2026-09-07'; },
      errors: ['calendar.holidays.6.to: holiday ends 2026-09-07, before it starts 2026-10-01'],
    },
    {
      name: 'an adjusted workday that is already a weekday',
      edit: (r) => { r.calendar.workdays[5]!.date = '2026-10-09'; },
      errors: ['calendar.workdays.5.date: 2026-10-09 is a weekday already; an adjusted workday (调休) is a Saturday or Sunday'],
    },
    {
      name: 'an adjusted workday inside a holiday',
      edit: (r) => { r.calendar.workdays[5]!.date = '2026-10-03'; },
      errors: ['calendar.workdays.5.date: 2026-10-03 falls in the holiday 国庆节 (2026-10-01–2026-10-07)'],
    },
    {
      name: 'an adjusted workday listed twice',
      edit: (r) => { r.calendar.workdays[2]!.date = '2026-02-14'; },
      errors: ['calendar.workdays.2.date: duplicate adjusted workday 2026-02-14'],
    },
    {
      name: 'an adjusted workday keeping Saturday hours',
      edit: (r) => { r.calendar.workdays[0]!.asWeekday = 6; },
      errors: ['calendar.workdays.0.asWeekday: Too big: expected number to be <=5'],
    },
    {
      name: 'a future schema version',
      edit: (r) => { (r as { schemaVersion: number }).schemaVersion = 2; },
      errors: ['schemaVersion: Invalid input: expected 1'],
    },
  ];

  it.each(cases)('$name', ({ edit, errors }) => {
    expect(errorsAfter(edit)).toEqual(errors);
  });

  it('refuses what is not an object', () => {
    expect(parseHallRules(null)).toEqual({ ok: false, errors: ['(root): Invalid input: expected object, received null'] });
  });
});
