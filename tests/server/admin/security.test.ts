import { describe, expect, it } from 'vitest';
import { hallLocalTime } from '../../../core/calendar/business-day.ts';
import { createAdminUser, lockMsAfter, loginFailuresBeforeLock } from '../../../server/admin/admin-users.ts';
import { openDatabase } from '../../../server/db/connect.ts';
import { migrateToLatest } from '../../../server/db/migrations.ts';
import { field } from '../../../server/calendar/page-form.ts';
import { createServerLogger } from '../../../server/http/logger.ts';
import { describeEngines } from '../support/engines.ts';
import type { TestDatabase } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { api } from '../support/http.ts';
import { inspect, spawnServer, startTestServer, testAdmin } from '../support/servers.ts';
import type { SpawnedServer, TestServer } from '../support/servers.ts';
import { systemClockForTests } from '../support/system-clock.ts';

/**
 * Issue 14.2–14.4: no admin action without the admin's intent (CSRF), logout ends the session on
 * every server process, and guessing an admin's password is slow whoever and wherever guesses.
 */

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

/** The hidden `_csrf` field of the first POST form on an admin page. */
function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  expect(token, 'the page has a CSRF field').toBeDefined();
  return token!;
}

/**
 * The mutating routes that are not the admin's: kiosks', counters' (a bearer session no other page
 * can attach) and the public enrolment and sign-in. A new one must be placed here or under /admin.
 */
const deviceOrPublicRoutes = new Set([
  'POST /api/v1/devices/enroll',
  'POST /api/v1/sync/push',
  'POST /api/v1/numbers/next',
  'POST /api/v1/numbers/lease',
  'POST /api/v1/devices/status',
  'POST /api/v1/updates/health',
  'PUT /api/v1/staff/:staffId/templates/:finger',
  'DELETE /api/v1/staff/:staffId/templates/:finger',
  'POST /api/v1/staff/:staffId/enrolment-grants',
  'POST /api/v1/attendance/checkins',
  'POST /api/v1/counter/sign-in',
  'POST /api/v1/counter/press',
  'POST /api/v1/counter/sign-out',
  // a screen's one-time code for its cookie: the code is the proof, and a forged request has none
  'POST /api/v1/displays/enroll',
]);

const isAdminRoute = (url: string) => url.startsWith('/admin') || url.startsWith('/api/v1/admin');

