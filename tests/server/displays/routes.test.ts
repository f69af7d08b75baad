import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { displayStateSchema } from '../../../core/display/display.ts';
import { printedTickets } from '../support/calling.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { openHallEvents } from '../support/hall-event-stream.ts';
import type { HallEventClient } from '../support/hall-event-stream.ts';
import { api } from '../support/http.ts';
import type { ApiResponse } from '../support/http.ts';

describeEngines('hall displays over HTTP', (engine) => {
  const hall = useHallServer(engine, { kiosk: { name: 'entrance', trueTime: 'hall' } });

  /** Windows 21 (social, 社会保障卡) and 3 (market, 企业设立登记), each with a signed-in clerk; tickets for both. */
  async function setUp() {
    const token = await hall.adminToken();
    const admin = (method: string, path: string, body?: unknown) => api(hall.server.url, method, path, { token, body });
    const counters: Record<number, string> = {};
    for (const [window, staffId, name, departmentId, service] of [
      [21, '2101', '王芳', 'social', 'ss-card'],
      [3, '3101', '李明', 'market', 'biz-registration'],
    ] as const) {
      expect((await admin('POST', '/api/v1/admin/staff', { id: staffId, name, departmentId, counter: `${window}号窗口` })).status).toBe(200);
      expect((await admin('PUT', `/api/v1/admin/windows/${window}`, { name: `${window}号窗口`, departmentId, profile: { main: [service] }, hasEvaluator: false })).status).toBe(200);
      expect((await admin('PUT', `/api/v1/admin/staff/${staffId}/counter-pin`, { pin: '246810' })).status).toBe(200);
      const session = await api(hall.server.url, 'POST', '/api/v1/counter/sign-in', { body: { staffId, pin: '246810', window } });
      expect(session.status, JSON.stringify(session.body)).toBe(200);
      counters[window] = session.body.token;
    }
    const now = hall.clock.now();
    await printedTickets(hall.kiosk, [1, 2, 3].map((sequence) => ({ sequence, at: now - 60_000 + sequence })));
    await printedTickets(hall.kiosk, [1, 2, 3].map((sequence) => ({ serviceId: 'biz-registration', departmentId: 'market', prefix: 'A', sequence, at: now - 60_000 + sequence })));
    const press = async (window: number, action: string) => {
      const answer = await api(hall.server.url, 'POST', '/api/v1/counter/press', { token: counters[window], body: { idempotencyKey: randomUUID(), press: { action } } });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };
    const called = new Set<number>();
    /** 叫号, after serving the ticket called before */
    const call = async (window: number) => {
      if (called.has(window)) {
        await press(window, 'start');
        await press(window, 'finish');
      }
      called.add(window);
      return press(window, 'call');
    };
    return { admin, call };
  }

  async function enrolled(admin: (method: string, path: string, body?: unknown) => Promise<ApiResponse>, display: unknown): Promise<string> {
    const created = await admin('POST', '/api/v1/admin/displays', display);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const answer = await api(hall.server.url, 'POST', '/api/v1/displays/enroll', { body: { code: created.body.enrollmentCode } });
    expect(answer.status).toBe(200);
    return answer.headers.get('set-cookie')!.split(';')[0]!;
  }

  it('exchanges the code once for a token in an HttpOnly cookie scoped to the display routes, never in the body', async () => {
    const { admin } = await setUp();
    const created = await admin('POST', '/api/v1/admin/displays', { name: '二楼综合屏', kind: 'hall', zone: ['social'] });
    const first = await api(hall.server.url, 'POST', '/api/v1/displays/enroll', { body: { code: created.body.enrollmentCode } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ displayId: created.body.displayId, kind: 'hall', zone: ['social'] });
    expect(JSON.stringify(first.body)).not.toContain('hks_');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^hk_display=hks_[\w-]+; Path=\/api\/v1\/display; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    const again = await api(hall.server.url, 'POST', '/api/v1/displays/enroll', { body: { code: created.body.enrollmentCode } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('enrollment-code-invalid');
    // Only the hash is kept.
    const row = await hall.server.db.db.selectFrom('displays').select('token_hash').executeTakeFirstOrThrow();
    expect(cookie).not.toContain(row.token_hash!);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a display reads only what a display needs: not the hall stream, not the admin API; a kiosk token is no display token', async () => {
    const { admin } = await setUp();
    const cookie = await enrolled(admin, { name: '综合屏', kind: 'hall' });
    const token = cookie.split('=')[1]!;
    expect((await api(hall.server.url, 'GET', '/api/v1/display/state', { headers: { cookie } })).status).toBe(200);
    expect((await api(hall.server.url, 'GET', '/api/v1/display/state')).status).toBe(401);
    expect((await api(hall.server.url, 'GET', '/api/v1/display/state', { token: hall.kiosk.token })).status).toBe(401);
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/displays', { token })).status).toBe(401);
    expect((await api(hall.server.url, 'GET', '/api/v1/counter/queue', { token })).status).toBe(401);
    const stream = await openHallEvents(hall.server.url, token);
    expect(stream.status).toBe(401);
  });

  it('shows its zone: windows with staff name and 工号, waiting counts, calls; its stream carries its zone calls only, never legs', async () => {
    const { admin, call } = await setUp();
    const cookie = await enrolled(admin, { name: '二楼综合屏', kind: 'hall', zone: ['social'] });
    expect((await admin('PUT', '/api/v1/admin/display-notice', { text: '午间12:00-13:00正常办理' })).status).toBe(200);
    await call(21);
    const state = displayStateSchema.parse((await api(hall.server.url, 'GET', '/api/v1/display/state', { headers: { cookie } })).body);
    expect(state.notice).toBe('午间12:00-13:00正常办理');
    expect(state.windows).toEqual([expect.objectContaining({ number: 21, state: 'calling', staff: { name: '王芳', staffId: '2101' }, label: 'D001' })]);
    expect(state.queues.every((q) => q.departmentId === 'social')).toBe(true);
    expect(state.queues.find((q) => q.serviceId === 'ss-card')!.waiting).toBe(2);
    expect(state.recentCalls.map((e) => e.kind === 'call' && e.data.label)).toEqual(['D001']);

    const stream = (await openHallEvents(hall.server.url, undefined, { path: `/api/v1/display/events?lastEventId=${state.lastEventId}`, cookie })) as HallEventClient;
    expect(stream.status).toBe(200);
    try {
      const listed = await admin('GET', '/api/v1/admin/displays');
      expect(listed.body.displays).toEqual([expect.objectContaining({ name: '二楼综合屏', live: true, zone: ['social'], lastSeenAt: expect.any(Number) })]);
      await call(3);
      await call(21);
      await stream.until(() => stream.events.some((e) => e.kind === 'call' && e.data.label === 'D002'));
      const calls = stream.events.filter((e) => e.kind === 'call');
      expect(calls.map((e) => e.kind === 'call' && e.data.label)).toEqual(['D002']);
      expect(stream.events.every((e) => e.kind !== 'leg' && e.department === 'social')).toBe(true);
    } finally {
      stream.close();
    }
    await expect.poll(async () => (await admin('GET', '/api/v1/admin/displays')).body.displays[0].live).toBe(false);
  });

  it('a window display reads its own window only; a revoked display is refused', async () => {
    const { admin, call } = await setUp();
    const cookie = await enrolled(admin, { name: '3号窗口屏', kind: 'window', window: 3 });
    await call(21);
    await call(3);
    const state = displayStateSchema.parse((await api(hall.server.url, 'GET', '/api/v1/display/state', { headers: { cookie } })).body);
    expect(state.windows.map((w) => [w.number, w.label, w.staff?.staffId])).toEqual([[3, 'A001', '3101']]);
    expect(state.recentCalls.map((e) => e.kind === 'call' && e.data.window)).toEqual([3]);
    const { displayId } = state.display;
    expect((await admin('POST', `/api/v1/admin/displays/${displayId}/revoke`)).status).toBe(200);
    expect((await api(hall.server.url, 'GET', '/api/v1/display/state', { headers: { cookie } })).status).toBe(401);
  });
});
