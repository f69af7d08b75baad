import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { liveTokenHash } from '../live/live-token-hash.ts';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../../core/calendar/clock.ts';
import { correctedTime } from '../../core/sync/clock-offset.ts';
import type { SyncEvent, SyncPayload } from '../../core/sync/events.ts';
import type { PushRequest, PushResult } from '../../core/sync/push.ts';
import { moveTicket, ticketEventActions, type TicketChangeEvent } from '../../core/ticket/lifecycle.ts';
import { isTicketState } from '../../core/ticket/ticket.ts';
import { readAttendanceRules, type AttendanceRules } from '../attendance/checkins.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import { HallCalendarStore } from '../calendar/calendar-store.ts';
import { BulkStatement } from '../db/bulk.ts';
import { uniqueViolation } from '../db/constraint-errors.ts';
import type { Database, TicketsTable } from '../db/schema.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { countOfflineTickets } from '../numbering/numbering.ts';
import { originsOf, type NumberOrigin } from './ticket-numbers.ts';
import { UnappliableEvent, applyEventEffects } from './ticket-events.ts';
import type { EventContext } from './ticket-events.ts';

export interface PushHooks {
  /**
   * Awaited inside the transaction after each event's effects are written, before the commit.
   * Tests use it to kill the server with a transaction open.
   */
  beforeEventCommit?(event: { deviceId: string; seq: number }): Promise<void>;
  /**
   * Awaited inside the transaction once the tickets' rows are written, with the ids of the tickets
   * its events issued or changed (a block's at its end): counter calling queues the printed ones
   * and voids the voided ones' legs (server/calling/ticket-legs.ts), atomically with the push.
   */
  ticketsChanged?(trx: Kysely<Database>, ticketIds: readonly string[], now: number): Promise<void>;
}

/** The ticket an event issues or changes, if it is about one. */
function ticketIdOf(event: SyncEvent): string | null {
  const payload = event.payload as { ticket?: { id?: unknown }; ticketId?: unknown } | null;
  if (event.type === 'ticket.issued') return typeof payload?.ticket?.id === 'string' ? payload.ticket.id : null;
  return event.type.startsWith('ticket.') && typeof payload?.ticketId === 'string' ? payload.ticketId : null;
}

export interface PushDeps {
  db: Kysely<Database>;
  clock: Clock;
  catalogs: CatalogStore;
  /** the hall calendar check-ins are decided by; absent: read from `db` for each push that holds one */
  calendars?: HallCalendarStore;
  hooks?: PushHooks;
}

export type PushOutcome =
  | { kind: 'done'; epoch: string; lastAppliedSeq: number; results: PushResult[] }
  /** the batch starts after a seq the server does not hold: nothing was applied */
  | { kind: 'gap'; lastAppliedSeq: number; firstSeq: number }
  /** a seq the server holds was sent again with a different event id: the device's log was reset */
  | { kind: 'conflict'; lastAppliedSeq: number; seq: number; heldEventId: string };

/** Raised inside a transaction when another request claimed this seq first. */
class SeqAlreadyClaimed extends Error {}

async function lastAppliedSeq(db: Kysely<Database>, deviceId: string): Promise<number> {
  const row = await db.selectFrom('device_sync').select('last_applied_seq').where('device_id', '=', deviceId).executeTakeFirst();
  return row?.last_applied_seq ?? 0;
}

/**
 * Moves the device's last applied seq from seq − 1 to seq, as the first write for each event: on
 * PostgreSQL a concurrent push of the same seq (a retry racing the original on another server
 * process) waits on this row and then finds the condition false, so effects never apply twice.
 */
async function claimSeq(trx: Kysely<Database>, deviceId: string, seq: number, now: number): Promise<void> {
  const result = await trx
    .updateTable('device_sync')
    .set({ last_applied_seq: seq, updated_at: now })
    .where('device_id', '=', deviceId)
    .where('last_applied_seq', '=', seq - 1)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new SeqAlreadyClaimed();
}

