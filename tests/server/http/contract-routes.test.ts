import Fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adminPages, hallApi, hallRoutes, hallWebFilesPath, voiceClipsPath, webPages } from '../../../core/http/contract.ts';
import { route } from '../../../core/http/route-contract.ts';
import { ApiError } from '../../../server/http/api-error.ts';
import { contractRoutes } from '../../../server/http/contract-routes.ts';
import type { RouteContext } from '../../../server/http/route-context.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { api } from '../support/http.ts';

describeEngines('the server registers exactly the contract’s routes', (engine) => {
  const hall = useHallServer(engine);

  it('serves every route of the contract, of the admin pages and of the web apps, and no other', () => {
    const registered = hall.server.app.routeTable.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`);
    const declared = [...hallRoutes, ...adminPages, ...webPages, { method: 'GET', path: `${hallWebFilesPath}*` }, { method: 'GET', path: `${voiceClipsPath}:clip` }].map((r) => `${r.method} ${r.path}`);
    expect(new Set(registered).size).toBe(registered.length);
    expect(registered.sort()).toEqual(declared.sort());
    // Every JSON API route is in the contract, not among the pages.
    expect(registered.filter((r) => r.includes(' /api/')).sort()).toEqual(hallRoutes.filter((r) => r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`).sort());
  });

  it('answers a parameter, query or body outside the contract with 400 naming the field, before any work', async () => {
    const token = await hall.adminToken();
    const badParam = await api(hall.server.url, 'GET', '/api/v1/admin/staff/.hidden', { token });
    expect(badParam.status).toBe(400);
    expect(badParam.body.error).toMatchObject({ code: 'invalid-body', field: 'id', message: expect.stringContaining(`${hallApi.adminStaff.summary}: id:`) });
    const badQuery = await api(hall.server.url, 'GET', '/api/v1/admin/template-audit?limit=0', { token });
    expect(badQuery.body.error).toMatchObject({ code: 'invalid-body', field: 'limit' });
    const badBody = await api(hall.server.url, 'POST', '/api/v1/admin/devices', { token, body: { name: '' } });
    expect(badBody.body.error).toMatchObject({ code: 'invalid-body', field: 'name' });
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/devices', { token })).body.devices).toEqual([]);
  });
});

/** The parts of the app's context the helper uses, recording what ran. */
function stubContext(ran: string[], checkResponses: boolean): RouteContext {
  const context = {
    checkResponses,
    async requireDevice(request: FastifyRequest) {
      ran.push('device');
      if (request.headers.authorization !== 'Bearer good') throw new ApiError(401, 'token-invalid', 'unknown device token');
      request.device = { id: 'kiosk-1' } as FastifyRequest['device'];
    },
    async requireAdmin(request: FastifyRequest) {
      ran.push('admin');
      if (request.headers.authorization !== 'Bearer admin') throw new ApiError(401, 'token-invalid', 'admin session unknown');
      request.adminUser = 'office';
    },
    async requireCounter(request: FastifyRequest) {
      ran.push('counter');
      if (request.headers.authorization !== 'Bearer hkc_counter') throw new ApiError(401, 'token-invalid', 'counter session unknown');
      request.counter = { hallId: 'hall', staffId: '2101', window: 21 };
    },
    async requireDisplay(request: FastifyRequest) {
      ran.push('display');
      if (request.headers.cookie !== 'hk_display=good') throw new ApiError(401, 'token-invalid', 'display token unknown');
      request.display = { displayId: 'd1', name: '综合屏', kind: 'hall', window: null, zone: [], lastSeenAt: null };
    },
    async requireSignedIn(request: FastifyRequest) {
      ran.push('signed-in');
      if (request.headers.authorization === 'Bearer hkc_counter') return context.requireCounter(request);
      return context.requireDevice(request);
    },
    limitAnonymous() {
      ran.push('anonymous');
    },
  };
  return context as unknown as RouteContext;
}

async function bareApp(): Promise<FastifyInstance> {
  const app = Fastify();
  app.decorateRequest('device', null);
  app.decorateRequest('adminUser', null);
  app.decorateRequest('adminCsrf', null);
  app.decorateRequest('counter', null);
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error instanceof ApiError) return reply.status(error.status).send({ error: { code: error.code, message: error.message, ...error.details } });
    return reply.status(error.statusCode ?? 500).send({ error: { code: 'other', message: error.message } });
  });
  return app;
}

