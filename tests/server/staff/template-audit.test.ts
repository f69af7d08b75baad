import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createServerLogger } from '../../../server/http/logger.ts';
import { parseTemplateKey } from '../../../server/staff/template-key.ts';
import { describeEngines } from '../support/engines.ts';
import type { TestDatabase } from '../support/engines.ts';
import { grantEnrolmentAs } from '../support/grants.ts';
import { api } from '../support/http.ts';
import { TestKiosk } from '../support/kiosk.ts';
import { adminSession, inspect, startTestServer } from '../support/servers.ts';
import type { TestServer } from '../support/servers.ts';

/** A synthetic AS608 character file: 512 bytes, recognisable if it ever leaks. */
const fingerTemplate = (seed: number): Buffer => Buffer.from(Array.from({ length: 512 }, (_, i) => (seed * 31 + i * 7) & 0xff));

describeEngines('template uploads: who authorised them, and one finger for one person', (engine) => {
  let db: TestDatabase;
  let server: TestServer;
  let adminToken: string;
  let kiosk: TestKiosk;
  let logs: string[];

  beforeEach(async () => {
    db = await engine.fresh();
    logs = [];
    server = await startTestServer(db, {
      templateKey: parseTemplateKey(randomBytes(32).toString('base64'), 'test key'),
      logger: createServerLogger({ level: 'trace', destination: { write: (line: string) => void logs.push(line) } }),
    });
    adminToken = await adminSession(server);
    kiosk = await TestKiosk.enroll(server.url, (await server.createDevice('enrolment desk')).enrollmentCode);
    const staff = [
      { id: '1001', name: '欧阳雪梅', departmentId: 'market', counter: '3号窗口' },
      { id: '1002', name: '司马光明', departmentId: 'market', counter: '4号窗口' },
      { id: 'ADM1', name: '王管理', departmentId: 'market', counter: null, role: 'admin' },
      { id: 'ADM2', name: '赵离任', departmentId: 'market', counter: null, role: 'admin' },
    ];
    for (const body of staff) expect((await api(server.url, 'POST', '/api/v1/admin/staff', { token: adminToken, body })).status).toBe(200);
    expect((await api(server.url, 'POST', '/api/v1/admin/staff/ADM2/deactivate', { token: adminToken })).status).toBe(200);
    for (const staffId of ['1001', '1002']) await grantEnrolmentAs(server.url, adminToken, staffId, kiosk.deviceId);
  });
  afterEach(() => server.close());

  const upload = (staffId: string, finger: number, template: Buffer, extra: Record<string, unknown> = {}) =>
    api(server.url, 'PUT', `/api/v1/staff/${staffId}/templates/${finger}`, { token: kiosk.token, body: { template: template.toString('base64'), ...extra } });
  const stored = () => inspect(db, (k) => k.selectFrom('staff_templates').select(['staff_id', 'finger']).orderBy('staff_id').orderBy('finger').execute());

  it('records who enrolled whom, when, from which kiosk, new or replacing, under whose grant, and shows it to admins only', async () => {
    const first = await upload('1001', 1, fingerTemplate(1), { authorisedBy: { method: 'pin' } });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ replaced: false });
    const second = await upload('1001', 1, fingerTemplate(2), { authorisedBy: { method: 'admin-finger', staffId: 'ADM1' } });
    expect(second.body).toMatchObject({ replaced: true });
    // A kiosk that says nothing of its staff session (older than the audit): stored under the grant, its own account unknown.
    expect((await upload('1002', 3, fingerTemplate(3))).status).toBe(200);

    const mine = await api(server.url, 'GET', '/api/v1/admin/staff/1001/template-audit', { token: adminToken });
    expect(mine.status).toBe(200);
    expect(mine.body.audit).toEqual([
      { revision: second.body.revision, staffId: '1001', finger: 1, deviceId: kiosk.deviceId, authorisedBy: { method: 'admin-finger', staffId: 'ADM1' }, grantedBy: 'admin', replaced: true, at: expect.any(Number) },
      { revision: first.body.revision, staffId: '1001', finger: 1, deviceId: kiosk.deviceId, authorisedBy: { method: 'pin' }, grantedBy: 'admin', replaced: false, at: expect.any(Number) },
    ]);
    const hall = await api(server.url, 'GET', '/api/v1/admin/template-audit?limit=2', { token: adminToken });
    expect(hall.body.audit.map((e: { staffId: string; authorisedBy: unknown }) => [e.staffId, e.authorisedBy])).toEqual([
      ['1002', null],
      ['1001', { method: 'admin-finger', staffId: 'ADM1' }],
    ]);
    // Kiosks enrol; they do not read the audit. And it carries no template bytes.
    expect((await api(server.url, 'GET', '/api/v1/admin/template-audit', { token: kiosk.token })).status).toBe(401);
    expect(JSON.stringify(hall.body)).not.toContain(fingerTemplate(2).toString('base64').slice(0, 40));
  });

  it("refuses (403) an upload authorised by a finger that is not an active admin's, storing and recording nothing", async () => {
    for (const staffId of ['1002', 'ADM2', 'NOBODY']) {
      const refused = await upload('1001', 1, fingerTemplate(4), { authorisedBy: { method: 'admin-finger', staffId } });
      expect(refused.status, staffId).toBe(403);
      expect(refused.body.error.code).toBe('not-an-admin');
    }
    expect(await stored()).toEqual([]);
    expect(await inspect(db, (k) => k.selectFrom('template_audit').selectAll().execute())).toEqual([]);
    // An authoriser the schema does not know is a bad request, not a pass.
    expect((await upload('1001', 1, fingerTemplate(4), { authorisedBy: { method: 'badge' } })).status).toBe(400);
  });

  it("refuses (409) a finger whose matched page is another member's template; the member's own, or an unknown one, passes", async () => {
    const zhang = fingerTemplate(5);
    expect((await upload('1001', 1, zhang, { authorisedBy: { method: 'pin' } })).status).toBe(200);

    const refused = await upload('1002', 1, fingerTemplate(6), { authorisedBy: { method: 'pin' }, matchedTemplate: zhang.toString('base64') });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('duplicate-finger');
    expect(await stored()).toEqual([{ staff_id: '1001', finger: 1 }]);

    // Re-enrolment of 1001's other finger matched 1001's own page: allowed.
    expect((await upload('1001', 2, fingerTemplate(7), { authorisedBy: { method: 'pin' }, matchedTemplate: zhang.toString('base64') })).status).toBe(200);
    // A match the hall does not hold (a page no roster sync put there) is no evidence of anyone.
    expect((await upload('1002', 1, fingerTemplate(8), { authorisedBy: { method: 'pin' }, matchedTemplate: fingerTemplate(99).toString('base64') })).status).toBe(200);
    expect(await stored()).toEqual([
      { staff_id: '1001', finger: 1 },
      { staff_id: '1001', finger: 2 },
      { staff_id: '1002', finger: 1 },
    ]);
    // The log says a template was refused or stored, never whose finger it matched by name.
    expect(logs.join('\n')).not.toContain('欧阳雪梅');
  });
});