/**
 * Events are committed in short transactions of many events each, and a transaction ends once it
 * has run for `maxTransactionMs` or holds `maxEventsPerTransaction` events: each event's effects
 * and its seq are committed together or not at all, one commit (one fsync on SQLite) covers many
 * events, and the write lock stays short so online numbering never waits long behind a catch-up.
 *
 * Inside a transaction the events go in blocks through the fast path. The first block is small
 * (`firstFastBlock`) and each later one as large as the time the earlier ones took per event
 * leaves room for, so a slow transaction still commits early. What a block does to the device's
 * tickets is worked out in memory from one read, then written with a handful of multi-row
 * statements. Any event the fast path cannot vouch for — one that would be dead-lettered, or whose
 * insert meets a unique index — ends the block before it and goes alone through the per-event
 * path with its savepoint, which decides between applied and dead-lettered exactly as before.
 */
const maxEventsPerTransaction = 1000;
const maxTransactionMs = 25;
const firstFastBlock = 8;

/**
 * Applies a validated batch (pushRequestSchema) in seq order. A crash mid-batch keeps every
 * committed event and no half-applied one; the kiosk re-sends the rest, and what was committed
 * comes back as duplicate.
 */
export async function applyPush(deps: PushDeps, deviceId: string, batch: PushRequest): Promise<PushOutcome> {
  const { db, clock } = deps;
  const hall = await readHallState(db);
  const batchOffset = batch.clockOffsetMs ?? clock.now() - batch.sentAt;
  let last = await lastAppliedSeq(db, deviceId);

  if (batch.prunedThrough !== undefined && batch.prunedThrough > last) {
    last = await recordLostRange(deps, deviceId, last, batch.prunedThrough);
  }

  const firstSeq = batch.events[0]!.seq;
  if (firstSeq > last + 1) return { kind: 'gap', lastAppliedSeq: last, firstSeq };

  const replayed = batch.events.filter((e) => e.seq <= last);
  if (replayed.length) {
    const held = await db
      .selectFrom('device_events')
      .select(['seq', 'event_id'])
      .where('device_id', '=', deviceId)
      .where('seq', '>=', replayed[0]!.seq)
      .where('seq', '<=', replayed.at(-1)!.seq)
      .execute();
    const heldIds = new Map(held.map((r) => [r.seq, r.event_id]));
    for (const event of replayed) {
      const heldId = heldIds.get(event.seq);
      // No row at all: a range the server recorded as lost; the kiosk may still send it back.
      if (heldId !== undefined && heldId !== event.id) return { kind: 'conflict', lastAppliedSeq: last, seq: event.seq, heldEventId: heldId };
    }
  }

  const knownServices = new Map<string, boolean>();
  const results: PushResult[] = replayed.map((e) => ({ seq: e.seq, id: e.id, status: 'duplicate' }));
  const pending = batch.events.slice(replayed.length);
  // Read before any transaction (the stores read through their own connection), and only when needed.
  const attendance = pending.some((e) => e.type === 'checkin.recorded') ? await readAttendanceRules(db, deps.calendars ?? new HallCalendarStore(db)) : null;
  const base: PushContext = { deviceId, hallId: hall.hallId, timeZone: hall.timeZone, batchOffset, knownServices, prefixes: new Map(), currentCatalogRead: false, attendance };
  let next = 0;
  /** index of an event that must go through the per-event path; the fast path stops before it */
  let slowAt = -1;
  while (next < pending.length) {
    let raced = false;
    if (next === slowAt) {
      slowAt = -1;
      const result = await applyOneEvent(deps, base, pending[next]!);
      if (result !== 'raced') {
        results.push(result);
        next += 1;
        continue;
      }
      raced = true;
    } else {
      const end = slowAt > next ? slowAt : pending.length;
      const run = await applyFastTransaction(deps, base, pending.slice(next, end));
      results.push(...run.results);
      next += run.results.length;
      if (run.stop === 'slow') slowAt = next;
      else if (run.stop === 'conflict') slowAt = next + run.conflictAt;
      else if (run.stop === 'raced') raced = true;
    }
    if (!raced) continue;
    // Another request applied this device's next seqs first: fine if they were these very events.
    const settled = await settleRace(db, deviceId, pending.slice(next));
    results.push(...settled);
    if (settled.length === 0) break;
    next += settled.length;
  }
  return { kind: 'done', epoch: hall.epoch, lastAppliedSeq: await lastAppliedSeq(db, deviceId), results };
}