describe('contractRoutes: a route from its contract entry', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  const make = async () => {
    const app = await bareApp();
    apps.push(app);
    return app;
  };

  const echo = route({
    method: 'POST',
    path: '/test/:n/echo',
    caller: 'device',
    summary: 'echo',
    params: { n: z.coerce.number().int().min(1) },
    query: z.object({ twice: z.enum(['0', '1']).default('0') }),
    body: z.object({ word: z.string().max(5) }),
    response: z.object({ words: z.array(z.string()), by: z.string() }),
  });

  it('authenticates a device before the body is read, then hands the handler typed parts', async () => {
    const ran: string[] = [];
    const app = await make();
    app.addHook('preParsing', async () => {
      ran.push('body read');
    });
    contractRoutes(app, stubContext(ran, false))(echo, async ({ params, query, body, device }) => ({ words: Array<string>(params.n * (query.twice === '1' ? 2 : 1)).fill(body.word), by: device.id }));

    const refused = await app.inject({ method: 'POST', url: '/test/2/echo', payload: { word: 'hi' } });
    expect(refused.statusCode).toBe(401);
    expect(ran).toEqual(['device']);

    ran.length = 0;
    const served = await app.inject({ method: 'POST', url: '/test/2/echo?twice=1', headers: { authorization: 'Bearer good' }, payload: { word: 'hi' } });
    expect(served.json()).toEqual({ words: ['hi', 'hi', 'hi', 'hi'], by: 'kiosk-1' });
    expect(ran).toEqual(['device', 'body read']);

    for (const [url, payload, field] of [
      ['/test/0/echo', { word: 'hi' }, 'n'],
      ['/test/2/echo?twice=yes', { word: 'hi' }, 'twice'],
      ['/test/2/echo', { word: 'too long' }, 'word'],
    ] as const) {
      const response = await app.inject({ method: 'POST', url, headers: { authorization: 'Bearer good' }, payload });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error, url).toMatchObject({ code: 'invalid-body', field, message: expect.stringMatching(/^echo: /) });
    }
  });

  it('authenticates an admin session before the body, and counts a public route against its address when told', async () => {
    const ran: string[] = [];
    const app = await make();
    const serve = contractRoutes(app, stubContext(ran, false));
    serve(route({ method: 'POST', path: '/test/admin', caller: 'admin', summary: 'admin', response: z.object({ who: z.string() }) }), async ({ admin }) => ({ who: admin }));
    serve(route({ method: 'POST', path: '/test/open', caller: 'public', summary: 'open', response: z.object({ ok: z.boolean() }) }), { limitAnonymous: true, bodyLimit: 10 }, async () => ({ ok: true }));

    expect((await app.inject({ method: 'POST', url: '/test/admin', payload: { x: 1 } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/test/admin', headers: { authorization: 'Bearer admin' } })).json()).toEqual({ who: 'office' });
    expect((await app.inject({ method: 'POST', url: '/test/open', payload: { much: 'too long a body' } })).statusCode).toBe(413);
    expect((await app.inject({ method: 'POST', url: '/test/open' })).json()).toEqual({ ok: true });
    expect(ran).toEqual(['admin', 'admin', 'anonymous', 'anonymous']);
  });

  it('authenticates a counter session before the body and hands the handler its window; a signed-in route takes a counter or a device', async () => {
    const ran: string[] = [];
    const app = await make();
    app.addHook('preParsing', async () => {
      ran.push('body read');
    });
    const serve = contractRoutes(app, stubContext(ran, false));
    serve(route({ method: 'POST', path: '/test/press', caller: 'counter', summary: 'press', response: z.object({ window: z.int() }) }), async ({ counter }) => ({ window: counter.window }));
    serve(route({ method: 'GET', path: '/test/any', caller: 'signed-in', summary: 'any', response: z.object({ ok: z.boolean() }) }), async () => ({ ok: true }));

    expect((await app.inject({ method: 'POST', url: '/test/press', payload: { x: 1 } })).statusCode).toBe(401);
    expect(ran).toEqual(['counter']);
    ran.length = 0;
    expect((await app.inject({ method: 'POST', url: '/test/press', headers: { authorization: 'Bearer hkc_counter' }, payload: { x: 1 } })).json()).toEqual({ window: 21 });
    expect(ran).toEqual(['counter', 'body read']);
    ran.length = 0;
    for (const token of ['hkc_counter', 'good']) expect((await app.inject({ method: 'GET', url: '/test/any', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/test/any' })).statusCode).toBe(401);
    expect(ran.filter((r) => r !== 'body read')).toEqual(['signed-in', 'counter', 'signed-in', 'device', 'signed-in', 'device']);
  });

  it('authenticates a display route by the display before the handler, which gets the display', async () => {
    const app = await make();
    const ran: string[] = [];
    contractRoutes(app, stubContext(ran, false))(route({ method: 'GET', path: '/test/display', caller: 'display', summary: 'display', response: z.object({ name: z.string() }) }), async ({ display }) => ({ name: display.name }));
    expect((await app.inject({ method: 'GET', url: '/test/display' })).statusCode).toBe(401);
    const answer = await app.inject({ method: 'GET', url: '/test/display', headers: { cookie: 'hk_display=good' } });
    expect(answer.json()).toMatchObject({ name: '综合屏' });
    expect(ran).toEqual(['display', 'display']);
  });

  it('checks every JSON answer against the contract when asked, and not otherwise', async () => {
    const lying = route({ method: 'GET', path: '/test/lie', caller: 'public', summary: 'lie', response: z.object({ count: z.int() }) });
    const answer = async () => ({ count: 'many' }) as unknown as { count: number };

    const checked = await make();
    contractRoutes(checked, stubContext([], true))(lying, answer);
    const refused = await checked.inject({ method: 'GET', url: '/test/lie' });
    expect(refused.statusCode).toBe(500);
    expect(refused.json().error.message).toBe('GET /test/lie answered outside its contract: count: Invalid input: expected number, received string');

    const production = await make();
    contractRoutes(production, stubContext([], false))(lying, answer);
    expect((await production.inject({ method: 'GET', url: '/test/lie' })).json()).toEqual({ count: 'many' });
  });
});