/** Row counts of every table an admin action could touch. */
async function tableCounts(db: TestDatabase): Promise<Record<string, number>> {
  const tables = ['admin_sessions', 'admin_login_failures', 'devices', 'catalog_drafts', 'catalog_versions', 'staff', 'staff_templates', 'work_schedules', 'department_schedules', 'absences', 'spot_checks', 'hall_calendar', 'enrolment_grants'] as const;
  return inspect(db, async (k) => {
    const counts: Record<string, number> = {};
    for (const table of tables) counts[table] = Number((await k.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return counts;
  });
}

describeEngines('admin requests need the admin’s intent (CSRF)', (engine) => {
  const hall = useHallServer(engine);

  it('refuses every state-changing admin route, pages and API, from another origin or another port of this host; nothing changes', async () => {
    const cookie = await hall.adminPageSession('/admin/kiosks');
    const token = await hall.adminToken();
    const page = await (await fetch(`${hall.server.url}/admin/hall-calendar`, { headers: { cookie } })).text();
    const csrf = csrfOf(page);

    const unsafe = hall.server.app.routeTable.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
    const unclassified = unsafe.filter((r) => !isAdminRoute(r.url) && !deviceOrPublicRoutes.has(`${r.method} ${r.url}`));
    expect(unclassified, 'a new state-changing route: is it an admin route?').toEqual([]);
    const adminRoutes = unsafe.filter((r) => isAdminRoute(r.url));
    // The pages (login, logout, calendar) and the API (devices, catalog, staff, attendance, calendar…).
    expect(adminRoutes.length).toBeGreaterThanOrEqual(18);
    expect(adminRoutes).toContainEqual({ method: 'POST', url: '/admin/hall-calendar' });
    expect(adminRoutes).toContainEqual({ method: 'POST', url: '/api/v1/admin/logout' });

    const port = Number(new URL(hall.server.url).port);
    const attacks: Record<string, string>[] = [
      { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      // SameSite=Strict lets this one carry the cookie: another port of the same host is same-site.
      { origin: `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`, 'sec-fetch-site': 'same-site' },
      { origin: 'null' },
      // A sandboxed frame of another site posts with Origin: null; Fetch Metadata gives it away.
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    const before = await tableCounts(hall.db);
    for (const route of adminRoutes) {
      const path = route.url.replace(/:[A-Za-z]+/g, 'x1');
      const isPage = route.url.startsWith('/admin/');
      for (const attack of attacks) {
        const response = await fetch(`${hall.server.url}${path}`, {
          method: route.method,
          redirect: 'manual',
          headers: isPage
            ? { ...attack, cookie, 'content-type': 'application/x-www-form-urlencoded' }
            : { ...attack, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: isPage ? form({ _csrf: csrf, baseRevision: '0', 'quota.day.0': '5', username: testAdmin.username, password: testAdmin.password }) : JSON.stringify({ name: 'x', publish: true }),
        });
        const label = `${route.method} ${route.url} ${JSON.stringify(attack)}`;
        expect(response.status, label).toBe(403);
        expect(((await response.json()) as { error: { code: string } }).error.code, label).toBe('cross-origin-refused');
      }
    }
    expect(await tableCounts(hall.db)).toEqual(before);
    // The sessions the attacks rode on are still the admin's: a refused logout ended nothing.
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/status', { token })).status).toBe(200);
    expect((await fetch(`${hall.server.url}/admin/kiosks`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
  });

  it('refuses a page form without its session’s token or with another session’s; the page’s own form saves', async () => {
    const cookie = await hall.adminPageSession('/admin/hall-calendar');
    const own = hall.server.url;
    const page = await (await fetch(`${own}/admin/hall-calendar`, { headers: { cookie } })).text();
    const csrf = csrfOf(page);
    const other = await api(own, 'POST', '/api/v1/admin/login', { body: { username: 'office', password: 'correct horse battery' } });
    const otherCsrf = csrfOf(await (await fetch(`${own}/admin/hall-calendar`, { headers: { cookie: `hall_admin=${other.body.token}` } })).text());
    expect(otherCsrf).not.toBe(csrf);
    const post = (values: Record<string, string>, origin = own) =>
      fetch(`${own}/admin/hall-calendar`, { method: 'POST', redirect: 'manual', headers: { cookie, origin, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' }, body: form(values) });
    const revisions = () => inspect(hall.db, (d) => d.selectFrom('hall_calendar').select('revision').execute());
    const edit = { [field.baseRevision]: '0', year: '2026', [field.quotaDay(0)]: '5' };

    for (const values of [edit, { ...edit, _csrf: '' }, { ...edit, _csrf: otherCsrf }, { ...edit, _csrf: csrf.slice(0, -1) }]) {
      const refused = await post(values);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('csrf-token-invalid');
    }
    expect(await revisions()).toEqual([]);
    // A logout without the token is refused too, and the session goes on.
    const logout = await fetch(`${own}/admin/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(logout.status).toBe(403);
    expect((await fetch(`${own}/admin/hall-calendar`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);

    // Chromium posts a page's form with `Origin: null` when the page withholds its referrer; its
    // Fetch Metadata says same-origin, and the page's token is the proof.
    const pageHeaders = await fetch(`${own}/admin/hall-calendar`, { headers: { cookie } });
    expect(pageHeaders.headers.get('referrer-policy')).toBe('same-origin');
    const saved = await post({ ...edit, _csrf: csrf }, 'null');
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/admin/hall-calendar?saved=1&year=2026');
    expect(await revisions()).toHaveLength(1);
  });

  it('lets the admin API through for clients without a browser (no Origin) and for this server’s own origin', async () => {
    const token = await hall.adminToken();
    expect((await api(hall.server.url, 'POST', '/api/v1/admin/devices', { token, body: { name: 'CLI kiosk' } })).status).toBe(200);
    const same = await api(hall.server.url, 'POST', '/api/v1/admin/devices', { token, body: { name: 'page kiosk' }, headers: { origin: hall.server.url, 'sec-fetch-site': 'same-origin' } });
    expect(same.status).toBe(200);
  });
});

describeEngines('admin logout and session expiry', (engine) => {
  const hall = useHallServer(engine);

  it('logout from the page revokes the session: the cookie gets the login page and its token as a bearer gets 401', async () => {
    const cookie = await hall.adminPageSession('/admin/kiosks');
    const token = decodeURIComponent(cookie.split('=')[1]!);
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/status', { token })).status).toBe(200);
    const page = await (await fetch(`${hall.server.url}/admin/kiosks`, { headers: { cookie } })).text();
    const logout = await fetch(`${hall.server.url}/admin/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: hall.server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ _csrf: csrfOf(page) }),
    });
    expect(logout.status).toBe(303);
    expect(logout.headers.get('set-cookie')).toMatch(/^hall_admin=; .*Max-Age=0/);

    const after = await fetch(`${hall.server.url}/admin/kiosks`, { headers: { cookie }, redirect: 'manual' });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fkiosks');
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/status', { token })).status).toBe(401);
    expect(await inspect(hall.db, (d) => d.selectFrom('admin_sessions').selectAll().execute())).toEqual([]);
  });

  it('logout over the API revokes the bearer token; an expired session is refused too', async () => {
    const token = await hall.adminToken();
    expect((await api(hall.server.url, 'POST', '/api/v1/admin/logout', { token })).body).toMatchObject({ loggedOut: true });
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/status', { token })).body.error.code).toBe('token-invalid');

    const cookie = await hall.adminPageSession('/admin/kiosks');
    const second = (await api(hall.server.url, 'POST', '/api/v1/admin/login', { body: testAdmin })).body.token as string;
    hall.clock.advance(8 * 60 * 60 * 1000 + 1_000);
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/status', { token: second })).status).toBe(401);
    expect((await fetch(`${hall.server.url}/admin/kiosks`, { headers: { cookie }, redirect: 'manual' })).status).toBe(303);
  });

  it('stores session tokens hashed, never as sent', async () => {
    const token = await hall.adminToken();
    const rows = await inspect(hall.db, (d) => d.selectFrom('admin_sessions').selectAll().execute());
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token.slice(4, 20));
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

async function preparedDatabase(engine: { fresh(): Promise<TestDatabase> }): Promise<TestDatabase> {
  const db = await engine.fresh();
  const opened = openDatabase(db.target);
  try {
    await migrateToLatest(opened, systemClockForTests);
    await createAdminUser(opened.db, systemClockForTests, testAdmin.username, testAdmin.password);
  } finally {
    await opened.close();
  }
  return db;
}

describeEngines('a revoked admin session on two server processes', (engine) => {
  it('a logout on one process ends the session on the other', async () => {
    const db = await preparedDatabase(engine);
    const servers: SpawnedServer[] = [];
    try {
      for (let i = 0; i < 2; i++) servers.push(await spawnServer(['serve', '--port', '0', '--db', db.dbArg, '--log-level', 'warn']));
      const [a, b] = servers as [SpawnedServer, SpawnedServer];
      const token = (await api(a.url, 'POST', '/api/v1/admin/login', { body: testAdmin })).body.token as string;
      const cookie = `hall_admin=${encodeURIComponent(token)}`;
      expect((await fetch(`${b.url}/admin/kiosks`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
      expect((await api(b.url, 'GET', '/api/v1/admin/status', { token })).status).toBe(200);

      expect((await api(a.url, 'POST', '/api/v1/admin/logout', { token })).status).toBe(200);
      const page = await fetch(`${b.url}/admin/kiosks`, { headers: { cookie }, redirect: 'manual' });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toContain('/admin/login');
      expect((await api(b.url, 'GET', '/api/v1/admin/status', { token })).status).toBe(401);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});

describeEngines('admin login lockout', (engine) => {
  const logs: string[] = [];
  const hall = useHallServer(engine, { server: () => ({ logger: createServerLogger({ level: 'info', destination: { write: (line: string) => void logs.push(line) } }) }) });
  const login = (server: TestServer, password: string, username: string = testAdmin.username) => api(server.url, 'POST', '/api/v1/admin/login', { body: { username, password } });
  const hhmm = (at: number) => hallLocalTime(at, 'Asia/Shanghai').time.slice(0, 5);

  it('locks the account in the database after five failures, for every server process, with a growing lock', async () => {
    await hall.adminToken();
    logs.length = 0;
    // A second process of the same hall: its own memory, the same database.
    const other = await startTestServer(hall.db, { clock: hall.clock, logger: createServerLogger({ level: 'silent' }) });
    try {
      const servers = [hall.server, other];
      for (let i = 1; i < loginFailuresBeforeLock; i++) expect((await login(servers[i % 2]!, `wrong guess ${i}`)).status).toBe(401);
      const fifth = await login(other, 'wrong guess 5');
      expect(fifth.status).toBe(429);
      expect(fifth.body.error.code).toBe('admin-locked');
      const until = fifth.body.error.lockedUntil as number;
      expect(until - hall.clock.now()).toBeGreaterThan(lockMsAfter(5) - 5_000);
      expect(fifth.body.error.message).toContain(`locked until ${hhmm(until)} (hall time)`);
      expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);

      // The right password meets the lock on both processes, and guesses do not lengthen it.
      for (const server of servers) {
        const refused = await login(server, testAdmin.password);
        expect(refused.status).toBe(429);
        expect(refused.body.error.lockedUntil).toBe(until);
      }
      // The login page says until when, in hall time.
      const pageLogin = await fetch(`${hall.server.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ ...testAdmin, next: '/admin/kiosks' }) });
      expect(pageLogin.status).toBe(429);
      expect(pageLogin.headers.get('set-cookie')).toBeNull();
      expect(await pageLogin.text()).toContain(`该账户已锁定至 ${hhmm(until)}（大厅时间）`);

      // After the lock, one more failure locks again, for longer.
      hall.clock.setTo(until + 1_000);
      const sixth = await login(hall.server, 'wrong guess 6');
      expect(sixth.status).toBe(429);
      expect(sixth.body.error.lockedUntil - hall.clock.now()).toBeGreaterThan(lockMsAfter(6) - 5_000);
      expect(lockMsAfter(6)).toBeGreaterThan(lockMsAfter(5));
      hall.clock.setTo((sixth.body.error.lockedUntil as number) + 1_000);
      expect((await login(other, testAdmin.password)).status).toBe(200);
      // A success forgets the failures.
      expect(await inspect(hall.db, (d) => d.selectFrom('admin_login_failures').selectAll().execute())).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('writes an audit line for each failed login with address and count, never the password', async () => {
    await hall.adminToken();
    logs.length = 0;
    await login(hall.server, 'wrong guess one');
    // Someone typing the password into the name field: that name must not be logged either.
    await login(hall.server, 'correct horse battery', 'correct-horse-battery-typed-as-name');
    const audit = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === 'admin-login-failed');
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ user: 'admin', address: '127.0.0.1', failures: 1, lockedUntil: null });
    expect(audit[1]).toMatchObject({ user: null, address: '127.0.0.1', failures: 1 });
    const all = logs.join('\n');
    expect(all).not.toContain('wrong guess one');
    expect(all).not.toContain('correct-horse-battery');
    expect(all).not.toContain('correct horse battery');
  });

  it('keeps the per-address limit: one address cannot spread guesses over many names', async () => {
    await hall.restart({ anonymousRateLimit: { capacity: 3, refillPerSecond: 0.001 } });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await login(hall.server, 'guess', `name${i}`)).status);
    expect(answers).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('login backoff', () => {
  it('grows from a minute and stops at an hour', () => {
    expect(lockMsAfter(loginFailuresBeforeLock - 1)).toBe(0);
    expect(lockMsAfter(loginFailuresBeforeLock)).toBe(60_000);
    expect(lockMsAfter(loginFailuresBeforeLock + 1)).toBe(120_000);
    expect(lockMsAfter(100)).toBe(60 * 60_000);
  });
});