interface PushContext {
  deviceId: string;
  hallId: string;
  /** the batch's clock offset, for events that carry none */
  batchOffset: number;
  /** whether any catalog ever had a service, memoized for the push */
  knownServices: Map<string, boolean>;
  /** the prefixes each service had, memoized for the push */
  prefixes: Map<string, readonly string[]>;
  timeZone: string;
  /** whether knownServices holds the current catalog's services yet */
  currentCatalogRead: boolean;
  attendance: AttendanceRules | null;
}

function eventContext(deps: PushDeps, push: PushContext, trx: Kysely<Database>, event: SyncEvent): EventContext {
  return {
    trx,
    deviceId: push.deviceId,
    hallId: push.hallId,
    clockOffsetMs: event.clockOffsetMs ?? push.batchOffset,
    eventAt: event.at,
    now: deps.clock.now(),
    serviceKnown: (serviceId) => serviceKnown(deps, push, trx, serviceId),
    prefixesOf: (serviceId) => prefixesOf(deps, push, trx, serviceId),
    timeZone: push.timeZone,
    attendance: push.attendance,
  };
}

async function prefixesOf(deps: PushDeps, push: PushContext, trx: Kysely<Database>, serviceId: string): Promise<readonly string[]> {
  let prefixes = push.prefixes.get(serviceId);
  if (prefixes === undefined) push.prefixes.set(serviceId, (prefixes = await deps.catalogs.prefixesOf(trx, serviceId)));
  return prefixes;
}

async function serviceKnown(deps: PushDeps, push: PushContext, trx: Kysely<Database>, serviceId: string): Promise<boolean> {
  if (!push.currentCatalogRead) {
    // The current catalog's services at once: one read for the push instead of one per service.
    const latest = await deps.catalogs.latest(trx);
    for (const service of latest?.catalog.services ?? []) push.knownServices.set(service.id, true);
    push.currentCatalogRead = true;
  }
  let known = push.knownServices.get(serviceId);
  // Not in the current catalog: any version that ever had it counts (everHadService).
  if (known === undefined) push.knownServices.set(serviceId, (known = await deps.catalogs.everHadService(trx, serviceId)));
  return known;
}

/** One event through the per-event path, in a transaction of its own. */
async function applyOneEvent(deps: PushDeps, push: PushContext, event: SyncEvent): Promise<PushResult | 'raced'> {
  return deps.db.transaction().execute((trx) => applyEvent(deps, eventContext(deps, push, trx, event), event));
}

const savepoint = sql.raw('sync_event');

/** One event inside the chunk's transaction, atomically with its seq, or dead-lettered. */
async function applyEvent(deps: PushDeps, ctx: EventContext, event: SyncEvent): Promise<PushResult | 'raced'> {
  const { hooks } = deps;
  const { trx, deviceId, now } = ctx;
  let reason: string;
  await sql`savepoint ${savepoint}`.execute(trx);
  try {
    await claimSeq(trx, deviceId, event.seq, now);
    const effect = await applyEventEffects(ctx, event.type, event.payload);
    const ticketId = ticketIdOf(event);
    if (ticketId !== null) await hooks?.ticketsChanged?.(trx, [ticketId], now);
    await trx
      .insertInto('device_events')
      .values({ device_id: deviceId, seq: event.seq, event_id: event.id, type: event.type, at: event.at, outcome: 'applied', received_at: now })
      .execute();
    await sql`release savepoint ${savepoint}`.execute(trx);
    await hooks?.beforeEventCommit?.({ deviceId, seq: event.seq });
    return { seq: event.seq, id: event.id, status: 'applied', ...effect };
  } catch (error) {
    // PostgreSQL refuses every statement after an error until the savepoint is rolled back.
    await sql`rollback to savepoint ${savepoint}`.execute(trx);
    await sql`release savepoint ${savepoint}`.execute(trx);
    if (error instanceof SeqAlreadyClaimed) return 'raced';
    if (error instanceof UnappliableEvent) reason = error.message;
    else {
      const constraint = uniqueViolation(error);
      if (constraint === null) throw error;
      reason = `violates ${constraint}`;
    }
  }
  // The rollback released the claim's row lock too, so another request may take the seq now.
  await sql`savepoint ${savepoint}`.execute(trx);
  try {
    await claimSeq(trx, deviceId, event.seq, now);
    await trx
      .insertInto('dead_letters')
      .values({
        id: uuidv7({ msecs: now }),
        device_id: deviceId,
        seq: event.seq,
        last_seq: event.seq,
        event_id: event.id,
        type: event.type,
        reason,
        payload_json: JSON.stringify(event.payload ?? null),
        created_at: now,
      })
      .execute();
    // An event id the device already used at another seq stays recorded under that seq only.
    const idTaken = await trx.selectFrom('device_events').select('seq').where('event_id', '=', event.id).executeTakeFirst();
    if (!idTaken) {
      await trx
        .insertInto('device_events')
        .values({ device_id: deviceId, seq: event.seq, event_id: event.id, type: event.type, at: event.at, outcome: 'dead-lettered', received_at: now })
        .execute();
    }
    await sql`release savepoint ${savepoint}`.execute(trx);
  } catch (error) {
    await sql`rollback to savepoint ${savepoint}`.execute(trx);
    await sql`release savepoint ${savepoint}`.execute(trx);
    if (error instanceof SeqAlreadyClaimed) return 'raced';
    throw error;
  }
  await hooks?.beforeEventCommit?.({ deviceId, seq: event.seq });
  return { seq: event.seq, id: event.id, status: 'dead-lettered', reason };
}

