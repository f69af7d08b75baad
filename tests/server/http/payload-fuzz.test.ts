import { expect, it } from 'vitest';
import type { SyncEvent } from '../../../core/sync/events.ts';
import { syncEventSchema } from '../../../core/sync/events.ts';
import { pushRequestSchema } from '../../../core/sync/push.ts';
import { unsendableEventType } from '../../../renderer/sync/wire-events.ts';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import { countRows, inspect } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { seededRandom } from '../../support/seeded-random.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const wrongValues: Json[] = [null, -1, 0, 1.5, 2 ** 60, '', 'x'.repeat(600), 'not-a-uuid', '2026-13-45', [], {}, true, [1, 2], { nested: { deeper: 1 } }];

function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function mutateStructure(batch: Json, random: () => number): Json {
  const copy = structuredClone(batch);
  const all = paths(copy).filter((p) => p.length > 0);
  const path = all[Math.floor(random() * all.length)]!;
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (random() < 0.3 && !Array.isArray(parent)) delete parent[last];
  else parent[last] = wrongValues[Math.floor(random() * wrongValues.length)]!;
  return copy;
}

function mutateText(text: string, random: () => number): string {
  const at = Math.floor(random() * text.length);
  const junk = '{}[],:"\\\u0000x-1e';
  switch (Math.floor(random() * 5)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + junk[Math.floor(random() * junk.length)] + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + 1);
    case 3:
      return text.slice(0, at) + '\uD800' + text.slice(at);
    default:
      return ['', 'null', '[]', '"events"', '{"events": 5}', 'true', '{"__proto__": {"admin": true}, "sentAt": 1, "events": []}'][Math.floor(random() * 7)]!;
  }
}

