import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CatalogStore } from '../../server/catalog/catalog-store.ts';
import { migrateToLatest } from '../../server/db/migrations.ts';
import { readHallState } from '../../server/hall/hall-settings.ts';
import { describeEngines } from './support/engines.ts';
import type { TestDatabase } from './support/engines.ts';
import { api } from './support/http.ts';
import { TestKiosk } from './support/kiosk.ts';
import { inspect, startTestServer } from './support/servers.ts';
import { systemClockForTests } from './support/system-clock.ts';
import { runServerCli } from './support/server-cli.ts';
import { demoCatalog, demoGuides } from '../support/demo-hall.ts';

const cli = (db: TestDatabase, args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) => runServerCli(args, { db, ...options });

describeEngines('server CLI', (engine) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hall-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates admins (password from the environment or stdin) and refuses weak passwords', async () => {
    const db = await engine.fresh();
    const [fromEnv, fromStdin, weak] = await Promise.all([
      cli(db, ['admin:create', 'zhang.wei'], { env: { HALL_ADMIN_PASSWORD: 'correct horse battery' } }),
      cli(db, ['admin:create', 'li.na'], { stdin: 'another long secret\n' }),
      cli(db, ['admin:create', 'wang.fang'], { stdin: 'short\n' }),
    ]);
    expect(fromEnv, fromEnv.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining('admin user "zhang.wei" created') });
    expect(fromStdin, fromStdin.stderr).toMatchObject({ code: 0 });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('at least 10 characters');

    const server = await startTestServer(db);
    try {
      const login = await api(server.url, 'POST', '/api/v1/admin/login', { body: { username: 'li.na', password: 'another long secret' } });
      expect(login.status).toBe(200);
      const wrong = await api(server.url, 'POST', '/api/v1/admin/login', { body: { username: 'li.na', password: 'guess' } });
      expect(wrong.body.error.code).toBe('admin-credentials-invalid');
    } finally {
      await server.close();
    }
  });

  it('creates a device with a one-time code, and revokes it', async () => {
    const db = await engine.fresh();
    const created = await cli(db, ['device:create', '东门 1 号机']);
    expect(created.code, created.stderr).toBe(0);
    const code = /enrollment code: (\S+)/.exec(created.stdout)?.[1];
    const deviceId = /device (\S+)/.exec(created.stdout)?.[1];
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    const server = await startTestServer(db);
    try {
      const kiosk = await TestKiosk.enroll(server.url, code!);
      expect(kiosk.deviceId).toBe(deviceId);
      expect((await kiosk.pull()).status).toBe(200);

      const revoked = await cli(db, ['device:revoke', deviceId!]);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect((await kiosk.pull()).body.error.code).toBe('device-revoked');
      expect((await cli(db, ['device:revoke', deviceId!])).code).toBe(2);

      const list = await cli(db, ['device:list']);
      expect(list.stdout).toMatch(new RegExp(`${deviceId}\\s+东门 1 号机\\s+revoked`));
    } finally {
      await server.close();
    }
  });

  it('imports a catalog all or nothing', async () => {
    const db = await engine.fresh();
    const guides = Object.fromEntries(demoCatalog.services.map((s) => [s.id, demoGuides[s.id]]));
    const good = join(dir, `good-${engine.name}.json`);
    writeFileSync(good, JSON.stringify({ catalog: demoCatalog, guides }));
    const bad = join(dir, `bad-${engine.name}.json`);
    const clash = demoCatalog.services.map((s, i) => (i === 1 ? { ...s, prefix: 'A' } : s));
    writeFileSync(bad, JSON.stringify({ catalog: { ...demoCatalog, services: clash }, guides }));
    const broken = join(dir, `broken-${engine.name}.json`);
    writeFileSync(broken, '{"catalog": {"departments": [');

    const imported = await cli(db, ['catalog:import', good, '--publish']);
    expect(imported, imported.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining(`catalog imported from good-${engine.name}.json: 5 departments, 11 services, 11 guides`) });
    expect(imported.stdout).toContain('published as catalog version 0');

    const refused = await cli(db, ['catalog:import', bad, '--publish']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('catalog.services[1].prefix: 取号字母“A”已被事项“biz-registration”使用，全厅不能重复（另见 catalog.services[0].prefix）');
    expect(refused.stderr).toContain('nothing imported');
    expect((await cli(db, ['catalog:import', broken])).stderr).toContain('cannot read');

    const versions = await inspect(db, (k) => k.selectFrom('catalog_versions').select('version').execute());
    expect(versions).toEqual([{ version: 0 }]);
  });

  it('marks a restored database: new epoch, counters of today and later moved ahead', async () => {
    const db = await engine.fresh();
    const epoch = await inspect(db, async (k, opened) => {
      await migrateToLatest(opened, systemClockForTests);
      await new CatalogStore(k).import(demoCatalog, systemClockForTests);
      // The spawned CLI runs on the real clock; a far-future day is "today or later" whatever today is.
      await k
        .insertInto('number_counters')
        .values([
          { hall_id: 'hall', service_id: 'ss-card', business_day: '2999-01-01', prev_number: 0, last_number: 7, issued: 7 },
          { hall_id: 'hall', service_id: 'ss-card', business_day: '2000-01-01', prev_number: 0, last_number: 9, issued: 9 },
        ])
        .execute();
      return (await readHallState(k)).epoch;
    });
    const marked = await cli(db, ['db:mark-restored', '--skip', '50']);
    expect(marked.code, marked.stderr).toBe(0);
    expect(marked.stdout).toContain('1 number counters of today and later moved ahead by 50');
    const after = await inspect(db, async (k) => ({
      epoch: (await readHallState(k)).epoch,
      counters: await k.selectFrom('number_counters').select(['business_day', 'last_number', 'lease_floor']).orderBy('business_day').execute(),
    }));
    expect(after.epoch).not.toBe(epoch);
    // Leases skip down from the top of ss-card's lease band (999, above its quota of 300) as online numbers skip up.
    expect(after.counters.map((c) => ({ ...c, lease_floor: c.lease_floor === null ? null : Number(c.lease_floor) }))).toEqual([
      { business_day: '2000-01-01', last_number: 9, lease_floor: null },
      { business_day: '2999-01-01', last_number: 57, lease_floor: 950 },
    ]);

    // Stamped for the restore witness as well: serving it afterwards is no second restore.
    const server = await startTestServer(db, { restoreSkip: 50 });
    await server.close();
    const served = await inspect(db, async (k) => ({ epoch: (await readHallState(k)).epoch, counter: await k.selectFrom('number_counters').select('last_number').where('business_day', '=', '2999-01-01').executeTakeFirstOrThrow() }));
    expect(served).toEqual({ epoch: after.epoch, counter: { last_number: 57 } });
  });

  it('migrates a fresh database once when several processes start on it together', async () => {
    const db = await engine.fresh();
    const runs = await Promise.all(Array.from({ length: 5 }, (_, i) => cli(db, ['device:create', `kiosk ${i}`])));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const rows = await inspect(db, async (k) => ({
      devices: (await k.selectFrom('devices').select('name').execute()).length,
      settings: (await k.selectFrom('hall_settings').selectAll().execute()).length,
    }));
    expect(rows).toEqual({ devices: 5, settings: 1 });
  });

  it('explains its usage', async () => {
    const db = await engine.fresh();
    const unknown = await cli(db, ['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('device:create <name>');
  });
});