/**
 * Another request took this device's next seqs first: each of `events` the server now holds as
 * this very event is a duplicate. Stops at the first it does not hold (or holds as another event);
 * none at all means this request lost the race, and the rest is left for the kiosk to re-send.
 */
async function settleRace(db: Kysely<Database>, deviceId: string, events: readonly SyncEvent[]): Promise<PushResult[]> {
  const last = await lastAppliedSeq(db, deviceId);
  const taken = events.filter((e) => e.seq <= last);
  if (!taken.length) return [];
  const held = await db
    .selectFrom('device_events')
    .select(['seq', 'event_id'])
    .where('device_id', '=', deviceId)
    .where('seq', '>=', taken[0]!.seq)
    .where('seq', '<=', taken.at(-1)!.seq)
    .execute();
  const heldIds = new Map(held.map((r) => [r.seq, r.event_id]));
  const settled: PushResult[] = [];
  for (const event of taken) {
    const heldId = heldIds.get(event.seq);
    if (heldId !== undefined && heldId !== event.id) break;
    settled.push({ seq: event.seq, id: event.id, status: 'duplicate' });
  }
  return settled;
}

/**
 * The server lacks events up to `through` (restored from a backup) and the kiosk says it no
 * longer has them. Recorded as one dead letter so the loss is visible, then skipped over.
 */
async function recordLostRange(deps: PushDeps, deviceId: string, last: number, through: number): Promise<number> {
  const now = deps.clock.now();
  try {
    await deps.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('device_sync')
        .set({ last_applied_seq: through, updated_at: now })
        .where('device_id', '=', deviceId)
        .where('last_applied_seq', '=', last)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new SeqAlreadyClaimed();
      await trx
        .insertInto('dead_letters')
        .values({
          id: uuidv7({ msecs: now }),
          device_id: deviceId,
          seq: last + 1,
          last_seq: through,
          event_id: null,
          type: null,
          reason: `lost: the server lacks events ${last + 1}–${through} (restored from an older backup) and the device no longer holds them`,
          payload_json: null,
          created_at: now,
        })
        .execute();
    });
  } catch (error) {
    if (!(error instanceof SeqAlreadyClaimed)) throw error;
  }
  return lastAppliedSeq(deps.db, deviceId);
}

// ---------------------------------------------------------------------------------------------
// The fast path

/** Thrown inside a fast transaction to roll it back: event `at` of the transaction met a unique index. */
class FastPathConflict extends Error {
  constructor(readonly at: number) {
    super('unique conflict in a fast block');
  }
}

interface FastTransaction {
  /** the events applied, a prefix of those offered */
  results: PushResult[];
  /**
   * Why it stopped short of the offered events: `slow` — the next event needs the per-event path;
   * `conflict` — event `conflictAt` (of those offered) met a unique index, nothing was applied
   * (results is empty); `raced` — another request claimed the first seq, nothing was applied.
   */
  stop: 'done' | 'slow' | 'conflict' | 'raced';
  conflictAt: number;
}

