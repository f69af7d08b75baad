import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Clock } from '../../../core/calendar/clock.ts';
import type { BusinessDay } from '../../../core/calendar/business-day.ts';
import { compareLegOrder } from '../../../core/queue/leg.ts';
import type { LegState } from '../../../core/queue/leg.ts';
import type { LegAction } from '../../../core/queue/leg-lifecycle.ts';
import { legStep } from '../../../core/queue/leg-lifecycle.ts';
import { signInAtWindow } from '../../../server/calling/counter-actions.ts';
import { openCounterSession } from '../../../server/calling/counter-staff.ts';
import { saveWindow } from '../../../server/calling/windows.ts';
import { CatalogStore } from '../../../server/catalog/catalog-store.ts';
import { createDevice } from '../../../server/devices/devices.ts';
import type { Database } from '../../../server/db/schema.ts';
import { readHallState } from '../../../server/hall/hall-settings.ts';
import { api } from './http.ts';
import { TestKiosk } from './kiosk.ts';
import { leasesFor } from './number-grants.ts';

/**
 * A busy hall day in a few seconds: `windows` windows, each serving one service, cycle through
 * 叫号 → 开始 → 办结 as fast as the servers answer, some presses sent twice at once with one key,
 * while an offline kiosk pushes tickets it issued earlier. Then the audit and the event log are
 * replayed to check what must hold whatever the interleaving.
 */

/** Services of the demo catalog and their ticket prefixes. */
const services = [
  ['biz-registration', 'A', 'market'],
  ['sole-trader', 'B', 'market'],
  ['food-licence', 'C', 'market'],
  ['ss-card', 'D', 'social'],
  ['pension', 'E', 'social'],
  ['fund-withdrawal', 'F', 'housing-fund'],
  ['fund-loan', 'G', 'housing-fund'],
  ['residence-permit', 'H', 'public-security'],
  ['exit-entry', 'J', 'public-security'],
  ['re-transfer', 'K', 'real-estate'],
  ['re-mortgage', 'L', 'real-estate'],
] as const;

export interface CallingDayOptions {
  db: Kysely<Database>;
  clock: Clock;
  /** the server processes, as behind a load balancer: each press goes to the next */
  urls: readonly string[];
  today: BusinessDay;
  windows: number;
  /** how long the windows keep pressing */
  runMs: number;
  ticketsPerService: number;
}

