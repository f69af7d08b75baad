import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { rosterPullSchema } from '../../../core/attendance/roster.ts';
import { pullResponseSchema } from '../../../core/sync/pull.ts';
import { parseTemplateKey } from '../../../server/staff/template-key.ts';
import { TemplateStore } from '../../../server/staff/templates.ts';
import { describeEngines } from '../support/engines.ts';
import type { TestDatabase } from '../support/engines.ts';
import { api } from '../support/http.ts';
import { inspect } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { runServerCli } from '../support/server-cli.ts';

const cli = (db: TestDatabase, args: string[], env: Record<string, string> = {}) => runServerCli(args, { db, env });

describeEngines('staff roster', (engine) => {
  const hall = useHallServer(engine, { kiosk: 'kiosk A' });
  let token: string;

  beforeEach(async () => {
    token = await hall.adminToken();
  });

  const admin = (method: string, path: string, body?: unknown) => api(hall.server.url, method, path, { token, body });

  it('adds, updates, lists and deactivates staff through the admin API', async () => {
    const added = await admin('POST', '/api/v1/admin/staff', { id: '1001', name: '张伟', departmentId: 'market', counter: '3号窗口', role: 'supervisor' });
    expect(added.body.staff).toEqual({ id: '1001', name: '张伟', departmentId: 'market', counter: '3号窗口', role: 'supervisor', scheduleId: null, active: true });
    const generated = await admin('POST', '/api/v1/admin/staff', { name: '李娜', departmentId: 'social' });
    expect(generated.body.staff.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.body.staff.role).toBe('staff');

    expect((await admin('POST', '/api/v1/admin/staff', { id: '1001', name: '重复', departmentId: 'market' })).status).toBe(409);
    const invalid = await admin('POST', '/api/v1/admin/staff', { id: '1003', name: '', departmentId: 'market', role: 'boss' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/name/);
    expect((await admin('POST', '/api/v1/admin/staff', { id: '1004', name: '王芳', departmentId: 'market', scheduleId: 'no-such' })).status).toBe(404);
    expect((await api(hall.server.url, 'POST', '/api/v1/admin/staff', { token: hall.kiosk.token, body: { name: 'x', departmentId: 'market' } })).status).toBe(401);

    const moved = await admin('PATCH', '/api/v1/admin/staff/1001', { counter: '5号窗口', departmentId: 'social' });
    expect(moved.body.staff).toMatchObject({ counter: '5号窗口', departmentId: 'social', name: '张伟' });
    expect((await admin('PATCH', '/api/v1/admin/staff/9999', { counter: null })).status).toBe(404);
    expect((await admin('PATCH', '/api/v1/admin/staff/1001', {})).status).toBe(400);

    await admin('POST', '/api/v1/admin/staff/1001/deactivate');
    expect((await admin('GET', '/api/v1/admin/staff')).body.staff.map((s: { id: string }) => s.id)).toEqual([generated.body.staff.id]);
    const all = await admin('GET', '/api/v1/admin/staff?inactive=1');
    expect(all.body.staff).toHaveLength(2);
    expect(all.body.staff.find((s: { id: string }) => s.id === '1001')).toMatchObject({ active: false, deactivatedAt: expect.any(Number) });
    const back = await admin('PATCH', '/api/v1/admin/staff/1001', { active: true });
    expect(back.body.staff.active).toBe(true);
  });

  it('sends kiosks the roster in full first, then only what changed', async () => {
    await admin('POST', '/api/v1/admin/staff', { id: '1001', name: '张伟', departmentId: 'market', counter: '3号窗口' });
    await admin('POST', '/api/v1/admin/staff', { id: '1002', name: '李娜', departmentId: 'market' });
    const first = await hall.kiosk.pull();
    expect(pullResponseSchema.safeParse(first.body).success).toBe(true);
    const roster = rosterPullSchema.parse(first.body.staff);
    expect(roster.full).toBe(true);
    expect(roster.members.map((m) => [m.id, m.name, m.counter])).toEqual([
      ['1001', '张伟', '3号窗口'],
      ['1002', '李娜', null],
    ]);
    const pull = (staffCursor: string) => api(hall.server.url, 'GET', `/api/v1/sync/pull?cursor=${encodeURIComponent(hall.kiosk.cursor!)}&staffCursor=${encodeURIComponent(staffCursor)}`, { token: hall.kiosk.token });

    await admin('PATCH', '/api/v1/admin/staff/1002', { counter: '4号窗口' });
    const second = await pull(roster.cursor);
    expect(second.body.staff).toMatchObject({ full: false, members: [{ id: '1002', counter: '4号窗口' }] });
    const third = await pull(second.body.staff.cursor);
    expect(third.body.staff.members).toEqual([]);
  });

  it('restores the whole roster to a kiosk after the server database went back in time', async () => {
    await admin('POST', '/api/v1/admin/staff', { id: '1001', name: '张伟', departmentId: 'market' });
    await hall.stop();
    const backup = await engine.snapshot(hall.db);
    await hall.restart();
    token = (await api(hall.server.url, 'POST', '/api/v1/admin/login', { body: { username: 'admin', password: 'correct horse battery' } })).body.token;
    await admin('POST', '/api/v1/admin/staff', { id: '1002', name: '李娜', departmentId: 'market' });
    const before = await hall.kiosk.pull();

    // The backup lacks 1002; its roster revision is behind the kiosk's cursor.
    await hall.restart({ db: backup });
    const after = await api(hall.server.url, 'GET', `/api/v1/sync/pull?staffCursor=${encodeURIComponent(before.body.staff.cursor)}`, { token: hall.kiosk.token });
    expect(after.body.staff).toMatchObject({ full: true, members: [{ id: '1001' }] });
  });

  it('manages staff from the CLI and makes template keys', async () => {
    const [add, refused, key] = await Promise.all([
      cli(hall.db, ['staff:add', '2001', '--name', '王芳', '--department', 'social', '--counter', '21号窗口', '--role', 'supervisor']),
      cli(hall.db, ['staff:add', '2002', '--name', '赵敏']),
      cli(hall.db, ['template-key:new']),
    ]);
    expect(add, add.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining('staff 2001 added to social, 21号窗口 (supervisor)') });
    expect(Buffer.from(key.stdout.trim(), 'base64')).toHaveLength(32);
    const update = await cli(hall.db, ['staff:update', '2001', '--counter', '']);
    expect(update, update.stderr).toMatchObject({ code: 0 });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('departmentId');
    const deactivate = await cli(hall.db, ['staff:deactivate', '2001']);
    expect(deactivate.stdout).toContain('0 fingerprint template(s) deleted');
    const [list, exported] = await Promise.all([cli(hall.db, ['staff:list', '--all']), cli(hall.db, ['attendance:export', '--month', '2026-03', '--by', 'department'])]);
    expect(exported, exported.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\uFEFF月份,部门编号,部门,人数,应到\(次\)/) });
    expect(list.stdout).toMatch(/2001\t王芳\tsocial\t-\tsupervisor\t-\tinactive/);

    const rows = await inspect(hall.db, (k) => k.selectFrom('staff').select(['id', 'counter', 'active']).execute());
    expect(rows).toEqual([{ id: '2001', counter: null, active: 0 }]);
  }, 60_000);
});