describeEngines('push: malformed and oversized bodies', (engine) => {
  const hall = useHallServer(engine, {
    server: { deviceRateLimit: { capacity: 100_000, refillPerSecond: 100_000 } },
    kiosk: { name: 'fuzzed kiosk', trueTime: 'hall' },
  });

  function validBatch(): Json {
    const t = hall.server.clock.now();
    const ticket = hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 1, issuedAt: t });
    hall.kiosk.printed(ticket, t + 500);
    hall.kiosk.custom('ticket.voided', { ticketId: ticket.id, reason: 'test' }, t + 900);
    return { sentAt: t + 1000, events: hall.kiosk.outbox } as unknown as Json;
  }

  it('answers every mutated body with 400 and a reason naming the field, and stores nothing', async () => {
    const batch = validBatch();
    const random = seededRandom(20260302);
    let sent = 0;
    for (let i = 0; i < 250; i++) {
      const text = random() < 0.5 ? JSON.stringify(mutateStructure(batch, random)) : mutateText(JSON.stringify(batch), random);
      let parsed: unknown;
      let json = true;
      try {
        parsed = JSON.parse(text);
      } catch {
        json = false;
      }
      const protoPoisoned = text.includes('"__proto__"');
      // The oracle: core's schema, which the kiosk uses too. Bodies it accepts are not malformed.
      if (json && !protoPoisoned && pushRequestSchema.safeParse(parsed).success) continue;
      sent++;
      const response = await api(hall.server.url, 'POST', '/api/v1/sync/push', { token: hall.kiosk.token, rawBody: text });
      const context = `case ${i}: ${text.slice(0, 200)}`;
      expect(response.status, context).toBe(400);
      expect(response.body.error.message, context).toMatch(/\S{3,}/);
      if (json && !protoPoisoned) {
        expect(response.body.error.code, context).toBe('invalid-body');
        if (response.body.error.field) expect(response.body.error.message, context).toContain(response.body.error.field);
      } else {
        expect(['invalid-json', 'invalid-body'], context).toContain(response.body.error.code);
      }
    }
    expect(sent).toBeGreaterThan(150);
    expect(await countRows(hall.db)).toEqual({ tickets: 0, device_events: 0, dead_letters: 0, number_leases: 0 });
    expect(await inspect(hall.db, (k) => k.selectFrom('device_sync').select('last_applied_seq').executeTakeFirst())).toEqual({ last_applied_seq: 0 });

    // The untouched batch still applies: refusals left no trace that would block it.
    const good = await hall.kiosk.push();
    expect(good.body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied']);
  });

  it('names the offending field', async () => {
    const batch = validBatch() as { events: { payload: { ticket: { sequence: unknown } } }[] };
    batch.events[0]!.payload.ticket.sequence = 'seven';
    const response = await api(hall.server.url, 'POST', '/api/v1/sync/push', { token: hall.kiosk.token, body: batch });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'invalid-body', field: 'events[0].payload.ticket.sequence' });
    expect(response.body.error.message).toContain('events[0].payload.ticket.sequence');
  });

  it('refuses bodies over 1 MiB with 413, too many events with 400, and non-JSON with 415', async () => {
    const batch = validBatch() as { events: unknown[]; sentAt: number };
    const huge = { ...batch, padding: 'x'.repeat(1024 * 1024) };
    const tooLarge = await api(hall.server.url, 'POST', '/api/v1/sync/push', { token: hall.kiosk.token, body: huge });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toMatchObject({ code: 'body-too-large', message: expect.stringContaining('1048576') });

    const many = { sentAt: batch.sentAt, events: Array.from({ length: 1001 }, (_, i) => ({ ...(batch.events[0] as object), seq: i + 1 })) };
    const tooMany = await api(hall.server.url, 'POST', '/api/v1/sync/push', { token: hall.kiosk.token, body: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: 'invalid-body', field: 'events' });

    const form = await api(hall.server.url, 'POST', '/api/v1/sync/push', { token: hall.kiosk.token, rawBody: 'events=1', contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(await countRows(hall.db)).toEqual({ tickets: 0, device_events: 0, dead_letters: 0, number_leases: 0 });
  });

  it('refuses malformed bodies on the other kiosk routes too', async () => {
    for (const [path, body, field] of [
      ['/api/v1/numbers/next', { serviceId: 'ss-card', priority: 'vip' }, 'priority'],
      ['/api/v1/numbers/lease', { serviceId: 'ss-card', day: '2026-3-2', count: 5 }, 'day'],
      ['/api/v1/numbers/lease', { serviceId: 'ss-card', day: '2026-03-02', count: 100_000 }, 'count'],
    ] as const) {
      const response = await api(hall.server.url, 'POST', path, { token: hall.kiosk.token, body });
      expect(response.status, path).toBe(400);
      expect(response.body.error.field, path).toBe(field);
    }
    const badCursor = await api(hall.server.url, 'GET', '/api/v1/sync/pull?cursor=not-a-cursor', { token: hall.kiosk.token });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.code).toBe('cursor-invalid');
    expect((await countRows(hall.db)).number_leases).toBe(0);
  });
});

/** `levels` nested arrays around a number: 20,000 levels are about 40 KB. */
const nestedArrays = (levels: number): string => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

/** The push body of `events` as text, with `deep` (JSON text) where a payload holds the marker. */
function withDeepPayload(events: SyncEvent[], sentAt: number, deep: string): string {
  return JSON.stringify({ sentAt, events }).replace(`"${deepMarker}"`, deep);
}
const deepMarker = '__deep_payload__';

