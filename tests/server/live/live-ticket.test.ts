import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { hallApi } from '../../../core/http/contract.ts';
import { liveTicketViewSchema } from '../../../core/queue/live-ticket-view.ts';
import { liveTokenOf } from '../../../core/ticket/live-ticket.ts';
import { printedTickets } from '../support/calling.ts';
import { describeEngines } from '../support/engines.ts';
import { isHallEventClient, openHallEvents } from '../support/hall-event-stream.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { pathOf } from '../../../core/http/route-contract.ts';
import { api } from '../support/http.ts';

const tokenA = liveTokenOf(new Uint8Array(16).map((_, i) => i * 7 + 1));
const tokenB = liveTokenOf(new Uint8Array(16).map((_, i) => 200 - i * 3));

describeEngines('live tickets', (engine) => {
  const hall = useHallServer(engine, { kiosk: { name: 'entrance', trueTime: 'hall' } });

  const live = (token: string) => api(hall.server.url, 'GET', pathOf(hallApi.liveTicket, { params: { token } }));

  it('keeps the hall public address an admin sets, checked, and sends it to kiosks with the hall settings', async () => {
    const token = await hall.adminToken();
    const save = (body: unknown) => api(hall.server.url, 'PUT', pathOf(hallApi.adminHallSettingsSave), { token, body });
    for (const bad of ['zwfw.example.gov.cn', 'ftp://zwfw.example.gov.cn', 'https://zwfw.example.gov.cn/?a=1', 'https://zwfw.example.gov.cn/#t', 'https://user:pw@zwfw.example.gov.cn', 'https://政务.cn']) {
      const refused = await save({ publicAddress: bad });
      expect(refused.status, bad).toBe(400);
      expect(refused.body.error.message).toContain('public address');
    }
    // A refusal wrote nothing: the settings version did not move.
    expect((await api(hall.server.url, 'GET', pathOf(hallApi.adminHallSettings), { token })).body).toMatchObject({ publicAddress: null, version: 1 });
    expect((await api(hall.server.url, 'PUT', pathOf(hallApi.adminHallSettingsSave), { body: { publicAddress: 'https://x.example' } })).status).toBe(401);

    const first = await hall.kiosk.pull();
    expect(first.body.settings.publicAddress).toBeNull();
    const saved = await save({ publicAddress: 'https://zwfw.example.gov.cn:8443/hall/' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ publicAddress: 'https://zwfw.example.gov.cn:8443/hall', version: 2 });
    expect((await hall.kiosk.pull()).body.settings).toMatchObject({ publicAddress: 'https://zwfw.example.gov.cn:8443/hall', version: 2 });
    expect((await save({ publicAddress: null })).body.publicAddress).toBeNull();
    expect((await hall.kiosk.pull()).body.settings.publicAddress).toBeNull();
  });

  it('opens a ticket by its token only (kept hashed), with 前面还有N人 by the next rule and nothing personal; an unknown token is not found', async () => {
    const at = hall.clock.now() - 60_000;
    const [, ticket] = await printedTickets(hall.kiosk, [{ sequence: 1, at }, { sequence: 2, at: at + 1000, liveToken: tokenA, language: 'en', priority: 'disabled' }]);
    const stored = await hall.server.db.db.selectFrom('tickets').select(['live_token_hash', 'language']).where('id', '=', ticket!.id).executeTakeFirstOrThrow();
    expect(stored.live_token_hash).not.toBeNull();
    expect(stored.live_token_hash).not.toContain(tokenA);
    expect(stored.language).toBe('en');

    const opened = await live(tokenA);
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const view = liveTicketViewSchema.parse(opened.body);
    // A priority ticket goes before the normal one waiting: nobody ahead.
    expect(view).toMatchObject({ label: 'D002', status: 'waiting', language: 'en', ahead: 0, estimateMinutes: null, window: null, past: false });
    expect(view.service.zh).not.toBe('');
    // Neither the ticket id, the kiosk nor the priority class is in the answer.
    const text = JSON.stringify(opened.body);
    for (const secret of [ticket!.id, hall.kiosk.deviceId, 'disabled', tokenA]) expect(text).not.toContain(secret);

    const unknown = await live(tokenB);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not-found');
    expect((await api(hall.server.url, 'GET', '/api/v1/live/short')).status).toBe(400);
    // The ticket id (a time-ordered UUIDv7) opens nothing.
    expect((await api(hall.server.url, 'GET', `/api/v1/live/${ticket!.id}`)).status).toBe(400);
  });

  it('a ticket whose print failed is in no queue (尚未进入排队) until it is held as an electronic ticket; then it waits like any other', async () => {
    const at = hall.clock.now() - 60_000;
    const [printed] = await printedTickets(hall.kiosk, [{ sequence: 1, at }]);
    const [failed] = await printedTickets(hall.kiosk, [{ sequence: 2, at: at + 1000, liveToken: tokenA, printed: false }]);
    const before = hall.kiosk.outbox.length;
    hall.kiosk.custom('ticket.print-failed', { ticketId: failed!.id, outcome: 'paper-out', printAttempts: 1 }, at + 1100);
    expect((await hall.kiosk.push(hall.kiosk.outbox.slice(before))).status).toBe(200);
    expect(liveTicketViewSchema.parse((await live(tokenA)).body)).toMatchObject({ status: 'not-queued', ahead: null });

    const held = hall.kiosk.outbox.length;
    hall.kiosk.custom('ticket.held-electronically', { ticketId: failed!.id }, at + 1200);
    const pushed = await hall.kiosk.push(hall.kiosk.outbox.slice(held));
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    const stored = await hall.server.db.db.selectFrom('tickets').select(['state', 'last_print_error']).where('id', '=', failed!.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ state: 'issued', last_print_error: null });
    expect(liveTicketViewSchema.parse((await live(tokenA)).body)).toMatchObject({ status: 'waiting', ahead: 1 });
    expect(printed!.label).toBe('D001');
    expect(await hall.server.db.db.selectFrom('dead_letters').select('reason').execute()).toEqual([]);
  });

  it('follows the ticket live: 前面还有1人, then 请到21号窗口 when a counter calls it, 办理中, 已办结', async () => {
    const admin = await hall.adminToken();
    const asAdmin = (method: string, path: string, body?: unknown) => api(hall.server.url, method, path, { token: admin, body });
    expect((await asAdmin('POST', '/api/v1/admin/staff', { id: '2101', name: '王芳', departmentId: 'social', counter: '21号窗口' })).status).toBe(200);
    expect((await asAdmin('PUT', '/api/v1/admin/windows/21', { name: '21号窗口', departmentId: 'social', profile: { main: ['ss-card'] }, hasEvaluator: false })).status).toBe(200);
    expect((await asAdmin('PUT', '/api/v1/admin/staff/2101/counter-pin', { pin: '246810' })).status).toBe(200);
    const at = hall.clock.now() - 60_000;
    await printedTickets(hall.kiosk, [{ sequence: 1, at }, { sequence: 2, at: at + 1000, liveToken: tokenA }]);

    const stream = await openHallEvents(hall.server.url, undefined, { path: pathOf(hallApi.liveTicketEvents, { params: { token: tokenA } }) });
    if (!isHallEventClient(stream)) throw new Error(`stream refused: ${stream.status}`);
    const views = () => stream.messages.filter((m) => m.event === 'ticket').map((m) => liveTicketViewSchema.parse(JSON.parse(m.data)));
    try {
      await stream.until(() => views().length >= 1);
      expect(views()[0]).toMatchObject({ label: 'D002', status: 'waiting', ahead: 1 });

      const counter = (await api(hall.server.url, 'POST', '/api/v1/counter/sign-in', { body: { staffId: '2101', pin: '246810', window: 21 } })).body.token as string;
      const press = (action: string) => api(hall.server.url, 'POST', '/api/v1/counter/press', { token: counter, body: { idempotencyKey: randomUUID(), press: { action } } });
      // D001 is called: one fewer ahead.
      expect((await press('call')).body.leg.label).toBe('D001');
      await stream.until(() => views().some((v) => v.ahead === 0));
      expect((await press('start')).status).toBe(200);
      expect((await press('finish')).status).toBe(200);
      expect((await press('call')).body.leg.label).toBe('D002');
      await stream.until(() => views().some((v) => v.status === 'called'));
      expect(views().find((v) => v.status === 'called')).toMatchObject({ window: { number: 21, name: '21号窗口' }, ahead: null });
      expect((await press('start')).status).toBe(200);
      await stream.until(() => views().some((v) => v.status === 'serving'));
      expect((await press('finish')).status).toBe(200);
      await stream.until(() => views().some((v) => v.status === 'done'));
      expect(views().at(-1)).toMatchObject({ status: 'done', window: null });
      // Each view sent differs from the one before it: nothing is repeated.
      const sent = views().map(({ asOf: _, ...v }) => JSON.stringify(v));
      expect(sent.every((v, i) => i === 0 || v !== sent[i - 1])).toBe(true);
    } finally {
      stream.close();
    }
    expect(liveTicketViewSchema.parse((await live(tokenA)).body).status).toBe('done');
  });
});