describeEngines('serve with a template key', (engine) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hall-key-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to serve with a malformed key, naming the problem', async () => {
    const db = await engine.fresh();
    const file = join(dir, 'short.key');
    writeFileSync(file, Buffer.alloc(20).toString('base64'));
    const [fromFile, fromEnv] = await Promise.all([cli(db, ['serve', '--port', '0', '--template-key-file', file]), cli(db, ['serve', '--port', '0'], { HALL_TEMPLATE_KEY: 'nope!' })]);
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toContain(`the template key file ${file} decodes to 20 bytes`);
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toContain('HALL_TEMPLATE_KEY is not base64');
    expect(readFileSync(file, 'utf8')).toHaveLength(28);
  }, 60_000);

  it('rotates the template key from the CLI, keys read from files and the environment only', async () => {
    const db = await engine.fresh();
    const [oldText, newText] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    const clock = { now: () => Date.now() };
    const added = await cli(db, ['staff:add', '3001', '--name', '周杰', '--department', 'market']);
    expect(added, added.stderr).toMatchObject({ code: 0 });
    await inspect(db, (k) => new TemplateStore(k, clock, parseTemplateKey(oldText, 'old')).put('3001', 1, Buffer.alloc(512, 7), 'as608-char', null));
    const newFile = join(dir, 'new.key');
    writeFileSync(newFile, newText);
    const [missing, rotated] = [await cli(db, ['template-key:rotate'], { HALL_TEMPLATE_KEY: oldText }), await cli(db, ['template-key:rotate', '--new-template-key-file', newFile], { HALL_TEMPLATE_KEY: oldText })];
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('needs --new-template-key-file');
    const newKey = parseTemplateKey(newText, 'new');
    expect(rotated, rotated.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining(`1 fingerprint template(s) re-encrypted from key ${parseTemplateKey(oldText, 'old').id} to key ${newKey.id}`) });
    expect(rotated.stdout + rotated.stderr).not.toContain(newText);
    expect(await inspect(db, (k) => k.selectFrom('staff_templates').select('key_id').execute())).toEqual([{ key_id: newKey.id }]);
    expect((await inspect(db, (k) => new TemplateStore(k, clock, newKey).get('3001', 1)))?.template).toBe(Buffer.alloc(512, 7).toString('base64'));
  }, 60_000);
});
