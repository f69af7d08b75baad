import { v7 as uuidv7 } from 'uuid';
import { beforeEach, expect, it } from 'vitest';
import type { CheckinRecord } from '../../../core/attendance/checkin.ts';
import { epochAtWallTime } from '../../../core/calendar/wall-clock.ts';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import { countRows, inspect } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';

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