/** One transaction of fast blocks over a prefix of `events`, until a stop or the bounds. */
async function applyFastTransaction(deps: PushDeps, push: PushContext, events: readonly SyncEvent[]): Promise<FastTransaction> {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      // A duration bound, not a time of day: the monotonic timer, not the injected clock.
      const started = performance.now();
      const results: PushResult[] = [];
      const counters: OfflineCounts = new Map();
      const touched = new Set<string>();
      let stop: FastTransaction['stop'] = 'done';
      while (results.length < events.length) {
        const elapsed = performance.now() - started;
        const fits = results.length === 0 ? firstFastBlock : Math.floor(((maxTransactionMs - elapsed) * results.length) / Math.max(elapsed, 0.001));
        const size = Math.max(1, Math.min(fits, events.length - results.length, maxEventsPerTransaction - results.length));
        const block = events.slice(results.length, results.length + size);
        const applied = await applyFastBlock(deps, push, trx, block, results.length, counters, touched);
        if (applied === 'raced') return { results, stop: 'raced', conflictAt: 0 };
        results.push(...applied);
        if (applied.length < block.length) {
          stop = 'slow';
          break;
        }
        if (results.length >= maxEventsPerTransaction || performance.now() - started >= maxTransactionMs) break;
      }
      // The offline tickets count against their days' quotas, every counter in one go and in key
      // order: concurrent pushes (and leases) then lock counter rows in the same order on
      // PostgreSQL and cannot deadlock on them.
      await countOfflineTickets(trx, push.hallId, counters);
      if (touched.size) await deps.hooks?.ticketsChanged?.(trx, [...touched], deps.clock.now());
      return { results, stop, conflictAt: 0 };
    });
  } catch (error) {
    if (error instanceof FastPathConflict) return { results: [], stop: 'conflict', conflictAt: error.at };
    throw error;
  }
}

/** Offline tickets per (service, day) a fast transaction applied, to count against the quotas. */
type OfflineCounts = Map<string, { serviceId: string; day: string; tickets: number }>;

/** A ticket as the fast path tracks it through a block. */
interface TrackedTicket {
  deviceId: string;
  label: string;
  state: string;
  printAttempts: number;
  lastPrintError: string | null;
  voidReason: string | null;
  /** created by this block: inserted with its final state; otherwise updated */
  row: TicketsTable | null;
  changed: boolean;
}

type IssuedPayload = SyncPayload<'ticket.issued'>;
type PrintedPayload = SyncPayload<'ticket.printed'>;
type PrintFailedPayload = SyncPayload<'ticket.print-failed'>;
type VoidedPayload = SyncPayload<'ticket.voided'>;

/**
 * The event types the fast path knows: ticket.issued and these ticket changes, each allowed from
 * the states the ticket lifecycle (core/ticket/lifecycle.ts) allows its action from, as in
 * ticket-events.ts's handlers. Every other type (a check-in, a reprint, or one this server does
 * not know) ends the block and takes the per-event path.
 */
const fastChanges = ['ticket.printed', 'ticket.print-failed', 'ticket.voided'] as const satisfies readonly TicketChangeEvent[];
type TicketChange = (typeof fastChanges)[number];
const isFastChange = (type: string): type is TicketChange => (fastChanges as readonly string[]).includes(type);

const ticketColumns = [
  'id',
  'device_id',
  'hall_id',
  'service_id',
  'department_id',
  'business_day',
  'sequence',
  'label',
  'priority',
  'issued_at',
  'clock_offset_ms',
  'corrected_issued_at',
  'state',
  'print_attempts',
  'last_print_error',
  'void_reason',
  'reprint_count',
  'last_reprinted_at',
  'received_at',
  'updated_at',
  'live_token_hash',
  'language',
] as const satisfies readonly (keyof TicketsTable)[];
const insertTickets = new BulkStatement<TicketsTable, { id: string }>(ticketColumns, (db, rows) =>
  db.insertInto('tickets').values(rows).onConflict((oc) => oc.doNothing()).returning('id'),
);

type DeviceEventRow = Database['device_events'];
const insertDeviceEvents = new BulkStatement<DeviceEventRow>(['device_id', 'seq', 'event_id', 'type', 'at', 'outcome', 'received_at'], (db, rows) =>
  db.insertInto('device_events').values(rows).onConflict((oc) => oc.doNothing()),
);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * Applies the longest prefix of `block` that the fast path can vouch for, inside the caller's
 * transaction: the same rows the per-event path would leave, from a few multi-row statements.
 * Returns the applied prefix (empty when the first event needs the per-event path), 'raced' when
 * another request claimed the first seq, or throws FastPathConflict to roll the transaction back.
 */
