import { expect, it } from 'vitest';
import { demoCatalog } from '../../support/demo-hall.ts';
import { CatalogStore } from '../../../server/catalog/catalog-store.ts';
import { migrateToLatest } from '../../../server/db/migrations.ts';
import { addStaff } from '../../../server/staff/roster.ts';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import { runServerCli } from '../support/server-cli.ts';
import { inspect, startTestServer } from '../support/servers.ts';
import { systemClockForTests } from '../support/system-clock.ts';

describeEngines('counter calling from the CLI', (engine) => {
  // Each command is a process of its own, compiled on start: slow on a busy machine.
  it('sets up a window and a counter PIN, checking both, and the clerk signs in with that PIN', { timeout: 120_000 }, async () => {
    const db = await engine.fresh();
    await inspect(db, async (k, opened) => {
      await migrateToLatest(opened, systemClockForTests);
      await new CatalogStore(k).import(demoCatalog, systemClockForTests);
      await addStaff(k, systemClockForTests, { id: '2101', name: '王芳', departmentId: 'social' });
    });
    const set = await runServerCli(['window:set', '21', '--name', '21号窗口', '--department', 'social', '--main', 'ss-card', '--extra', 'pension', '--no-evaluator'], { db });
    expect(set, set.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining('window 21 "21号窗口" of social: 主办 ss-card; 兼办 pension (closed)') });
    const [unknown, listed, short, nobody] = await Promise.all([
      runServerCli(['window:set', '22', '--department', 'social', '--main', 'nothing'], { db }),
      runServerCli(['window:list'], { db }),
      runServerCli(['counter:pin', '2101'], { db, stdin: '123\n' }),
      runServerCli(['counter:pin', 'nobody'], { db, env: { HALL_COUNTER_PIN: '135790' } }),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no service nothing in the published catalog');
    expect(listed.stdout.trim()).toBe('21\t21号窗口\tsocial\tss-card+pension\tclosed');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 6 characters');
    expect(nobody.stderr).toContain('no staff member nobody');
    const pin = await runServerCli(['counter:pin', '2101'], { db, stdin: '135790\n' });
    expect(pin, pin.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining('counter PIN set for staff 2101') });

    const server = await startTestServer(db);
    try {
      const signIn = await api(server.url, 'POST', '/api/v1/counter/sign-in', { body: { staffId: '2101', pin: '135790', window: 21 } });
      expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
      expect(signIn.body.window).toMatchObject({ number: 21, state: 'idle', hasEvaluator: false });
    } finally {
      await server.close();
    }
  });
});
