import { expect, it } from 'vitest';
import { pullResponseSchema } from '../../../core/sync/pull.ts';
import { rotateEpoch, readHallState, updateHallSettings } from '../../../server/hall/hall-settings.ts';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import { countRows, inspect } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { demoCatalog, demoGuides } from '../../support/demo-hall.ts';
import { TestClock } from '../../support/test-clock.ts';

describeEngines('sync pull: change feed, epochs and restored backups', (engine) => {
  const clock = new TestClock();
  const hall = useHallServer(engine, { server: { clock } });

  it('gives the full state first, then only what changed', async () => {
    const kiosk = await hall.enrolKiosk('kiosk');
    const first = await kiosk.pull();
    expect(first.status).toBe(200);
    const parsed = pullResponseSchema.parse(first.body);
    expect(parsed).toMatchObject({ reset: false, lastAppliedSeq: 0, businessDay: '2026-03-02', leases: [], settings: { timeZone: 'Asia/Shanghai', version: 1 } });
    expect(parsed.catalog?.services).toHaveLength(demoCatalog.services.length);

    const quiet = await kiosk.pull();
    expect(quiet.body).toMatchObject({ reset: false, catalog: null, settings: null });

    const admin = await hall.adminToken();
    const newer = { ...demoCatalog, version: 1, services: demoCatalog.services.map((s) => (s.id === 'ss-card' ? { ...s, dailyQuota: 5 } : s)) };
    const guides = Object.fromEntries(demoCatalog.services.map((s) => [s.id, demoGuides[s.id]]));
    expect((await api(hall.server.url, 'PUT', '/api/v1/admin/catalog', { token: admin, body: { catalog: newer, guides } })).status).toBe(200);
    await updateHallSettings(hall.server.db.db, { hallName: '高新区政务服务中心' });
    const lease = await kiosk.lease('ss-card', '2026-03-02', 2);
    expect(lease.status).toBe(200);

    const changed = await kiosk.pull();
    expect(changed.body).toMatchObject({
      reset: false,
      catalog: { version: 1 },
      settings: { hallName: '高新区政务服务中心', version: 2 },
      leases: [{ serviceId: 'ss-card', businessDay: '2026-03-02', first: 998, last: 999 }], // from the top of the band above the quota
    });
    expect(changed.body.catalog.services.find((s: { id: string }) => s.id === 'ss-card').dailyQuota).toBe(5);
    expect((await kiosk.pull()).body).toMatchObject({ catalog: null, settings: null, leases: [{ first: 998, last: 999 }] });
  });

  it('refuses a cursor made for another device', async () => {
    const a = await hall.enrolKiosk('a');
    const b = await hall.enrolKiosk('b');
    await a.pull();
    const stolen = await b.pull(a.cursor);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.code).toBe('cursor-invalid');
  });

  it('detects a database restored from an older backup; re-pushing restores everything exactly once', async () => {
    const kiosk = await hall.enrolKiosk('kiosk A', { trueTime: 'hall' });
    const bystander = await hall.enrolKiosk('kiosk B');
    const issueOnline = async () => {
      const number = await kiosk.next('ss-card');
      expect(number.status).toBe(200);
      const ticket = kiosk.issue({ serviceId: 'ss-card', departmentId: 'social', prefix: 'D', sequence: number.body.sequence, issuedAt: kiosk.deviceNow() });
      kiosk.printed(ticket, kiosk.deviceNow());
    };
    for (let i = 0; i < 3; i++) await issueOnline();
    expect((await kiosk.push()).body.lastAppliedSeq).toBe(6);
    await bystander.pull();

    await hall.stop();
    const backup = await engine.snapshot(hall.db);
    await hall.restart();

    for (let i = 0; i < 3; i++) await issueOnline();
    expect((await kiosk.push()).body.lastAppliedSeq).toBe(12);
    const before = await kiosk.pull();
    const oldEpoch = before.body.epoch;

    // Disaster: the database is replaced by last night's backup. The server notices at start.
    const restored = await hall.restart({ db: backup });
    expect((await readHallState(restored.db.db)).epoch).not.toBe(oldEpoch);

    const seen = await kiosk.pull();
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ reset: true, lastAppliedSeq: 6 });
    expect(seen.body.epoch).not.toBe(oldEpoch);
    expect(seen.body.catalog).not.toBeNull();

    // Every other kiosk hears of it too, through the new epoch.
    expect((await bystander.pull()).body).toMatchObject({ reset: true, lastAppliedSeq: 0 });

    // The kiosk re-sends everything after what the server still holds — here, its whole outbox.
    const repush = await kiosk.push();
    expect(repush.body.results.map((r: { status: string }) => r.status)).toEqual([...Array(6).fill('duplicate'), ...Array(6).fill('applied')]);
    expect(await countRows(backup)).toMatchObject({ tickets: 6, device_events: 12, dead_letters: 0 });
    const tickets = await inspect(backup, (k) => k.selectFrom('tickets').select(['id', 'label', 'state']).orderBy('label').execute());
    expect(tickets.map((t) => t.label)).toEqual(['D001', 'D002', 'D003', 'D004', 'D005', 'D006']);
    expect(new Set(tickets.map((t) => t.id))).toEqual(new Set(kiosk.outbox.filter((e) => e.type === 'ticket.issued').map((e) => (e.payload as { ticket: { id: string } }).ticket.id)));
    expect(tickets.every((t) => t.state === 'issued')).toBe(true);

    // The counter moved 100 ahead at start, past any number handed out since the backup.
    expect((await kiosk.next('ss-card')).body.label).toBe('D104');
    expect((await kiosk.pull()).body).toMatchObject({ reset: false, lastAppliedSeq: 12 });
  });

  it('answers a cursor of another epoch with reset and the last applied seq', async () => {
    const kiosk = await hall.enrolKiosk('kiosk');
    kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 1, issuedAt: clock.now() });
    await kiosk.push();
    await kiosk.pull();
    const state = await readHallState(hall.server.db.db);
    const next = await rotateEpoch(hall.server.db.db, clock, state.epoch);
    const response = await kiosk.pull();
    expect(response.body).toMatchObject({ reset: true, epoch: next, lastAppliedSeq: 1 });
    expect(response.body.catalog).not.toBeNull();
    expect((await kiosk.pull()).body.reset).toBe(false);
  });
});