async function applyFastBlock(
  deps: PushDeps,
  push: PushContext,
  trx: Kysely<Database>,
  block: readonly SyncEvent[],
  offset: number,
  /** the offline tickets per (service, day), for the caller to count */
  counters: OfflineCounts,
  /** gets the ids of the tickets the applied events issued or changed */
  touched: Set<string>,
): Promise<PushResult[] | 'raced'> {
  const { deviceId, hallId } = push;
  const now = deps.clock.now();

  // Tickets the block's events refer to without issuing them: one read.
  const issuedHere = new Set<string>();
  const referenced = new Set<string>();
  for (const event of block) {
    if (event.type === 'ticket.issued' && isObject(event.payload) && isObject(event.payload.ticket)) issuedHere.add(String(event.payload.ticket.id));
    else if (isObject(event.payload) && typeof event.payload.ticketId === 'string') referenced.add(event.payload.ticketId);
  }
  for (const id of issuedHere) referenced.delete(id);
  const tickets = new Map<string, TrackedTicket>();
  if (referenced.size) {
    const rows = await trx
      .selectFrom('tickets')
      .select(['id', 'device_id', 'label', 'state', 'print_attempts', 'last_print_error', 'void_reason'])
      .where('id', 'in', [...referenced])
      .execute();
    for (const r of rows) {
      tickets.set(r.id, { deviceId: r.device_id, label: r.label, state: r.state, printAttempts: r.print_attempts, lastPrintError: r.last_print_error, voidReason: r.void_reason, row: null, changed: false });
    }
  }

  // Where each issued ticket's number came from (server/sync/ticket-numbers.ts), in three reads.
  const issuedTickets = block.flatMap((e) => (e.type === 'ticket.issued' && isObject(e.payload) && isObject(e.payload.ticket) ? [(e.payload as IssuedPayload).ticket] : []));
  const origins: Map<string, NumberOrigin> = issuedTickets.length
    ? await originsOf(trx, { hallId, deviceId, timeZone: push.timeZone, now, prefixesOf: (serviceId) => prefixesOf(deps, push, trx, serviceId) }, issuedTickets)
    : new Map();

  // Each event in order against the tracked tickets, as its handler would; stop at the first that
  // would not apply (unknown type or service, a ticket in the wrong state or another device's…).
  let applied = 0;
  const newTickets: TicketsTable[] = [];
  for (const event of block) {
    const type = event.type;
    if (!isObject(event.payload) || (type !== 'ticket.issued' && !isFastChange(type))) break;
    if (type === 'ticket.issued') {
      const { ticket } = event.payload as IssuedPayload;
      if (!isObject(ticket) || tickets.has(ticket.id)) break;
      // Memoized for the push: awaited only the first time a service is seen.
      if (!(push.knownServices.get(ticket.serviceId) ?? (await serviceKnown(deps, push, trx, ticket.serviceId)))) break;
      // A number the device was not given: the per-event path refuses it with the reason.
      if (!origins.get(ticket.id)?.ok) break;
      const clockOffsetMs = event.clockOffsetMs ?? push.batchOffset;
      const row: TicketsTable = {
        id: ticket.id,
        device_id: deviceId,
        hall_id: hallId,
        service_id: ticket.serviceId,
        department_id: ticket.departmentId,
        business_day: ticket.businessDay,
        sequence: ticket.sequence,
        label: ticket.label,
        priority: ticket.priority,
        issued_at: ticket.issuedAt,
        clock_offset_ms: clockOffsetMs,
        corrected_issued_at: correctedTime(ticket.issuedAt, clockOffsetMs),
        state: ticket.state,
        print_attempts: ticket.printAttempts,
        last_print_error: ticket.lastPrintError ?? null,
        void_reason: null,
        reprint_count: 0,
        last_reprinted_at: null,
        received_at: now,
        updated_at: now,
        live_token_hash: ticket.liveToken ? liveTokenHash(ticket.liveToken) : null,
        language: ticket.language ?? null,
      };
      newTickets.push(row);
      tickets.set(ticket.id, { deviceId, label: ticket.label, state: ticket.state, printAttempts: ticket.printAttempts, lastPrintError: row.last_print_error, voidReason: null, row, changed: false });
    } else {
      const payload = event.payload as PrintedPayload | PrintFailedPayload | VoidedPayload;
      const ticket = tickets.get(payload.ticketId);
      const change = type as TicketChange;
      if (!ticket || ticket.deviceId !== deviceId || !isTicketState(ticket.state)) break;
      const move = moveTicket({ label: ticket.label, state: ticket.state }, ticketEventActions[change]);
      if (!move.ok) break;
      if (change === 'ticket.printed') {
        ticket.state = move.to;
        ticket.printAttempts = (payload as PrintedPayload).printAttempts;
        ticket.lastPrintError = null;
        ticket.changed = true;
      } else if (change === 'ticket.print-failed') {
        const { printAttempts, outcome, detail } = payload as PrintFailedPayload;
        ticket.state = move.to;
        ticket.printAttempts = printAttempts;
        ticket.lastPrintError = detail ? `${outcome}: ${detail}` : outcome;
        ticket.changed = true;
      } else if (move.changes) {
        ticket.state = move.to;
        ticket.voidReason = (payload as VoidedPayload).reason;
        ticket.changed = true;
      }
    }
    applied++;
  }
  if (applied === 0) return [];
  const done = block.slice(0, applied);

  // The seqs first, as the per-event path claims each: a concurrent push of the same events waits
  // on this row (PostgreSQL) and then finds the condition false.
  const claim = await trx
    .updateTable('device_sync')
    .set({ last_applied_seq: done.at(-1)!.seq, updated_at: now })
    .where('device_id', '=', deviceId)
    .where('last_applied_seq', '=', done[0]!.seq - 1)
    .executeTakeFirst();
  if (Number(claim.numUpdatedRows) !== 1) {
    if (offset === 0) return 'raced';
    throw new Error('the device sync row moved under a fast transaction that held it');
  }

  // New tickets go in with the state the block's later events left them in.
  for (const row of newTickets) {
    const ticket = tickets.get(row.id)!;
    if (!ticket.changed) continue;
    row.state = ticket.state;
    row.print_attempts = ticket.printAttempts;
    row.last_print_error = ticket.lastPrintError;
    row.void_reason = ticket.voidReason;
  }
  if (newTickets.length) {
    const inserted = await insertTickets.run(trx, newTickets);
    if (inserted.length !== newTickets.length) {
      // A number, label or id another ticket holds: the per-event path explains and dead-letters it.
      const stored = new Set(inserted.map((r) => r.id));
      const clash = done.findIndex((e) => e.type === 'ticket.issued' && !stored.has((e.payload as IssuedPayload).ticket.id));
      throw new FastPathConflict(offset + Math.max(0, clash));
    }
    for (const row of newTickets) {
      const origin = origins.get(row.id);
      if (!origin?.ok || !origin.offline) continue;
      const key = `${row.service_id}\u0000${row.business_day}`;
      const counter = counters.get(key);
      if (!counter) counters.set(key, { serviceId: row.service_id, day: row.business_day, tickets: 1 });
      else counter.tickets += 1;
    }
  }
  for (const [id, ticket] of tickets) {
    if (ticket.row || !ticket.changed) continue;
    await trx
      .updateTable('tickets')
      .set({ state: ticket.state, print_attempts: ticket.printAttempts, last_print_error: ticket.lastPrintError, void_reason: ticket.voidReason, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  const logged = await insertDeviceEvents.count(
    trx,
    done.map((e) => ({ device_id: deviceId, seq: e.seq, event_id: e.id, type: e.type, at: e.at, outcome: 'applied' as const, received_at: now })),
  );
  if (logged !== done.length) {
    // An event id this device already used at another seq: the seqs just claimed that have no row.
    const stored = await trx
      .selectFrom('device_events')
      .select('seq')
      .where('device_id', '=', deviceId)
      .where('seq', '>=', done[0]!.seq)
      .where('seq', '<=', done.at(-1)!.seq)
      .execute();
    const seqs = new Set(stored.map((r) => Number(r.seq)));
    throw new FastPathConflict(offset + Math.max(0, done.findIndex((e) => !seqs.has(e.seq))));
  }
  for (const [id, ticket] of tickets) if (ticket.row || ticket.changed) touched.add(id);
  for (const event of done) await deps.hooks?.beforeEventCommit?.({ deviceId, seq: event.seq });
  return done.map((e) => ({ seq: e.seq, id: e.id, status: 'applied' }));
}
