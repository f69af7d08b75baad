import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createServerLogger } from '../../../server/http/logger.ts';
import { TemplateIntegrityError, openTemplate, sealTemplate } from '../../../server/staff/template-cipher.ts';
import { TemplateKeyError, parseTemplateKey } from '../../../server/staff/template-key.ts';
import type { TemplateKey } from '../../../server/staff/template-key.ts';
import { rotateTemplateKey } from '../../../server/staff/templates.ts';
import { describeEngines } from '../support/engines.ts';
import { grantEnrolmentAs } from '../support/grants.ts';
import { api } from '../support/http.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { inspect } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';

const newKey = (): TemplateKey => parseTemplateKey(randomBytes(32).toString('base64'), 'test key');
/** A synthetic AS608 character file: 512 bytes, recognisable if it ever leaks. */
const fingerTemplate = (seed: number): Buffer => Buffer.from(Array.from({ length: 512 }, (_, i) => (seed * 31 + i * 7) & 0xff));
const staffName = '欧阳雪梅';

describe('template cipher (AES-256-GCM)', () => {
  const key = newKey();
  const template = fingerTemplate(1);

  it('round-trips, with a fresh IV each time', () => {
    const a = sealTemplate(key, '1001', 2, template);
    const b = sealTemplate(key, '1001', 2, template);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(Buffer.from(a.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(a.authTag, 'base64')).toHaveLength(16);
    expect(openTemplate(key, '1001', 2, a).equals(template)).toBe(true);
  });

  it('fails loudly with the wrong key, naming both keys, never returning bytes', () => {
    const sealed = sealTemplate(key, '1001', 2, template);
    const other = newKey();
    expect(() => openTemplate(other, '1001', 2, sealed)).toThrow(TemplateKeyError);
    expect(() => openTemplate(other, '1001', 2, sealed)).toThrow(`was encrypted with key ${key.id}, but this server's key is ${other.id}`);
    // Even with the key id forged to match, GCM refuses instead of decrypting to garbage.
    expect(() => openTemplate(other, '1001', 2, { ...sealed, keyId: other.id })).toThrow(TemplateIntegrityError);
  });

  it('refuses a tampered ciphertext, and one moved to another person or finger', () => {
    const sealed = sealTemplate(key, '1001', 2, template);
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[100]! ^= 0x01;
    expect(() => openTemplate(key, '1001', 2, { ...sealed, ciphertext: bytes.toString('base64') })).toThrow(/fails its integrity check/);
    expect(() => openTemplate(key, '1002', 2, sealed)).toThrow(TemplateIntegrityError);
    expect(() => openTemplate(key, '1001', 3, sealed)).toThrow(TemplateIntegrityError);
  });

  it('accepts only a 32-byte base64 key, with a message that says what is wrong', () => {
    expect(() => parseTemplateKey(randomBytes(16).toString('base64'), 'HALL_TEMPLATE_KEY')).toThrow('HALL_TEMPLATE_KEY decodes to 16 bytes; the fingerprint template key must be exactly 32 bytes');
    expect(() => parseTemplateKey('not a key!', 'HALL_TEMPLATE_KEY')).toThrow('HALL_TEMPLATE_KEY is not base64');
    expect(parseTemplateKey(` ${randomBytes(32).toString('base64url')}\n`, 'file').key).toHaveLength(32);
  });
});

describeEngines('fingerprint templates on the server', (engine) => {
  let key: TemplateKey;
  let logs: string[];
  let adminToken: string;
  let enrolling: TestKiosk;
  let other: TestKiosk;

  beforeEach(() => {
    key = newKey();
    logs = [];
  });
  const hall = useHallServer(engine, {
    server: () => ({ templateKey: key, logger: createServerLogger({ level: 'trace', destination: { write: (line: string) => void logs.push(line) } }) }),
  });
  const start = (templateKey: TemplateKey | null) => hall.restart({ templateKey });

  beforeEach(async () => {
    adminToken = await hall.adminToken();
    enrolling = await hall.enrolKiosk('enrolling kiosk');
    other = await hall.enrolKiosk('kiosk 2');
    const added = await api(hall.server.url, 'POST', '/api/v1/admin/staff', { token: adminToken, body: { id: '1001', name: staffName, departmentId: 'market', counter: '3号窗口' } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    await grantEnrolmentAs(hall.server.url, adminToken, '1001', enrolling.deviceId);
  });

  const upload = (kiosk: TestKiosk, staffId: string, finger: number, template: Buffer) =>
    api(hall.server.url, 'PUT', `/api/v1/staff/${staffId}/templates/${finger}`, { token: kiosk.token, body: { template: template.toString('base64') } });
  const download = (token: string | undefined, staffId: string, finger: number) => api(hall.server.url, 'GET', `/api/v1/staff/${staffId}/templates/${finger}`, { token });

  it('stores an enrolled template encrypted and hands it to another kiosk unchanged', async () => {
    const template = fingerTemplate(7);
    const stored = await upload(enrolling, '1001', 1, template);
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    expect(stored.body).toMatchObject({ staffId: '1001', finger: 1, revision: expect.any(Number) });

    const got = await download(other.token, '1001', 1);
    expect(got.status).toBe(200);
    expect(Buffer.from(got.body.template, 'base64').equals(template)).toBe(true);
    const page = await api(hall.server.url, 'GET', '/api/v1/staff/templates?after=0', { token: other.token });
    expect(page.body.templates).toHaveLength(1);
    expect(page.body.templates[0]).toMatchObject({ staffId: '1001', finger: 1, format: 'as608-char', template: template.toString('base64') });

    // At rest: only ciphertext, under this server's key id.
    const rows = await inspect(hall.db, (k) => k.selectFrom('staff_templates').selectAll().execute());
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_id).toBe(key.id);
    const atRest = JSON.stringify(rows);
    expect(atRest).not.toContain(template.toString('base64'));
    expect(atRest).not.toContain(template.toString('hex'));
    expect(Buffer.from(rows[0]!.ciphertext, 'base64').equals(template)).toBe(false);
  });

  it('gives templates only to kiosk device tokens; admin and status routes never carry them', async () => {
    const template = fingerTemplate(3);
    await upload(enrolling, '1001', 0, template);
    const b64 = template.toString('base64');

    expect((await download(undefined, '1001', 0)).status).toBe(401);
    expect((await download(adminToken, '1001', 0)).status).toBe(401);
    expect((await api(hall.server.url, 'GET', '/api/v1/staff/templates', { token: adminToken })).status).toBe(401);

    const adminViews = await Promise.all([
      api(hall.server.url, 'GET', '/api/v1/admin/staff', { token: adminToken }),
      api(hall.server.url, 'GET', '/api/v1/admin/staff/1001', { token: adminToken }),
      api(hall.server.url, 'GET', '/api/v1/admin/status', { token: adminToken }),
      api(hall.server.url, 'GET', '/api/v1/admin/devices', { token: adminToken }),
      api(hall.server.url, 'GET', '/api/v1/admin/dead-letters', { token: adminToken }),
      api(hall.server.url, 'GET', '/api/v1/admin/attendance/day?day=2026-03-02', { token: adminToken }),
      api(hall.server.url, 'GET', '/api/v1/admin/attendance/bulletin?month=2026-03', { token: adminToken }),
      other.pull(),
    ]);
    for (const view of adminViews) {
      expect(view.status).toBe(200);
      expect(JSON.stringify(view.body)).not.toContain(b64);
      expect(JSON.stringify(view.body)).not.toContain(b64.slice(0, 40));
    }
    // The admin sees which fingers are enrolled, nothing more.
    expect(adminViews[1]!.body.staff).toMatchObject({ id: '1001', fingers: [0] });
    expect(adminViews[1]!.body.staff.template).toBeUndefined();
  });

  it('never writes template bytes or staff names to the log, whatever the level', async () => {
    const template = fingerTemplate(5);
    await upload(enrolling, '1001', 4, template);
    await download(other.token, '1001', 4);
    await api(hall.server.url, 'GET', '/api/v1/staff/templates', { token: other.token });
    await upload(enrolling, 'nobody', 4, template); // refused: unknown staff
    await api(hall.server.url, 'PUT', '/api/v1/staff/1001/templates/4', { token: enrolling.token, body: { template: `${template.toString('base64')}!` } });
    await api(hall.server.url, 'PATCH', '/api/v1/admin/staff/1001', { token: adminToken, body: { name: '欧阳雪梅二' } });
    await api(hall.server.url, 'POST', '/api/v1/admin/staff/1001/deactivate', { token: adminToken });
    // The server's own redaction, should a future line carry such fields.
    hall.server.app.log.info({ template: template.toString('base64'), staff: { name: staffName } }, 'careless line');

    const text = logs.join('');
    expect(logs.length).toBeGreaterThan(8);
    expect(text).toContain('fingerprint template stored');
    expect(text).toMatch(/"template":"\[redacted\]".*careless line/);
    for (const secret of [template.toString('base64'), template.toString('base64').slice(0, 24), template.toString('hex').slice(0, 32), staffName]) {
      expect(text).not.toContain(secret);
    }
  });

  it('refuses to start with another key, and says so', async () => {
    await upload(enrolling, '1001', 1, fingerTemplate(1));
    await hall.stop();
    const wrong = newKey();
    await expect(start(wrong)).rejects.toThrow(`HALL_TEMPLATE_KEY (key id ${wrong.id}) is not the key 1 stored fingerprint template(s) were encrypted with (key id ${key.id})`);
    await start(key);
    expect((await download(other.token, '1001', 1)).status).toBe(200);
  });

  it('rotates the key: every template re-encrypted, the old key no longer opens them, the new one serves the same bytes', async () => {
    await api(hall.server.url, 'POST', '/api/v1/admin/staff', { token: adminToken, body: { id: '1002', name: '李娜', departmentId: 'market' } });
    await grantEnrolmentAs(hall.server.url, adminToken, '1002', enrolling.deviceId);
    await upload(enrolling, '1001', 1, fingerTemplate(1));
    await upload(enrolling, '1002', 3, fingerTemplate(2));
    const before = await inspect(hall.db, (k) => k.selectFrom('staff_templates').selectAll().orderBy('staff_id').execute());
    await hall.stop();

    const next = newKey();
    expect(await inspect(hall.db, (k) => rotateTemplateKey(k, key, next))).toEqual({ rotated: 2, alreadyUnderNewKey: 0 });
    const after = await inspect(hall.db, (k) => k.selectFrom('staff_templates').selectAll().orderBy('staff_id').execute());
    expect(after.map((r) => [r.key_id, r.revision])).toEqual([[next.id, before[0]!.revision], [next.id, before[1]!.revision]]);
    for (const [i, row] of after.entries()) {
      expect(row.ciphertext).not.toBe(before[i]!.ciphertext);
      const sealed = { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag, keyId: row.key_id };
      // The old key cannot open it, not even by pretending the row is still under it.
      expect(() => openTemplate(key, row.staff_id, Number(row.finger), sealed)).toThrow(TemplateKeyError);
      expect(() => openTemplate(key, row.staff_id, Number(row.finger), { ...sealed, keyId: key.id })).toThrow(TemplateIntegrityError);
    }
    // Run again (an interrupted rotation resumed): nothing left to do.
    expect(await inspect(hall.db, (k) => rotateTemplateKey(k, key, next))).toEqual({ rotated: 0, alreadyUnderNewKey: 2 });

    await expect(start(key)).rejects.toThrow(`is not the key 2 stored fingerprint template(s) were encrypted with (key id ${next.id})`);
    await start(next);
    const got = await download(other.token, '1002', 3);
    expect(Buffer.from(got.body.template, 'base64').equals(fingerTemplate(2))).toBe(true);
  });

  it('refuses a rotation the current key cannot do, changing nothing', async () => {
    await upload(enrolling, '1001', 1, fingerTemplate(1));
    const before = await inspect(hall.db, (k) => k.selectFrom('staff_templates').selectAll().execute());
    await expect(inspect(hall.db, (k) => rotateTemplateKey(k, newKey(), newKey()))).rejects.toThrow(TemplateKeyError);
    await expect(inspect(hall.db, (k) => rotateTemplateKey(k, key, key))).rejects.toThrow('the new template key is the current one');
    expect(await inspect(hall.db, (k) => k.selectFrom('staff_templates').selectAll().execute())).toEqual(before);
  });

  it('answers 503 with the reason when started without a key, and keeps the roster working', async () => {
    await start(null);
    const refused = await upload(enrolling, '1001', 1, fingerTemplate(1));
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'templates-disabled', message: expect.stringContaining('started without HALL_TEMPLATE_KEY') });
    expect(logs.join('')).toContain('fingerprint templates are disabled');
    const pulled = await other.pull();
    expect(pulled.body.staff.members).toMatchObject([{ id: '1001', name: staffName }]);
  });

  it('reports a tampered or moved ciphertext as an error instead of serving it', async () => {
    await api(hall.server.url, 'POST', '/api/v1/admin/staff', { token: adminToken, body: { id: '1002', name: '李娜', departmentId: 'market' } });
    await grantEnrolmentAs(hall.server.url, adminToken, '1002', enrolling.deviceId);
    await upload(enrolling, '1001', 1, fingerTemplate(1));
    await upload(enrolling, '1002', 1, fingerTemplate(2));
    await inspect(hall.db, async (k) => {
      const row = await k.selectFrom('staff_templates').selectAll().where('staff_id', '=', '1001').executeTakeFirstOrThrow();
      const bytes = Buffer.from(row.ciphertext, 'base64');
      bytes[0]! ^= 0xff;
      await k.updateTable('staff_templates').set({ ciphertext: bytes.toString('base64') }).where('staff_id', '=', '1001').execute();
      // Li's template copied over to Zhang's second finger: it must not let Li sign in as Zhang.
      const li = await k.selectFrom('staff_templates').selectAll().where('staff_id', '=', '1002').executeTakeFirstOrThrow();
      await k.insertInto('staff_templates').values({ ...li, staff_id: '1001', finger: 2, revision: 999 }).execute();
    });
    for (const finger of [1, 2]) {
      const got = await download(other.token, '1001', finger);
      expect(got.status).toBe(500);
      expect(got.body.error.message).toContain(`staff 1001 finger ${finger} fails its integrity check`);
      expect(got.body.template).toBeUndefined();
    }
    expect(logs.join('')).toContain('fingerprint template unreadable');
    expect((await download(other.token, '1002', 1)).status).toBe(200);
  });

  it('deletes every template of a deactivated person, and kiosks learn it by pull', async () => {
    await upload(enrolling, '1001', 1, fingerTemplate(1));
    await upload(enrolling, '1001', 6, fingerTemplate(6));
    const first = await other.pull();
    expect(first.body.staff).toMatchObject({ full: true, templates: [{ staffId: '1001', finger: 1 }, { staffId: '1001', finger: 6 }], removedTemplates: [] });
    const staffCursor = first.body.staff.cursor;
    const quiet = await api(hall.server.url, 'GET', `/api/v1/sync/pull?cursor=${encodeURIComponent(other.cursor!)}&staffCursor=${encodeURIComponent(staffCursor)}`, { token: other.token });
    expect(quiet.body.staff).toMatchObject({ full: false, members: [], templates: [], removedTemplates: [] });

    const deactivated = await api(hall.server.url, 'POST', '/api/v1/admin/staff/1001/deactivate', { token: adminToken });
    expect(deactivated.body).toMatchObject({ staff: { id: '1001', active: false }, templatesDeleted: 2 });
    expect(await inspect(hall.db, (k) => k.selectFrom('staff_templates').selectAll().execute())).toEqual([]);
    expect((await download(other.token, '1001', 1)).status).toBe(404);

    const after = await api(hall.server.url, 'GET', `/api/v1/sync/pull?cursor=${encodeURIComponent(other.cursor!)}&staffCursor=${encodeURIComponent(staffCursor)}`, { token: other.token });
    expect(after.body.staff).toMatchObject({
      full: false,
      members: [{ id: '1001', active: false }],
      templates: [],
      removedTemplates: [
        { staffId: '1001', finger: 1 },
        { staffId: '1001', finger: 6 },
      ],
    });
    // A kiosk that starts afresh simply never hears of them.
    const fresh = await enrolling.pull();
    expect(fresh.body.staff).toMatchObject({ full: true, templates: [], removedTemplates: [] });
    // And a deactivated person cannot be enrolled again until reactivated.
    expect((await upload(enrolling, '1001', 1, fingerTemplate(1))).status).toBe(409);
  });

  it('deletes one finger only for an admin, never for a kiosk, and a re-enrolment supersedes the tombstone', async () => {
    await upload(enrolling, '1001', 1, fingerTemplate(1));
    const first = await other.pull();
    const staffCursor = first.body.staff.cursor;
    // Neither the kiosk that enrolled the finger nor any other may delete it: a device token is no admin.
    for (const kiosk of [enrolling, other]) {
      const refused = await api(hall.server.url, 'DELETE', '/api/v1/staff/1001/templates/1', { token: kiosk.token });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'not-an-admin', message: expect.stringContaining('/api/v1/admin/staff/') });
    }
    expect((await other.pull()).body.staff).toMatchObject({ full: true, templates: [{ staffId: '1001', finger: 1 }] });
    const removed = await api(hall.server.url, 'DELETE', '/api/v1/admin/staff/1001/templates/1', { token: adminToken });
    expect(removed.body).toMatchObject({ deleted: true });
    expect((await api(hall.server.url, 'DELETE', '/api/v1/admin/staff/1001/templates/1', { token: adminToken })).status).toBe(404);
    const pullAfter = (cursor: string) => api(hall.server.url, 'GET', `/api/v1/sync/pull?staffCursor=${encodeURIComponent(cursor)}`, { token: other.token });
    // (no main cursor: a full main pull, but the roster part is still incremental)
    expect((await pullAfter(staffCursor)).body.staff).toMatchObject({ full: false, removedTemplates: [{ staffId: '1001', finger: 1 }] });
    await upload(enrolling, '1001', 1, fingerTemplate(9));
    expect((await pullAfter(staffCursor)).body.staff).toMatchObject({ full: false, templates: [{ staffId: '1001', finger: 1 }], removedTemplates: [] });
  });

  it('sends the whole roster again for a cursor it did not make or from another epoch', async () => {
    const first = await other.pull();
    const forged = first.body.staff.cursor.replace(/^\d+/, '0');
    const answer = await api(hall.server.url, 'GET', `/api/v1/sync/pull?staffCursor=${encodeURIComponent(forged)}`, { token: other.token });
    expect(answer.body.staff).toMatchObject({ full: true, members: [{ id: '1001' }] });
  });
});
