import { randomBytes } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { revokeDevice } from '../../../server/devices/devices.ts';
import { parseTemplateKey } from '../../../server/staff/template-key.ts';
import { describeEngines } from '../support/engines.ts';
import { grantEnrolmentAs } from '../support/grants.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { api } from '../support/http.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { inspect } from '../support/servers.ts';

// Issue 14 point 7: a device uploaded a template for an admin with a self-declared
// `authorisedBy: {method: 'pin'}`, which the server cannot check. A kiosk's upload is now taken
// only under an enrolment grant an admin gave in a session the server opened.

/** A synthetic AS608 character file: 512 bytes. */
const fingerTemplate = (seed: number): Buffer => Buffer.from(Array.from({ length: 512 }, (_, i) => (seed * 31 + i * 7) & 0xff));

describeEngines('fingerprint enrolment needs an admin’s grant the server can check', (engine) => {
  const hall = useHallServer(engine, { server: () => ({ templateKey: parseTemplateKey(randomBytes(32).toString('base64'), 'test key') }) });
  let adminToken: string;
  let desk: TestKiosk;
  let other: TestKiosk;

  beforeEach(async () => {
    adminToken = await hall.adminToken();
    desk = await hall.enrolKiosk('enrolment desk');
    other = await hall.enrolKiosk('entrance 2');
    for (const body of [
      { id: '1001', name: '欧阳雪梅', departmentId: 'market', counter: '3号窗口' },
      { id: '1002', name: '司马光明', departmentId: 'market', counter: '4号窗口' },
      { id: 'ADM1', name: '王管理', departmentId: 'market', counter: null, role: 'admin' },
    ]) {
      expect((await api(hall.server.url, 'POST', '/api/v1/admin/staff', { token: adminToken, body })).status).toBe(200);
    }
  });

  const upload = (kiosk: TestKiosk, staffId: string, finger: number, seed: number, extra: Record<string, unknown> = {}) =>
    api(hall.server.url, 'PUT', `/api/v1/staff/${staffId}/templates/${finger}`, { token: kiosk.token, body: { template: fingerTemplate(seed).toString('base64'), ...extra } });
  const stored = () => inspect(hall.db, (k) => k.selectFrom('staff_templates').select(['staff_id', 'finger']).orderBy('staff_id').orderBy('finger').execute());
  const audited = () => inspect(hall.db, (k) => k.selectFrom('template_audit').select(['staff_id', 'finger', 'device_id', 'authorised_method', 'granted_by']).orderBy('revision').execute());

  it("refuses (403) a kiosk's upload that only says how its staff screen was opened — the PIN, an admin's finger, or nothing — storing and recording nothing", async () => {
    for (const authorisedBy of [{ method: 'pin' }, { method: 'admin-finger', staffId: 'ADM1' }, undefined]) {
      const refused = await upload(desk, 'ADM1', 1, 1, authorisedBy ? { authorisedBy } : {});
      expect(refused.status, JSON.stringify(authorisedBy)).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'enrolment-not-granted', message: expect.stringContaining('/api/v1/admin/staff/ADM1/enrolment-grants') });
    }
    expect(await stored()).toEqual([]);
    expect(await audited()).toEqual([]);
  });

  it('takes uploads under a grant for one staff member at one kiosk until it expires; another kiosk or member, or later, is refused', async () => {
    const asked = hall.clock.now();
    const grant = await grantEnrolmentAs(hall.server.url, adminToken, '1001', desk.deviceId, 15);
    expect(grant.grantedBy).toBe('admin');
    expect(grant.expiresAt - asked).toBeGreaterThanOrEqual(15 * 60_000);
    expect(grant.expiresAt - hall.clock.now()).toBeLessThanOrEqual(15 * 60_000);

    expect((await upload(desk, '1001', 1, 1, { authorisedBy: { method: 'pin' } })).status).toBe(200);
    // A second finger in the same visit.
    expect((await upload(desk, '1001', 6, 2, { authorisedBy: { method: 'pin' } })).status).toBe(200);
    // The grant is for 1001 at the desk: not for 1002 there, not for 1001 at another kiosk.
    expect((await upload(desk, '1002', 1, 3, { authorisedBy: { method: 'pin' } })).body.error.code).toBe('enrolment-not-granted');
    expect((await upload(other, '1001', 2, 4, { authorisedBy: { method: 'pin' } })).body.error.code).toBe('enrolment-not-granted');
    hall.clock.advance(15 * 60_000);
    expect((await upload(desk, '1001', 2, 5, { authorisedBy: { method: 'pin' } })).body.error.code).toBe('enrolment-not-granted');

    expect(await stored()).toEqual([
      { staff_id: '1001', finger: 1 },
      { staff_id: '1001', finger: 6 },
    ]);
    // The audit keeps both: the admin whose grant the server checked, and what the kiosk said of itself.
    expect(await audited()).toEqual([
      { staff_id: '1001', finger: 1, device_id: desk.deviceId, authorised_method: 'pin', granted_by: 'admin' },
      { staff_id: '1001', finger: 6, device_id: desk.deviceId, authorised_method: 'pin', granted_by: 'admin' },
    ]);
  });

  it('is given only in an admin session, for an active member and an enrolled, unrevoked kiosk; nothing is written otherwise', async () => {
    const ask = (token: string, staffId: string, body: unknown) => api(hall.server.url, 'POST', `/api/v1/admin/staff/${staffId}/enrolment-grants`, { token, body });
    // A kiosk's token is no admin session, whatever it asks for.
    expect((await ask(desk.token, '1001', { deviceId: desk.deviceId })).status).toBe(401);

    expect((await api(hall.server.url, 'POST', '/api/v1/admin/staff/1002/deactivate', { token: adminToken })).status).toBe(200);
    const unused = await hall.server.createDevice('never enrolled');
    const revoked = await hall.enrolKiosk('stolen kiosk');
    await revokeDevice(hall.server.db.db, hall.clock, revoked.deviceId);
    const refusals: [string, unknown, number][] = [
      ['9999', { deviceId: desk.deviceId }, 404],
      ['1002', { deviceId: desk.deviceId }, 409],
      ['1001', { deviceId: 'no-such-kiosk' }, 404],
      ['1001', { deviceId: unused.deviceId }, 404],
      ['1001', { deviceId: revoked.deviceId }, 404],
      ['1001', { deviceId: desk.deviceId, minutes: 241 }, 400],
      ['1001', { deviceId: desk.deviceId, minutes: 30, staffId: 'ADM1' }, 400],
    ];
    for (const [staffId, body, status] of refusals) expect((await ask(adminToken, staffId, body)).status, `${staffId} ${JSON.stringify(body)}`).toBe(status);
    expect(await inspect(hall.db, (k) => k.selectFrom('enrolment_grants').selectAll().execute())).toEqual([]);
  });
});