export interface CallingDayStats {
  calls: number;
  presses: number;
  doublePresses: number;
  overloadedRetries: number;
  offlineTickets: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function enrol(db: Kysely<Database>, clock: Clock, url: string, name: string, trueNow: () => number): Promise<TestKiosk> {
  const { enrollmentCode } = await createDevice(db, clock, name);
  return TestKiosk.enroll(url, enrollmentCode, { trueNow }, leasesFor(() => db));
}

async function pushTickets(kiosk: TestKiosk, today: BusinessDay, from: number, count: number, at: (service: number, n: number) => number): Promise<string[]> {
  const before = kiosk.outbox.length;
  const ids: string[] = [];
  for (let n = from; n < from + count; n++) {
    for (const [s, [serviceId, prefix, departmentId]] of services.entries()) {
      const ticket = kiosk.issue({ serviceId, prefix, departmentId, sequence: n, issuedAt: at(s, n), businessDay: today });
      kiosk.printed(ticket, at(s, n) + 50);
      ids.push(ticket.id);
    }
  }
  const events = kiosk.outbox.slice(before);
  for (let i = 0; i < events.length; i += 1000) {
    let pushed = await kiosk.push(events.slice(i, i + 1000));
    // A server shedding load says so; the kiosk's sync loop sends the batch again.
    for (let retry = 0; pushed.status === 503 && retry < 100; retry++) {
      await sleep(50);
      pushed = await kiosk.push(events.slice(i, i + 1000));
    }
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
  }
  return ids;
}

export async function runCallingDay(options: CallingDayOptions): Promise<CallingDayStats> {
  const { db, clock, urls, today } = options;
  const catalogs = new CatalogStore(db);
  const { hallId } = await readHallState(db);
  const deps = { db, clock, catalogs };
  const tokens: string[] = [];
  for (let w = 1; w <= options.windows; w++) {
    const [serviceId, , departmentId] = services[w % services.length]!;
    await saveWindow(db, clock, catalogs, { number: w, name: `${w}号窗口`, departmentId, profile: { main: [serviceId] }, hasEvaluator: false });
    const caller = { hallId, staffId: `s${w}`, window: w };
    expect((await signInAtWindow(deps, caller)).ok).toBe(true);
    tokens.push((await openCounterSession(db, clock.now(), caller)).token);
  }

  const now = clock.now();
  const entrance = await enrol(db, clock, urls[0]!, 'entrance', () => clock.now());
  await pushTickets(entrance, today, 1, options.ticketsPerService, (s, n) => now - 600_000 + n * 1000 + s);

  const stats: CallingDayStats = { calls: 0, presses: 0, doublePresses: 0, overloadedRetries: 0, offlineTickets: [] };
  let turn = 0;
  const send = async (token: string, press: unknown, key: string) => {
    for (let attempt = 0; ; attempt++) {
      const url = urls[turn++ % urls.length]!;
      const response = await api(url, 'POST', '/api/v1/counter/press', { token, body: { idempotencyKey: key, press } }).catch(() => null);
      // Overloaded or unreachable: the counter presses again with the same key; nothing happens twice.
      if (response === null || response.status === 503) {
        stats.overloadedRetries++;
        if (attempt > 200) throw new Error('the servers stayed overloaded');
        await sleep(20 + Math.random() * 30);
        continue;
      }
      stats.presses++;
      return response;
    }
  };

  const deadline = performance.now() + options.runMs;
  const windowLoop = async (w: number) => {
    const token = tokens[w - 1]!;
    let n = 0;
    while (performance.now() < deadline) {
      const key = randomUUID();
      let called;
      // Every fifth call (counting from a different press at each window) is a double press.
      if ((w + ++n) % 5 === 0) {
        // A clerk's double press: two requests, one key, at once.
        stats.doublePresses++;
        const [a, b] = await Promise.all([send(token, { action: 'call' }, key), send(token, { action: 'call' }, key)]);
        expect(a.status).toBe(b.status);
        if (a.status === 200) expect(a.body.leg.id).toBe(b.body.leg.id);
        called = a;
      } else {
        called = await send(token, { action: 'call' }, key);
      }
      if (called.status === 409) {
        expect(called.body.error.refusal).toBe('queue-empty');
        await sleep(50);
        continue;
      }
      expect(called.status, JSON.stringify(called.body)).toBe(200);
      stats.calls++;
      for (const action of ['start', 'finish'] as const) {
        const done = await send(token, { action }, randomUUID());
        expect(done.status, JSON.stringify(done.body)).toBe(200);
      }
    }
  };

  // Tickets issued ten minutes before everything else on a kiosk that was offline, pushed mid-run.
  const offline = await enrol(db, clock, urls.at(-1)!, 'offline', () => clock.now());
  const late = (async () => {
    await sleep(options.runMs / 16);
    stats.offlineTickets = await pushTickets(offline, today, options.ticketsPerService + 1, 3, (s, n) => now - 1_200_000 + n * 1000 + s);
  })();
  await Promise.all([...Array.from({ length: options.windows }, (_, i) => windowLoop(i + 1)), late]);
  return stats;
}

/**
 * What must hold after any interleaving of the day:
 *  - no leg was called twice (audit and event log agree);
 *  - every leg's audited presses, in order, are moves the lifecycle table allows;
 *  - each call took its service's first waiting leg by queue order — exactly on SQLite, where
 *    writers take turns; on PostgreSQL within the legs other windows of the service were calling
 *    at that moment (`slack`), which skip one another's locked rows.
 */
export async function checkCallingDay(db: Kysely<Database>, slack: (serviceId: string) => number, offlineTickets: readonly string[]): Promise<{ maxInversion: number; offlineCalled: number }> {
  const audit = await db.selectFrom('counter_actions').select(['leg_id', 'action', 'from_state', 'to_state', 'at', 'id']).where('outcome', '=', 'done').where('leg_id', 'is not', null).execute();
  const byLeg = new Map<string, typeof audit>();
  for (const row of audit) byLeg.set(row.leg_id!, [...(byLeg.get(row.leg_id!) ?? []), row]);
  for (const [legId, rows] of byLeg) {
    expect(rows.filter((r) => r.action === 'call'), `leg ${legId} called more than once`).toHaveLength(1);
    // Follow the chain of states from waiting: each press starts where the one before ended.
    let state: LegState = 'waiting';
    const left = [...rows].sort((a, b) => Number(a.at) - Number(b.at));
    while (left.length) {
      const i = left.findIndex((r) => r.from_state === state);
      expect(i, `leg ${legId}: no audited press from ${state} (${JSON.stringify(left)})`).toBeGreaterThanOrEqual(0);
      const [row] = left.splice(i, 1);
      const step = legStep(state, row!.action as LegAction);
      expect('to' in step ? step.to : step, `leg ${legId}: ${row!.action} from ${state}`).toBe(row!.to_state);
      state = row!.to_state as LegState;
    }
  }

  const legs = await db.selectFrom('ticket_legs').select(['id', 'ticket_id', 'service_id', 'order_at', 'order_tie']).execute();
  const legById = new Map(legs.map((l) => [l.id, { id: l.id, serviceId: l.service_id, order: { at: Number(l.order_at), tie: JSON.parse(l.order_tie) as string[] } }]));
  const events = await db.selectFrom('hall_events').select(['id', 'kind', 'data_json']).orderBy('id').execute();
  const waiting = new Map<string, Set<string>>();
  const called = new Set<string>();
  let maxInversion = 0;
  for (const e of events) {
    const data = JSON.parse(e.data_json) as { legId: string; action?: string };
    if (e.kind === 'leg' && data.action === 'issued') {
      const leg = legById.get(data.legId)!;
      waiting.set(leg.serviceId, (waiting.get(leg.serviceId) ?? new Set()).add(leg.id));
    } else if (e.kind === 'call') {
      expect(called.has(data.legId), `leg ${data.legId} called twice in the event log`).toBe(false);
      called.add(data.legId);
      const leg = legById.get(data.legId)!;
      const queue = waiting.get(leg.serviceId)!;
      expect(queue.has(leg.id), `leg ${leg.id} called while not waiting`).toBe(true);
      const ahead = [...queue].filter((id) => compareLegOrder(legById.get(id)!, leg) < 0).length;
      maxInversion = Math.max(maxInversion, ahead);
      expect(ahead, `leg ${leg.id} of ${leg.serviceId} called with ${ahead} waiting ahead of it`).toBeLessThanOrEqual(slack(leg.serviceId));
      queue.delete(leg.id);
    }
  }
  expect(called.size).toBe(byLeg.size);
  const offline = new Set(offlineTickets);
  const offlineCalled = legs.filter((l) => offline.has(l.ticket_id) && called.has(l.id)).length;
  return { maxInversion, offlineCalled };
}

/** How many windows serve each service in a day of `windows` windows. */
export function windowsPerService(windows: number): (serviceId: string) => number {
  const counts = new Map<string, number>();
  for (let w = 1; w <= windows; w++) {
    const [serviceId] = services[w % services.length]!;
    counts.set(serviceId, (counts.get(serviceId) ?? 0) + 1);
  }
  return (serviceId) => counts.get(serviceId) ?? 0;
}
