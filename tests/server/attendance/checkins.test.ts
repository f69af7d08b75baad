import { v7 as uuidv7 } from 'uuid';
import { beforeEach, expect, it } from 'vitest';
import type { CheckinRecord } from '../../../core/attendance/checkin.ts';
import { epochAtWallTime } from '../../../core/calendar/wall-clock.ts';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import { countRows, inspect } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import type { TestKiosk } from '../support/kiosk.ts';

const at = (day: string, time: string) => epochAtWallTime(day, time, 'Asia/Shanghai');
const statuses = (response: { body: { results: { status: string }[] } }) => response.body.results.map((r) => r.status);

describeEngines('check-in events', (engine) => {
  const hall = useHallServer(engine, { kiosk: 'kiosk A' });
  let token: string;

  beforeEach(async () => {
    token = await hall.adminToken();
    for (const [id, name] of [['1001', '张伟'], ['1002', '李娜']]) {
      await api(hall.server.url, 'POST', '/api/v1/admin/staff', { token, body: { id, name, departmentId: 'market' } });
    }
  });

  function checkin(staffId: string, kind: CheckinRecord['kind'], deviceAt: number, extra: Partial<CheckinRecord> = {}): CheckinRecord {
    const record: CheckinRecord = { id: uuidv7({ msecs: deviceAt }), staffId, kind, at: deviceAt, clockOffsetMs: 0, ...extra };
    hall.kiosk.custom('checkin.recorded', record, deviceAt);
    return record;
  }
  const checkins = () => inspect(hall.db, (k) => k.selectFrom('checkins').selectAll().orderBy('corrected_at').execute());

  it('stores each check-in exactly once, however often the batch is replayed', async () => {
    const day = '2026-03-02';
    checkin('1001', 'sign-in', at(day, '08:51'));
    // Mixed with ticket events: the fast path hands the check-ins to the per-event path.
    hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 1, issuedAt: at(day, '09:01') });
    checkin('1002', 'sign-in', at(day, '09:12'));
    checkin('1001', 'sign-out', at(day, '12:02'));

    const first = await hall.kiosk.push();
    expect(first.status).toBe(200);
    expect(statuses(first)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const replays = await Promise.all([hall.kiosk.push(), hall.kiosk.push(), hall.kiosk.push()]);
    for (const r of replays) expect(statuses(r)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(await checkins()).toHaveLength(3);
    expect(await countRows(hall.db)).toMatchObject({ tickets: 1, device_events: 4, dead_letters: 0 });
  });

  it('applies concurrent first pushes of the same check-ins once', async () => {
    for (let n = 0; n < 12; n++) checkin(n % 2 ? '1001' : '1002', 'spot-check', at('2026-03-02', '10:00') + n * 1000);
    const responses = await Promise.all(Array.from({ length: 4 }, () => hall.kiosk.push()));
    const applied = responses.flatMap((r) => r.body.results ?? []).filter((r: { status: string }) => r.status === 'applied');
    expect(applied).toHaveLength(12);
    expect(await checkins()).toHaveLength(12);
  });

  it('makes the record id unique on its own: the same record under a new seq changes nothing', async () => {
    const record = checkin('1001', 'sign-in', at('2026-03-02', '08:55'));
    await hall.kiosk.push();
    // A kiosk that rebuilt its outbox sends the record again as a new event.
    hall.kiosk.custom('checkin.recorded', record, record.at);
    // …and a different record reusing the id is refused.
    hall.kiosk.custom('checkin.recorded', { ...record, staffId: '1002' }, record.at);
    const again = await hall.kiosk.push(hall.kiosk.outbox.slice(1));
    expect(again.body.results).toMatchObject([
      { seq: 2, status: 'applied' },
      { seq: 3, status: 'dead-lettered', reason: expect.stringContaining('already recorded as a different check-in') },
    ]);
    expect(await checkins()).toHaveLength(1);
  });

  it('files the corrected time: device time plus the kiosk offset, else the event or batch offset', async () => {
    const deviceAt = at('2026-03-02', '09:00');
    checkin('1001', 'sign-in', deviceAt, { clockOffsetMs: 7 * 60_000 });
    checkin('1002', 'sign-in', deviceAt, { clockOffsetMs: undefined });
    await hall.kiosk.push(hall.kiosk.outbox, { clockOffsetMs: -30_000 });
    const rows = await checkins();
    expect(rows.map((r) => [r.staff_id, r.at, r.clock_offset_ms, r.corrected_at])).toEqual([
      ['1002', deviceAt, -30_000, deviceAt - 30_000],
      ['1001', deviceAt, 420_000, deviceAt + 420_000],
    ]);
    expect(rows[0]!.device_id).toBe(hall.kiosk.deviceId);
  });

  it('dead-letters a check-in of someone the server never had, and applies what follows', async () => {
    checkin('9999', 'sign-in', at('2026-03-02', '08:55'));
    checkin('1001', 'sign-in', at('2026-03-02', '08:56'));
    const response = await hall.kiosk.push();
    expect(response.body.results).toMatchObject([
      { seq: 1, status: 'dead-lettered', reason: expect.stringContaining('no staff member 9999') },
      { seq: 2, status: 'applied' },
    ]);
    const letters = await api(hall.server.url, 'GET', '/api/v1/admin/dead-letters', { token });
    expect(letters.body.deadLetters).toMatchObject([{ type: 'checkin.recorded' }]);
  });

  it('keeps a deactivated person’s check-ins taken before the kiosk heard of it', async () => {
    await api(hall.server.url, 'POST', '/api/v1/admin/staff/1002/deactivate', { token });
    checkin('1002', 'sign-out', at('2026-03-02', '12:00'));
    expect(statuses(await hall.kiosk.push())).toEqual(['applied']);
  });

  it('shows open spot checks in the pull until they end', async () => {
    const none = await hall.kiosk.pull();
    expect(none.body.spotChecks).toEqual([]);
    const started = await api(hall.server.url, 'POST', '/api/v1/admin/spot-checks', { token, body: { departmentId: 'market', minutes: 20 } });
    expect(started.status).toBe(200);
    const check = started.body.spotCheck;
    expect(check).toMatchObject({ departmentId: 'market', endsAt: check.startedAt + 20 * 60_000, startedBy: 'admin' });
    const everyone = await api(hall.server.url, 'POST', '/api/v1/admin/spot-checks', { token });
    expect(everyone.body.spotCheck).toMatchObject({ departmentId: null, endsAt: everyone.body.spotCheck.startedAt + 30 * 60_000 });

    const open = await hall.kiosk.pull();
    expect(open.body.spotChecks.map((c: { id: string }) => c.id)).toEqual([check.id, everyone.body.spotCheck.id]);
    await api(hall.server.url, 'POST', `/api/v1/admin/spot-checks/${check.id}/end`, { token });
    expect((await hall.kiosk.pull()).body.spotChecks.map((c: { id: string }) => c.id)).toEqual([everyone.body.spotCheck.id]);
    // Left open, it closes by itself.
    hall.server.clock.advance(31 * 60_000);
    expect((await hall.kiosk.pull()).body.spotChecks).toEqual([]);
    const month = await api(hall.server.url, 'GET', '/api/v1/admin/spot-checks?month=2026-03', { token });
    expect(month.body.spotChecks).toHaveLength(2);
    expect(month.body.spotChecks[0].endedAt).toEqual(expect.any(Number));
  });
});

