import type { HallRules, Session } from '../core/calendar/calendar-rules.ts';

/**
 * Rules for the demo catalog's services, used until the kiosk has pulled the hall's own. The
 * 2026 holidays and 调休 days are the State Council's published arrangement; the weekday each
 * adjusted workday keeps is the hall's choice (the national notice does not set one).
 */

const morning = (issueUntil: string, weekdays?: number[]): Session => ({
  id: 'morning', name: { zh: '上午', en: 'Morning' }, start: '09:00', end: '12:00', issueUntil, ...(weekdays ? { weekdays } : {}),
});
const afternoon = (start: string, end: string, issueUntil: string): Session => ({
  id: 'afternoon', name: { zh: '下午', en: 'Afternoon' }, start, end, issueUntil,
});
const summerAfternoon = (issueUntil = '17:30'): Session => afternoon('14:00', '18:00', issueUntil);
const winterAfternoon = (issueUntil = '16:30'): Session => afternoon('13:30', '17:00', issueUntil);

const holiday = (zh: string, en: string, from: string, to: string): HallRules['calendar']['holidays'][number] => ({ name: { zh, en }, from, to });

export const demoHallRules: HallRules = {
  schemaVersion: 1,
  revision: 0,
  hallTimetableId: 'hall',
  seasons: [
    { id: 'summer', name: { zh: '夏季作息', en: 'Summer hours' }, from: '05-01', to: '09-30' },
    { id: 'winter', name: { zh: '冬季作息', en: 'Winter hours' }, from: '10-01', to: '04-30' },
  ],
  timetables: [
    {
      id: 'hall',
      name: { zh: '大厅作息时间', en: 'Hall hours' },
      seasons: { summer: [morning('11:30'), summerAfternoon()], winter: [morning('11:30'), winterAfternoon()] },
    },
    {
      // Exit-entry and residence counters also open on Saturday mornings.
      id: 'public-security',
      name: { zh: '公安窗口（周六上午照常）', en: 'Public security (also Saturday mornings)' },
      seasons: {
        summer: [morning('11:30', [1, 2, 3, 4, 5, 6]), summerAfternoon()],
        winter: [morning('11:30', [1, 2, 3, 4, 5, 6]), winterAfternoon()],
      },
    },
    {
      // A transfer registration takes long: numbers stop earlier so the day's queue is served.
      id: 'real-estate',
      name: { zh: '不动产登记窗口', en: 'Real estate counters' },
      seasons: { summer: [morning('11:00'), summerAfternoon('16:30')], winter: [morning('11:00'), winterAfternoon('16:00')] },
    },
    {
      id: 'pension-transfer',
      name: { zh: '养老保险关系转移（周一、三、五上午）', en: 'Pension transfer (Mon, Wed, Fri mornings)' },
      seasons: { summer: [morning('11:30', [1, 3, 5])], winter: [morning('11:30', [1, 3, 5])] },
    },
  ],
  counterGroups: [
    { id: 'market', name: { zh: '市场监管 1–10号窗口', en: 'Market regulation, counters 1–10' }, timetableId: 'hall' },
    { id: 'social', name: { zh: '人社 21–27号窗口', en: 'Human resources, counters 21–27' }, timetableId: 'hall' },
    { id: 'housing-fund', name: { zh: '公积金 31–37号窗口', en: 'Housing fund, counters 31–37' }, timetableId: 'hall' },
    { id: 'public-security', name: { zh: '公安 41–48号窗口', en: 'Public security, counters 41–48' }, timetableId: 'public-security' },
    { id: 'real-estate', name: { zh: '不动产 51–58号窗口', en: 'Real estate, counters 51–58' }, timetableId: 'real-estate' },
  ],
  services: [
    { serviceId: 'biz-registration', counterGroupId: 'market', quota: { perDay: 200 } },
    { serviceId: 'sole-trader', counterGroupId: 'market', quota: { perDay: 150 } },
    { serviceId: 'food-licence', counterGroupId: 'market', quota: { perDay: 80 } },
    // 24小时自助服务区: the card-making machine and the fund withdrawal terminal never close.
    { serviceId: 'ss-card', aroundTheClock: true, quota: { perDay: 300 } },
    { serviceId: 'fund-withdrawal', aroundTheClock: true, quota: { perDay: 250 } },
    { serviceId: 'pension', counterGroupId: 'social', timetableId: 'pension-transfer', quota: { perDay: 100 } },
    { serviceId: 'fund-loan', counterGroupId: 'housing-fund', quota: { perDay: 60, perSession: { morning: 30, afternoon: 30 } } },
    { serviceId: 'residence-permit', counterGroupId: 'public-security', quota: { perDay: 200, perSession: { morning: 120 } } },
    { serviceId: 'exit-entry', counterGroupId: 'public-security', quota: { perDay: 150 } },
    { serviceId: 're-transfer', counterGroupId: 'real-estate', quota: { perDay: 120, perSession: { morning: 60, afternoon: 60 } } },
    { serviceId: 're-mortgage', counterGroupId: 'real-estate', quota: { perDay: 100 } },
  ],
  calendar: {
    holidays: [
      holiday('元旦', "New Year's Day", '2026-01-01', '2026-01-03'),
      holiday('春节', 'Spring Festival', '2026-02-15', '2026-02-23'),
      holiday('清明节', 'Qingming Festival', '2026-04-04', '2026-04-06'),
      holiday('劳动节', 'Labour Day', '2026-05-01', '2026-05-05'),
      holiday('端午节', 'Dragon Boat Festival', '2026-06-19', '2026-06-21'),
      holiday('中秋节', 'Mid-Autumn Festival', '2026-09-25', '2026-09-27'),
      holiday('国庆节', 'National Day', '2026-10-01', '2026-10-07'),
    ],
    workdays: [
      { date: '2026-01-04', asWeekday: 5, name: { zh: '元旦调休上班', en: "New Year's make-up workday" } },
      { date: '2026-02-14', asWeekday: 5, name: { zh: '春节调休上班', en: 'Spring Festival make-up workday' } },
      { date: '2026-02-28', asWeekday: 5, name: { zh: '春节调休上班', en: 'Spring Festival make-up workday' } },
      { date: '2026-05-09', asWeekday: 5, name: { zh: '劳动节调休上班', en: 'Labour Day make-up workday' } },
      { date: '2026-09-20', asWeekday: 2, name: { zh: '国庆节调休上班', en: 'National Day make-up workday' } },
      { date: '2026-10-10', asWeekday: 3, name: { zh: '国庆节调休上班', en: 'National Day make-up workday' } },
    ],
  },
};
