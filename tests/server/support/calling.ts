import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { CounterPress, PressResult } from '../../../core/queue/counter-api.ts';
import type { HallEvent } from '../../../core/queue/hall-events.ts';
import { hallEventSchema } from '../../../core/queue/hall-events.ts';
import type { PriorityClass, Ticket } from '../../../core/ticket/ticket.ts';
import { pressAtWindow, signInAtWindow } from '../../../server/calling/counter-actions.ts';
import type { CounterCaller } from '../../../server/calling/counter-staff.ts';
import type { CallingDeps, PressOutcome } from '../../../server/calling/press-runner.ts';
import { saveWindow } from '../../../server/calling/windows.ts';
import { CatalogStore } from '../../../server/catalog/catalog-store.ts';
import type { Database } from '../../../server/db/schema.ts';
import { readHallState } from '../../../server/hall/hall-settings.ts';
import type { TestKiosk } from './kiosk.ts';
import type { TestServer } from './servers.ts';

/** The store's dependencies on a test server's database, counting the commits that wrote events. */
export function callingDeps(server: Pick<TestServer, 'db' | 'clock'>): CallingDeps & { commits: number } {
  const deps = { db: server.db.db, clock: server.clock, catalogs: new CatalogStore(server.db.db), commits: 0, committed: () => void deps.commits++ };
  return deps;
}

/** Windows `numbers` of the social department, serving `main` (default ss-card), closed. */
export async function setUpWindows(server: Pick<TestServer, 'db' | 'clock'>, numbers: readonly number[], profile: { main: string[]; extra?: string[] } = { main: ['ss-card'] }, departmentId = 'social'): Promise<void> {
  const catalogs = new CatalogStore(server.db.db);
  for (const number of numbers) await saveWindow(server.db.db, server.clock, catalogs, { number, name: `${number}号窗口`, departmentId, profile: { extra: [], ...profile }, hasEvaluator: false });
}

export async function hallIdOf(db: Kysely<Database>): Promise<string> {
  return (await readHallState(db)).hallId;
}

/** A staff member signed in at `window` (no PIN: the store trusts its caller, the route checks the PIN). */
export async function signedIn(deps: CallingDeps, window: number, staffId = `staff-${window}`): Promise<CounterCaller> {
  const caller = { hallId: await hallIdOf(deps.db), staffId, window };
  const outcome = await signInAtWindow(deps, caller);
  expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
  return caller;
}

/** A press with a fresh idempotency key. */
export function press(deps: CallingDeps, caller: CounterCaller, what: CounterPress, key = randomUUID()): Promise<PressOutcome> {
  return pressAtWindow(deps, caller, key, what);
}

/** A press expected to succeed: its result. */
export async function pressed(deps: CallingDeps, caller: CounterCaller, what: CounterPress): Promise<PressResult> {
  const outcome = await press(deps, caller, what);
  if (!outcome.ok) throw new Error(`${what.action} at window ${caller.window} refused: ${outcome.refusal.refusal} ${outcome.refusal.reason.zh}`);
  return outcome.result;
}

/** A press expected to be refused: the refusal's code. */
export async function refusal(deps: CallingDeps, caller: CounterCaller, what: CounterPress): Promise<string> {
  const outcome = await press(deps, caller, what);
  if (outcome.ok) throw new Error(`${what.action} at window ${caller.window} was not refused`);
  return outcome.refusal.refusal;
}

/** Issues and prints tickets on `kiosk` (device clock = `at`), pushed in one batch. */
export async function printedTickets(
  kiosk: TestKiosk,
  tickets: ReadonlyArray<{ serviceId?: string; prefix?: string; sequence: number; at: number; priority?: PriorityClass; departmentId?: string; printed?: boolean; liveToken?: string; language?: 'zh' | 'en' }>,
): Promise<Ticket[]> {
  const out: Ticket[] = [];
  const before = kiosk.outbox.length;
  for (const t of tickets) {
    const ticket = kiosk.issue({ serviceId: t.serviceId ?? 'ss-card', departmentId: t.departmentId ?? 'social', prefix: t.prefix ?? 'D', sequence: t.sequence, issuedAt: t.at, priority: t.priority, liveToken: t.liveToken, language: t.language });
    if (t.printed !== false) kiosk.printed(ticket, t.at + 100);
    out.push(ticket);
  }
  const pushed = await kiosk.push(kiosk.outbox.slice(before));
  expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
  return out;
}

/** Every hall event stored, oldest first. */
export async function storedEvents(db: Kysely<Database>): Promise<HallEvent[]> {
  const rows = await db.selectFrom('hall_events').selectAll().orderBy('id').execute();
  return rows.map((r) => hallEventSchema.parse({ id: Number(r.id), kind: r.kind, at: Number(r.at), department: r.department_id, data: JSON.parse(r.data_json) }));
}
