import { expect, it } from 'vitest';
import { pushRequestSchema } from '../../core/sync-push.ts';
import { describeEngines } from './support/engines.ts';
import { api } from './support/http.ts';
import { countRows, inspect } from './support/servers.ts';
import { useHallServer } from './support/hall-under-test.ts';

/** Deterministic, so a failing case can be replayed from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
    const random = mulberry32(20260302);
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