describeEngines('sign-in or sign-out, decided by the server across kiosks', (engine) => {
  const hall = useHallServer(engine, { kiosk: 'kiosk A' });
  let token: string;
  let kioskB: TestKiosk;
  const monday = '2026-03-02';

  beforeEach(async () => {
    token = await hall.adminToken();
    for (const id of ['1001', '1002', '1003', '1004', '1005']) {
      await api(hall.server.url, 'POST', '/api/v1/admin/staff', { token, body: { id, name: `员工${id}`, departmentId: 'market' } });
    }
    kioskB = await hall.enrolKiosk('kiosk B');
  });

  /** A touch as a kiosk records it, with its own guess of the kind. */
  const touch = (staffId: string, time: string, kind: CheckinRecord['kind'] = 'sign-in', extra: Partial<CheckinRecord> = {}): CheckinRecord => {
    const deviceAt = at(monday, time);
    return { id: uuidv7({ msecs: deviceAt }), staffId, kind, at: deviceAt, clockOffsetMs: 0, ...extra };
  };
  const stored = async (staffId: string) =>
    (await inspect(hall.db, (k) => k.selectFrom('checkins').select(['kind', 'session', 'device_id', 'corrected_at']).where('staff_id', '=', staffId).orderBy('corrected_at').execute())).map((r) => [
      r.kind,
      r.session,
      r.device_id === hall.kiosk.deviceId ? 'A' : 'B',
    ]);

  it('signing in at kiosk A and out at kiosk B records one sign-in and one sign-out', async () => {
    const signIn = await hall.kiosk.checkIn(touch('1001', '08:55'));
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({ outcome: 'recorded', checkin: { staffId: '1001', kind: 'sign-in', session: 'morning' } });
    // Kiosk B has never seen 1001 and guesses sign-in; the server knows better.
    const signOut = await kioskB.checkIn(touch('1001', '12:02', 'sign-in', { session: 'afternoon' }));
    expect(signOut.body).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-out', session: 'morning' } });
    expect(await stored('1001')).toEqual([
      ['sign-in', 'morning', 'A'],
      ['sign-out', 'morning', 'B'],
    ]);
  });

  it('a touch at another kiosk within the repeat window repeats the first: nothing is stored', async () => {
    const first = touch('1001', '08:55');
    await hall.kiosk.checkIn(first);
    const again = await kioskB.checkIn(touch('1001', '08:57'));
    expect(again.body).toMatchObject({ outcome: 'repeat', checkin: { ...first, session: 'morning' } });
    expect(await stored('1001')).toEqual([['sign-in', 'morning', 'A']]);
  });

  it('asked again with the same record (a retry), answers the same and stores it once; refuses what it cannot record', async () => {
    const record = touch('1001', '09:20');
    const answers = await Promise.all([hall.kiosk.checkIn(record), hall.kiosk.checkIn(record)]);
    for (const a of answers) expect(a.body).toMatchObject({ outcome: 'recorded', checkin: { id: record.id, kind: 'sign-in' } });
    expect(await stored('1001')).toHaveLength(1);
    expect((await kioskB.checkIn(record)).status).toBe(409);
    expect((await hall.kiosk.checkIn(touch('9999', '09:21'))).status).toBe(404);
    expect((await api(hall.server.url, 'POST', '/api/v1/attendance/checkins', { body: { checkin: touch('1001', '09:30') } })).status).toBe(401);
    expect((await hall.kiosk.checkIn({ ...touch('1001', '09:30'), kind: 'nap' as CheckinRecord['kind'] })).status).toBe(400);
  });

  it('corrects an offline guess when the push applies it, and tells the kiosk', async () => {
    await hall.kiosk.checkIn(touch('1001', '08:55'));
    // Kiosk B was offline at noon: it had no record of 1001 and guessed a sign-in for the afternoon.
    kioskB.custom('checkin.recorded', touch('1001', '12:03', 'sign-in', { session: 'afternoon' }), at(monday, '12:03'));
    const pushed = await kioskB.push();
    expect(pushed.body.results).toMatchObject([{ status: 'applied', checkin: { kind: 'sign-out', session: 'morning' } }]);
    expect(await stored('1001')).toEqual([
      ['sign-in', 'morning', 'A'],
      ['sign-out', 'morning', 'B'],
    ]);
  });

  it('settles the whole day again when an earlier touch arrives late from an offline kiosk', async () => {
    // Kiosk A online at 12:05 had nothing before it: a sign-in, early for the afternoon.
    expect((await hall.kiosk.checkIn(touch('1001', '12:05'))).body.checkin).toMatchObject({ kind: 'sign-in', session: 'afternoon' });
    // Kiosk B was offline at 08:50.
    kioskB.custom('checkin.recorded', touch('1001', '08:50'), at(monday, '08:50'));
    expect((await kioskB.push()).body.results).toMatchObject([{ status: 'applied', checkin: { kind: 'sign-in', session: 'morning' } }]);
    expect(await stored('1001')).toEqual([
      ['sign-in', 'morning', 'B'],
      ['sign-out', 'morning', 'A'],
    ]);
  });

  it('a pushed record the server already took online is the same check-in, whatever the kiosk guessed', async () => {
    await hall.kiosk.checkIn(touch('1001', '08:55'));
    const online = touch('1001', '12:01');
    expect((await hall.kiosk.checkIn(online)).body.checkin).toMatchObject({ kind: 'sign-out' });
    // Its outbox holds the record too: once as the server answered, once as an older guess (a lost answer).
    hall.kiosk.custom('checkin.recorded', { ...online, kind: 'sign-out', session: 'morning' }, online.at);
    hall.kiosk.custom('checkin.recorded', { ...online, kind: 'sign-in' }, online.at);
    expect((await hall.kiosk.push()).body.results).toMatchObject([
      { status: 'applied', checkin: { kind: 'sign-out', session: 'morning' } },
      { status: 'applied', checkin: { kind: 'sign-out', session: 'morning' } },
    ]);
    expect(await stored('1001')).toEqual([
      ['sign-in', 'morning', 'A'],
      ['sign-out', 'morning', 'A'],
    ]);
  });

  it('decides one person’s touches at two kiosks at the same moment one after the other', async () => {
    const people = ['1001', '1002', '1003', '1004', '1005'];
    await Promise.all(people.flatMap((id) => [hall.kiosk.checkIn(touch(id, '09:00')), kioskB.checkIn(touch(id, '09:10', 'sign-in'))]));
    for (const id of people) expect(await stored(id), id).toEqual([['sign-in', 'morning', 'A'], ['sign-out', 'morning', 'B']]);
  });

  it('follows the person’s own schedule, not the hall’s hours', async () => {
    const early = await api(hall.server.url, 'PUT', '/api/v1/admin/work-schedules/early', {
      token,
      body: { name: '早班', sessions: [{ id: 'early-shift', name: { zh: '早班', en: 'Early shift' }, start: '07:00', end: '11:00' }] },
    });
    expect(early.status, JSON.stringify(early.body)).toBe(200);
    expect((await api(hall.server.url, 'PATCH', '/api/v1/admin/staff/1002', { token, body: { scheduleId: 'early' } })).status).toBe(200);
    await hall.kiosk.checkIn(touch('1002', '06:55'));
    // 11:30: just after the early shift; under the hall's hours (06:55 too early to count) it would sign in for the morning.
    expect((await kioskB.checkIn(touch('1002', '11:30'))).body.checkin).toMatchObject({ kind: 'sign-out', session: 'early-shift' });
  });
});