describeEngines('push: deeply nested and oversized free-form payloads', (engine) => {
  const hall = useHallServer(engine, { kiosk: { name: 'hostile kiosk', trueTime: 'hall' } });
  const push = (text: string) => api(hall.server.url, 'POST', '/api/v1/sync/push', { token: hall.kiosk.token, rawBody: text });

  it('refuses an unknown-type event nested 20,000 levels deep with 400, stores nothing, and the kiosk moves on', async () => {
    const t = hall.server.clock.now();
    const hostile = hall.kiosk.custom('kiosk.future-thing', deepMarker, t);
    const text = withDeepPayload([hostile], t, nestedArrays(20_000));
    expect(text.length).toBeGreaterThan(40_000);
    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await push(text);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'invalid-body', message: expect.stringContaining('nested deeper than 64 levels') });
    }
    // Shallow enough for the body, too deep for a payload: refused by core's schema, naming the field.
    const payloadDeep = await push(withDeepPayload([hostile], t, nestedArrays(30)));
    expect(payloadDeep.status).toBe(400);
    expect(payloadDeep.body.error).toMatchObject({ code: 'invalid-body', field: 'events[0].payload', message: expect.stringContaining('nested deeper than 16 levels') });
    expect(await countRows(hall.db)).toEqual({ tickets: 0, device_events: 0, dead_letters: 0, number_leases: 0 });

    // The kiosk checks its events with the same core schema before sending, and sends one that
    // fails it as kiosk.unsendable (renderer/sync/wire-events.ts): dead-lettered, and later events apply.
    const check = syncEventSchema.safeParse(JSON.parse(withDeepPayload([hostile], t, nestedArrays(30))).events[0]);
    expect(check.success).toBe(false);
    hall.kiosk.outbox[0] = { ...hostile, type: unsendableEventType, payload: { type: hostile.type, problems: check.error!.issues.map((i) => i.message) } };
    hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 1, issuedAt: t + 10 });
    const moved = await hall.kiosk.push();
    expect(moved.status).toBe(200);
    expect(moved.body.results.map((r: { status: string }) => r.status)).toEqual(['dead-lettered', 'applied']);
  });

  it('refuses a clashing ticket.issued with a deep extra key, instead of failing to dead-letter it', async () => {
    const t = hall.server.clock.now();
    hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 1, issuedAt: t });
    expect((await hall.kiosk.push()).body.results[0].status).toBe('applied');
    hall.kiosk.outbox.length = 0;
    hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 1, issuedAt: t + 5 });
    const clash = hall.kiosk.outbox[0]!;
    const deepExtra = { ...clash, payload: { ...(clash.payload as object), extra: deepMarker } };
    for (const levels of [20_000, 30]) {
      const refused = await push(withDeepPayload([deepExtra], t + 6, nestedArrays(levels)));
      expect(refused.status, `${levels} levels`).toBe(400);
      expect(refused.body.error.message, `${levels} levels`).toMatch(/nested deeper than (64|16) levels/);
    }
    expect((await countRows(hall.db)).dead_letters).toBe(0);
    // As the kiosk sends it (without the stray key): dead-lettered for its number, and the next one applies.
    hall.kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 2, issuedAt: t + 7 });
    const moved = await hall.kiosk.push();
    expect(moved.status).toBe(200);
    expect(moved.body.results.map((r: { status: string }) => r.status)).toEqual(['dead-lettered', 'applied']);
  });

  it('refuses a free-form payload larger than 32 KB, naming it', async () => {
    const t = hall.server.clock.now();
    hall.kiosk.custom('kiosk.future-thing', { note: 'x'.repeat(40_000) }, t);
    const refused = await hall.kiosk.push();
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid-body', field: 'events[0].payload', message: expect.stringContaining('larger than 32768 characters') });
    expect((await countRows(hall.db)).dead_letters).toBe(0);
  });

  it('answers a deeply nested body on every route with a 4xx, never a 5xx', async () => {
    const admin = await hall.adminToken();
    const deep = nestedArrays(20_000);
    const routes = mutatingRoutes(hall.server.app.printRoutes({ commonPrefix: false }));
    expect(routes.length).toBeGreaterThan(15);
    expect(routes).toContainEqual({ method: 'POST', path: '/api/v1/sync/push' });
    for (const { method, path } of routes) {
      const url = path.replace(/:[^/]+/g, '0193a8d2-0000-7000-8000-000000000001').replace(/\*$/, 'x');
      for (const token of [hall.kiosk.token, admin, undefined]) {
        for (const body of [deep, `{"payload":${deep}}`]) {
          const response = await api(hall.server.url, method, url, { token, rawBody: body });
          expect(response.status, `${method} ${url}`).toBeGreaterThanOrEqual(400);
          expect(response.status, `${method} ${url}`).toBeLessThan(500);
        }
      }
    }
  });
});

/** POST, PUT, PATCH and DELETE routes from Fastify's route tree (printRoutes without common prefixes). */
function mutatingRoutes(tree: string): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  for (const line of tree.split('\n')) {
    const match = /(\/\S*) \(([A-Z, ]+)\)/.exec(line);
    if (!match) continue;
    for (const method of match[2]!.split(', ')) if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) routes.push({ method, path: match[1]! });
  }
  return routes;
}
