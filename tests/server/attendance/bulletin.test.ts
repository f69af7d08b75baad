import readXlsxFile from 'read-excel-file/node';
import { v7 as uuidv7 } from 'uuid';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CheckinRecord } from '../../../core/attendance/checkin.ts';
import { epochAtWallTime } from '../../../core/calendar/wall-clock.ts';
import { csvField } from '../../../server/attendance/bulletin-csv.ts';
import { addStaff } from '../../../server/staff/roster.ts';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { runServerCli } from '../support/server-cli.ts';
import { testAdmin } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

// The server's machine runs far from the hall; the bulletin must not notice.
process.env.TZ = 'America/Los_Angeles';

const at = (day: string, time: string) => epochAtWallTime(day, time, 'Asia/Shanghai');
const week = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'];

describe('CSV fields', () => {
  it('quotes what needs quoting and keeps formulas as text', () => {
    expect(csvField('张伟')).toBe('张伟');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(null)).toBe('');
    expect(csvField(1.5)).toBe('1.5');
  });
});

describeEngines('the monthly attendance bulletin', (engine) => {
  const hall = useHallServer(engine);
  let token: string;
  let kiosk: TestKiosk;

  const admin = (method: string, path: string, body?: unknown) => api(hall.server.url, method, path, { token, body });
  // Admin sessions last hours; the test's clock jumps days.
  const login = async () => {
    token = (await api(hall.server.url, 'POST', '/api/v1/admin/login', { body: testAdmin })).body.token;
  };

  function checkin(staffId: string, kind: CheckinRecord['kind'], day: string, time: string, clockOffsetMs = 0): void {
    // The device clock shows the true time minus its offset.
    const deviceAt = at(day, time) - clockOffsetMs;
    kiosk.custom('checkin.recorded', { id: uuidv7({ msecs: deviceAt }), staffId, kind, at: deviceAt, clockOffsetMs } satisfies CheckinRecord, deviceAt);
  }
  function fullDay(staffId: string, day: string, times = ['08:52', '12:01', '13:20', '17:02'], skip: number[] = []): void {
    const kinds = ['sign-in', 'sign-out', 'sign-in', 'sign-out'] as const;
    times.forEach((time, i) => {
      if (!skip.includes(i)) checkin(staffId, kinds[i]!, day, time);
    });
  }

  beforeEach(async () => {
    // The roster exists before the month starts.
    hall.clock.setTo(Date.parse('2026-02-27T01:00:00Z'));
    token = await hall.adminToken();
    kiosk = await hall.enrolKiosk('kiosk A');
    const people = [
      { id: '1001', name: '张伟', departmentId: 'market', counter: '3号窗口' },
      { id: '1002', name: '李娜', departmentId: 'market', counter: '4号窗口' },
      { id: '2001', name: '王芳', departmentId: 'social', counter: '21号窗口' },
      { id: '3001', name: '<i>赵敏</i>', departmentId: 'office', counter: null },
    ];
    for (const p of people) expect((await admin('POST', '/api/v1/admin/staff', p)).status).toBe(200);
    // Social's counters open early: its staff are due at 08:30.
    const schedule = await admin('PUT', '/api/v1/admin/work-schedules/social-early', {
      name: '人社窗口',
      sessions: [
        { id: 'morning', name: { zh: '上午', en: 'Morning' }, start: '08:30', end: '12:00' },
        { id: 'afternoon', name: { zh: '下午', en: 'Afternoon' }, start: '13:30', end: '17:00' },
      ],
    });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(200);
    expect((await admin('PUT', '/api/v1/admin/departments/social/work-schedule', { scheduleId: 'social-early' })).status).toBe(200);

    // The week of 2 March 2026.
    for (const day of week) {
      if (day === '2026-03-03') {
        // 张伟 late on Tuesday: his kiosk's clock is 2 minutes slow (shows 09:12 at 09:14).
        checkin('1001', 'sign-in', day, '09:14', 2 * 60_000);
        fullDay('1001', day, undefined, [0]);
      } else if (day !== '2026-03-04') fullDay('1001', day); // Wednesday: on leave
      if (day === '2026-03-05') fullDay('1002', day, undefined, [2, 3]); // Thursday afternoon: out
      else fullDay('1002', day);
      fullDay('2001', day, day === '2026-03-02' ? ['08:40', '12:01', '13:20', '17:02'] : ['08:25', '12:01', '13:20', '17:02']);
    }
    // The spot check on Thursday morning: 张伟 answers, 李娜 does not.
    checkin('1001', 'spot-check', '2026-03-05', '10:03');
    const pushed = await kiosk.push();
    expect(pushed.body.results.every((r: { status: string }) => r.status === 'applied')).toBe(true);

    const leave = await admin('POST', '/api/v1/admin/absences', { staffId: '1001', kind: 'leave', from: '2026-03-04', to: '2026-03-04', note: '事假' });
    expect(leave.status, JSON.stringify(leave.body)).toBe(200);
    expect(leave.body.absence).toMatchObject({ from: at('2026-03-04', '00:00'), to: at('2026-03-05', '00:00') });
    await admin('POST', '/api/v1/admin/absences', { staffId: '1002', kind: 'outing', from: '2026-03-05 13:30', to: '2026-03-05 17:00', note: '送件' });
    hall.server.clock.setTo(at('2026-03-05', '10:00'));
    await login();
    const check = await admin('POST', '/api/v1/admin/spot-checks', { departmentId: 'market', minutes: 15 });
    expect(check.status).toBe(200);
    // Friday evening, after the week's last sign-out window.
    hall.server.clock.setTo(at('2026-03-06', '20:00'));
    await login();
  });

  it('counts a late arrival, a leave day, an outing and a missed spot check', async () => {
    const response = await admin('GET', '/api/v1/admin/attendance/bulletin?month=2026-03');
    expect(response.status).toBe(200);
    const b = response.body.bulletin;
    const person = (id: string) => b.people.find((p: { staffId: string }) => p.staffId === id);
    expect(person('1001')).toMatchObject({ name: '张伟', sessionsDue: 8, onTime: 7, late: 1, lateMinutes: 14, leftEarly: 0, absent: 0, leaveDays: 1, outings: 0, spotChecks: 1, spotCheckAbsences: 0 });
    expect(person('1002')).toMatchObject({ sessionsDue: 9, onTime: 9, late: 0, leaveDays: 0, outings: 1, spotChecks: 1, spotCheckAbsences: 1 });
    // Under social's 08:30 schedule, 08:40 on Monday is late; under the hall's hours it would not be.
    expect(person('2001')).toMatchObject({ sessionsDue: 10, late: 1, lateMinutes: 10, spotChecks: 0 });
    expect(person('3001')).toMatchObject({ sessionsDue: 10, absent: 10 });
    expect(b.departments).toMatchObject([
      { departmentId: 'market', people: 2, late: 1, leaveDays: 1, outings: 1, spotCheckAbsences: 1 },
      { departmentId: 'office', people: 1, absent: 10 },
      { departmentId: 'social', people: 1, late: 1 },
    ]);
    expect(b.departmentNames.market).toBe('市场监督管理局');

    const market = await admin('GET', '/api/v1/admin/attendance/bulletin?month=2026-03&department=market');
    expect(market.body.bulletin.people.map((p: { staffId: string }) => p.staffId)).toEqual(['1001', '1002']);

    // The day view: who was where on Wednesday.
    const wednesday = await admin('GET', '/api/v1/admin/attendance/day?day=2026-03-04&department=market');
    expect(wednesday.body.people.map((p: { staffId: string; attendance: { sessions: { status: string }[] } }) => [p.staffId, p.attendance.sessions.map((s) => s.status)])).toEqual([
      ['1001', ['on-leave', 'on-leave']],
      ['1002', ['attended', 'attended']],
    ]);
  });

  it('counts a person added during a day from the first session that starts after they were added', async () => {
    // Added on Monday, as the admin's request would have stored them then (the test's clock is at Friday evening).
    const addAt = (time: string, person: { id: string; name: string }) => addStaff(hall.server.db.db, { now: () => at('2026-03-02', time) }, { ...person, departmentId: 'market', counter: null });
    await addAt('16:42', { id: '1003', name: '陈静' }); // during Monday afternoon: due from Tuesday morning
    await addAt('12:30', { id: '1004', name: '刘洋' }); // at lunch: due from Monday afternoon

    const b = (await admin('GET', '/api/v1/admin/attendance/bulletin?month=2026-03&department=market')).body.bulletin;
    const person = (id: string) => b.people.find((p: { staffId: string }) => p.staffId === id);
    expect(person('1003')).toMatchObject({ sessionsDue: 8, absent: 8, spotChecks: 1, spotCheckAbsences: 1 });
    expect(person('1004')).toMatchObject({ sessionsDue: 9, absent: 9 });

    const monday = await admin('GET', '/api/v1/admin/attendance/day?day=2026-03-02&department=market');
    const sessions = (id: string) => monday.body.people.find((p: { staffId: string }) => p.staffId === id).attendance.sessions.map((s: { sessionId: string; status: string }) => [s.sessionId, s.status]);
    expect(sessions('1003')).toEqual([]);
    expect(sessions('1004')).toEqual([['afternoon', 'absent']]);
    expect(sessions('1001')).toEqual([['morning', 'attended'], ['afternoon', 'attended']]);
  });

  it('follows the calendar the hall saved, not the bundled one: its holidays and its session times', async () => {
    const rules = structuredClone(demoHallRules);
    // Monday 2 March becomes a holiday, and the hall's winter mornings start at 09:15.
    rules.calendar.holidays.push({ name: { zh: '城市节', en: 'City day' }, from: '2026-03-02', to: '2026-03-02' });
    const timetable = rules.timetables.find((t) => t.id === 'hall')!;
    timetable.seasons.winter = timetable.seasons.winter!.map((s) => (s.id === 'morning' ? { ...s, start: '09:15' } : s));
    const saved = await admin('PUT', '/api/v1/admin/hall-calendar', rules);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const b = (await admin('GET', '/api/v1/admin/attendance/bulletin?month=2026-03')).body.bulletin;
    const person = (id: string) => b.people.find((p: { staffId: string }) => p.staffId === id);
    // Nobody is due on the holiday; 张伟's 09:14 on Tuesday is on time before a 09:15 start.
    expect(person('1001')).toMatchObject({ sessionsDue: 6, onTime: 6, late: 0, lateMinutes: 0, leaveDays: 1 });
    expect(person('3001')).toMatchObject({ sessionsDue: 8, absent: 8 });
    // Social keeps its own 08:30 schedule, but not on the holiday: its late Monday is gone.
    expect(person('2001')).toMatchObject({ sessionsDue: 8, late: 0 });

    // The CLI export (its clock is the real one, long after March) reads the same stored calendar:
    // over the whole month 张伟 is due as the API says after March, two sessions fewer than under the bundled rules.
    const dueAfterMarch = async () => {
      const b2 = (await admin('GET', '/api/v1/admin/attendance/bulletin?month=2026-03')).body.bulletin;
      return b2.people.find((p: { staffId: string }) => p.staffId === '1001').sessionsDue as number;
    };
    hall.server.clock.setTo(at('2026-04-01', '20:00'));
    await login();
    const due = await dueAfterMarch();
    const exported = await runServerCli(['attendance:export', '--month', '2026-03'], { db: hall.db });
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.replace(/^\uFEFF/, '').split('\n');
    const column = lines[0]!.split(',').indexOf('应到(次)');
    expect(lines.find((l) => l.includes('张伟'))!.split(',')[column]).toBe(String(due));
    await admin('PUT', '/api/v1/admin/hall-calendar', demoHallRules);
    expect(await dueAfterMarch()).toBe(due + 2);
  });

  it('shortens a leave when the person reports back (销假), and forgets a cancelled entry', async () => {
    const listed = await admin('GET', '/api/v1/admin/absences?month=2026-03&staffId=1001');
    expect(listed.body.absences).toMatchObject([{ kind: 'leave', note: '事假', createdBy: 'admin' }]);
    const leaveId = listed.body.absences[0].id;
    const zhang = async () => (await admin('GET', '/api/v1/admin/attendance/bulletin?month=2026-03&department=market')).body.bulletin.people[0];

    // Back at noon on Wednesday: the afternoon, with no check-in, is now an absence.
    const ended = await admin('POST', `/api/v1/admin/absences/${leaveId}/end`, { at: at('2026-03-04', '12:00') });
    expect(ended.body.absence.to).toBe(at('2026-03-04', '12:00'));
    expect(await zhang()).toMatchObject({ leaveDays: 0.5, absent: 1, sessionsDue: 9 });

    expect((await admin('DELETE', `/api/v1/admin/absences/${leaveId}`)).body).toMatchObject({ cancelled: true });
    expect(await zhang()).toMatchObject({ leaveDays: 0, absent: 2, sessionsDue: 10 });
    expect((await admin('DELETE', `/api/v1/admin/absences/${leaveId}`)).status).toBe(404);
    expect((await admin('GET', '/api/v1/admin/absences?month=2026-03&staffId=1001')).body.absences).toEqual([]);

    const refused = await admin('POST', '/api/v1/admin/absences', { staffId: '1001', kind: 'leave', from: '2026-03-10 14:00', to: '2026-03-10 09:00' });
    expect(refused.status).toBe(400);
    expect((await admin('POST', '/api/v1/admin/absences', { staffId: '1001', kind: 'leave', from: 'next tuesday', to: '2026-03-10' })).body.error.message).toContain('is not a day');
  });

  it('exports the bulletin as CSV (per person, per department) and as a workbook', async () => {
    const response = await fetch(`${hall.server.url}/api/v1/admin/attendance/bulletin.csv?month=2026-03`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="attendance-2026-03-person.csv"');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('月份,部门编号,部门,工号,姓名,窗口,应到(次),准时(次),迟到(次),迟到(分钟),早退(次),早退(分钟),缺勤(次),未签到(次),未签退(次),请假(天),外出(次),抽查(次),抽查缺岗(次)');
    expect(lines).toContain('2026-03,market,市场监督管理局,1001,张伟,3号窗口,8,7,1,14,0,0,0,0,0,1,0,1,0');
    expect(lines).toContain('2026-03,market,市场监督管理局,1002,李娜,4号窗口,9,9,0,0,0,0,0,0,0,0,1,1,1');
    expect(lines).toContain('2026-03,office,office,3001,<i>赵敏</i>,,10,0,0,0,0,0,10,0,0,0,0,0,0');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(6);

    const byDepartment = await api(hall.server.url, 'GET', '/api/v1/admin/attendance/bulletin.csv?month=2026-03&by=department', { token });
    const rows = (byDepartment.body as string).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toMatch(/^月份,部门编号,部门,人数,应到\(次\)/);
    expect(rows[1]).toBe('2026-03,market,市场监督管理局,2,17,16,1,14,0,0,0,0,0,1,1,2,1');
    expect(rows.at(-1)).toMatch(/^2026-03,,合计,4,/);

    // The same tables as a workbook: a sheet per person, one per department.
    const xlsx = await fetch(`${hall.server.url}/api/v1/admin/attendance/bulletin.xlsx?month=2026-03`, { headers: { authorization: `Bearer ${token}` } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const sheets = await readXlsxFile(Buffer.from(await xlsx.arrayBuffer()));
    expect(sheets.map((s) => s.sheet)).toEqual(['人员', '部门']);
    expect(sheets[0]!.data[0]!.slice(0, 6)).toEqual(['月份', '部门编号', '部门', '工号', '姓名', '窗口']);
    expect(sheets[0]!.data[1]).toEqual(['2026-03', 'market', '市场监督管理局', '1001', '张伟', '3号窗口', 8, 7, 1, 14, 0, 0, 0, 0, 0, 1, 0, 1, 0]);
    expect(sheets[1]!.data.at(-1)!.slice(2, 4)).toEqual(['合计', 4]);

    expect((await api(hall.server.url, 'GET', '/api/v1/admin/attendance/bulletin.csv?month=2026-03', { token: kiosk.token })).status).toBe(401);
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/attendance/bulletin.csv?month=2026-13', { token })).status).toBe(400);
  });

  it('serves the bulletin as a web page behind the admin login', async () => {
    const page = (path: string, cookie?: string) => fetch(`${hall.server.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    const anonymous = await page('/admin/attendance?month=2026-03');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`/admin/login?next=${encodeURIComponent('/admin/attendance?month=2026-03')}`);
    expect((await page('/admin/login')).status).toBe(200);

    const login = (password: string) =>
      fetch(`${hall.server.url}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'admin', password, next: '/admin/attendance?month=2026-03' }).toString(),
      });
    const wrong = await login('wrong password');
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get('location')).toMatch(/^\/admin\/login\?failed=1/);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const ok = await login('correct horse battery');
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin/attendance?month=2026-03');
    const setCookie = ok.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^hall_admin=[^;]+; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const cookie = setCookie.split(';')[0]!;

    const html = await page('/admin/attendance?month=2026-03', cookie);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
    const text = await html.text();
    expect(text).toContain('考勤通报 2026-03');
    expect(text).toContain('统计截至 2026-03-06 20:00（Asia/Shanghai）');
    expect(text).toContain('<td class="text">张伟</td>');
    expect(text).toContain('&lt;i&gt;赵敏&lt;/i&gt;');
    expect(text).not.toContain('<i>赵敏</i>');

    const csv = await page('/admin/attendance.csv?month=2026-03&by=department', cookie);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('2026-03,market,市场监督管理局,2,');
    // Someone else's site cannot send the admin onward: `next` stays on this server.
    const offsite = await fetch(`${hall.server.url}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'admin', password: 'correct horse battery', next: 'https://evil.example/' }).toString(),
    });
    expect(offsite.headers.get('location')).toBe('/admin/attendance');
  });
});
