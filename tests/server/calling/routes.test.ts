import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { pressResultSchema, windowQueueSchema } from '../../../core/queue/counter-api.ts';
import { apiErrorSchema } from '../../../core/sync/errors.ts';
import { printedTickets } from '../support/calling.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { api } from '../support/http.ts';
import type { ApiResponse } from '../support/http.ts';

describeEngines('counter calling over HTTP', (engine) => {
  const hall = useHallServer(engine, { kiosk: { name: 'entrance', trueTime: 'hall' } });

  /** The hall office sets up window 21 for 社会保障卡 and staff member 2101 with a PIN. */
  async function setUp(): Promise<(method: string, path: string, body?: unknown) => Promise<ApiResponse>> {
    const token = await hall.adminToken();
    const admin = (method: string, path: string, body?: unknown) => api(hall.server.url, method, path, { token, body });
    expect((await admin('POST', '/api/v1/admin/staff', { id: '2101', name: '王芳', departmentId: 'social', counter: '21号窗口' })).status).toBe(200);
    const window = await admin('PUT', '/api/v1/admin/windows/21', { name: '21号窗口', departmentId: 'social', profile: { main: ['ss-card'], extra: ['pension'] }, hasEvaluator: false });
    expect(window.status, JSON.stringify(window.body)).toBe(200);
    expect(window.body.window).toMatchObject({ number: 21, state: 'closed', profile: { main: ['ss-card'], extra: ['pension'] } });
    expect((await admin('PUT', '/api/v1/admin/staff/2101/counter-pin', { pin: '246810' })).status).toBe(200);
    return admin;
  }

  const signIn = (pin: string, window = 21) => api(hall.server.url, 'POST', '/api/v1/counter/sign-in', { body: { staffId: '2101', pin, window } });
  const press = (token: string, press: unknown, idempotencyKey: string = randomUUID()) => api(hall.server.url, 'POST', '/api/v1/counter/press', { token, body: { idempotencyKey, press } });

  it('sets up windows and PINs for admins only, checking what it is given', async () => {
    const admin = await setUp();
    expect((await api(hall.server.url, 'PUT', '/api/v1/admin/windows/22', { body: { name: 'x', departmentId: 'social', profile: { main: ['ss-card'] } } })).status).toBe(401);
    const unknown = await admin('PUT', '/api/v1/admin/windows/22', { name: '22号窗口', departmentId: 'social', profile: { main: ['no-such-service'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('no-such-service');
    expect((await admin('PUT', '/api/v1/admin/staff/2101/counter-pin', { pin: '123' })).status).toBe(400);
    expect((await admin('PUT', '/api/v1/admin/staff/nobody/counter-pin', { pin: '123456' })).status).toBe(400);
    expect((await admin('GET', '/api/v1/admin/windows')).body.windows.map((w: { number: number }) => w.number)).toEqual([21]);
    // The PIN is kept as a salted scrypt hash, never as typed.
    const stored = await hall.server.db.db.selectFrom('counter_credentials').select('pin_hash').executeTakeFirstOrThrow();
    expect(stored.pin_hash).toMatch(/^scrypt\$/);
    expect(stored.pin_hash).not.toContain('246810');
  });

  it('signs a clerk in with the PIN, locks the staff number after five wrong ones, and ends the session at 签退', async () => {
    await setUp();
    for (let i = 1; i <= 4; i++) {
      const wrong = await signIn('000000');
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('counter-credentials-invalid');
    }
    const locking = await signIn('000000');
    expect(locking.status).toBe(429);
    expect(apiErrorSchema.parse(locking.body).error).toMatchObject({ code: 'counter-locked', lockedUntil: expect.any(Number) });
    // Locked: even the right PIN is refused, unchecked, until the lock ends.
    expect((await signIn('246810')).status).toBe(429);
    hall.clock.advance(61_000);

    const session = await signIn('246810');
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    expect(session.body.window).toMatchObject({ number: 21, state: 'idle', staffId: '2101' });
    const token = session.body.token as string;
    expect(token).toMatch(/^hkc_/);

    const signOut = await api(hall.server.url, 'POST', '/api/v1/counter/sign-out', { token, body: { idempotencyKey: randomUUID() } });
    expect(signOut.status).toBe(200);
    expect(signOut.body.window).toMatchObject({ state: 'closed', staffId: null });
    const after = await press(token, { action: 'call' });
    expect(after.status).toBe(401);

    // Taken off the roster: the PIN opens no window any more.
    const admin = await hall.adminToken();
    expect((await api(hall.server.url, 'POST', '/api/v1/admin/staff/2101/deactivate', { token: admin })).status).toBe(200);
    expect((await signIn('246810')).status).toBe(401);
  });

  it('answers each press with the window and leg afterwards, a refusal with 409 and the reason in both languages, a repeat with the first answer', async () => {
    await setUp();
    const at = hall.clock.now() - 60_000;
    await printedTickets(hall.kiosk, [{ sequence: 1, at }, { sequence: 2, at: at + 1000, serviceId: 'pension', prefix: 'E' }]);
    const token = (await signIn('246810')).body.token as string;

    const key = randomUUID();
    const called = await press(token, { action: 'call' }, key);
    expect(called.status).toBe(200);
    const result = pressResultSchema.parse(called.body);
    expect(result).toMatchObject({ action: 'call', replayed: false, window: { state: 'calling' }, leg: { label: 'D001', state: 'called' } });
    const again = await press(token, { action: 'call' }, key);
    expect(pressResultSchema.parse(again.body)).toEqual({ ...result, replayed: true });

    const refused = await press(token, { action: 'no-show' });
    expect(refused.status).toBe(409);
    const error = apiErrorSchema.parse(refused.body).error;
    expect(error).toMatchObject({ code: 'counter-refused', refusal: 'no-show-too-soon', localized: { zh: expect.stringContaining('暂不能过号'), en: expect.stringContaining('cannot be a no-show yet') } });
    expect(error.message).toBe(error.localized!.zh);

    const queue = await api(hall.server.url, 'GET', '/api/v1/counter/queue', { token });
    expect(queue.status).toBe(200);
    const view = windowQueueSchema.parse(queue.body);
    expect(view.current).toMatchObject({ label: 'D001' });
    // 兼办 pension comes after every 主办 service: E002 is what 叫号 takes next.
    expect(view.waiting.map((l) => l.label)).toEqual(['E002']);
    expect(view.today).toEqual({ called: 1, served: 0, noShows: 0, transferred: 0 });

    expect((await press(token, { action: 'teleport' })).status).toBe(400);
    expect((await api(hall.server.url, 'POST', '/api/v1/counter/press', { token, body: { press: { action: 'call' } } })).status).toBe(400);
    const other = await press(token, { action: 'start' }, key);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency-key-reused');
  });

  it('lets an admin void a leg a window holds, through the admin API, audited with the admin', async () => {
    const admin = await setUp();
    await printedTickets(hall.kiosk, [{ sequence: 1, at: hall.clock.now() - 60_000 }]);
    const token = (await signIn('246810')).body.token as string;
    const leg = (await press(token, { action: 'call' })).body.leg;
    const voided = await admin('POST', `/api/v1/admin/legs/${leg.id}/actions`, { idempotencyKey: randomUUID(), action: 'void' });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    expect(voided.body).toMatchObject({ leg: { state: 'voided' }, window: { number: 21, state: 'idle' } });
    const missing = await admin('POST', '/api/v1/admin/legs/nothing/actions', { idempotencyKey: randomUUID(), action: 'void' });
    expect(missing.status).toBe(404);
    const audit = await hall.server.db.db.selectFrom('counter_actions').select(['action', 'admin_user']).where('action', '=', 'void').execute();
    expect(audit).toEqual([{ action: 'void', admin_user: 'admin' }]);
  });
});
