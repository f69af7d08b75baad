import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { AdminLegPress, CounterPress } from '../../core/queue/counter-api.ts';
import type { LegAction } from '../../core/queue/leg-lifecycle.ts';
import type { LegCommand, LegContext } from '../../core/queue/leg-actions.ts';
import { applyLegAction } from '../../core/queue/leg-actions.ts';
import { nextLeg } from '../../core/queue/next-ticket.ts';
import type { WindowCommand, WindowMove } from '../../core/queue/window.ts';
import { applyWindowAction, profileServices, windowActionOfLeg } from '../../core/queue/window.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import { engineOf } from '../db/connect.ts';
import { endCounterSessions } from './counter-staff.ts';
import type { CounterCaller } from './counter-staff.ts';
import type { StoredLeg } from './leg-rows.ts';
import { holdingWindow, moveLeg, readLeg, readWaitingLegs, rowOfLeg } from './leg-rows.ts';
import type { Acted, CallingDeps, PressOutcome, PressTx } from './press-runner.ts';
import { CallingError, RetryPress, runPress } from './press-runner.ts';
import type { StoredWindow } from './window-rows.ts';
import { lockWindow, saveWindowStatus } from './window-rows.ts';

/**
 * The presses of a window's staff (叫号 重呼 开始 办结 过号 过号重排 挂起 回呼 转移 暂停 恢复 签退)
 * and an administrator's on a leg (恢复, 作废, 过号重排). Every rule is core/queue's: the leg's
 * table and guards (applyLegAction), the window's table (applyWindowAction) and the next rule
 * (nextLeg); this file only reads, locks and writes.
 */

const queueEmpty: LocalizedText = { zh: '暂无等候的号', en: 'No ticket is waiting for this window' };

/**
 * 叫号 looks at this many legs in the next rule's order before reading the queue again: more than
 * the windows that usually serve one service, so a window rarely finds them all being called.
 */
const callCandidates = 32;
const callRounds = 20;

function refusedByWindow(stored: StoredWindow, move: Extract<WindowMove, { ok: false }>): Acted {
  return { kind: 'refused', refusal: move.refusal, reason: move.reason, window: stored, leg: null };
}

function legContext(tx: PressTx, window: number | null): LegContext {
  return { now: tx.now, today: tx.today, window, settings: tx.settings };
}

/** A press only counts from the staff member signed in at the window. */
function notSignedIn(stored: StoredWindow, caller: CounterCaller): Acted | null {
  if (stored.status.staffId === caller.staffId && stored.status.state !== 'closed') return null;
  const move = stored.status.state === 'closed'
    ? applyWindowAction(stored.window, stored.status, { action: 'start' }, { now: 0, settings: { pauseReasons: [] } })
    : applyWindowAction(stored.window, stored.status, { action: 'sign-in', staffId: caller.staffId }, { now: 0, settings: { pauseReasons: [] } });
  return move.ok ? null : refusedByWindow(stored, move);
}

/** A press at the caller's window. */
export async function pressAtWindow(deps: CallingDeps, caller: CounterCaller, key: string, press: CounterPress): Promise<PressOutcome> {
  let stored: StoredWindow | null = null;
  return runPress(
    deps,
    key,
    { window: caller.window, staffId: caller.staffId, admin: null, action: press.action },
    async (tx) => {
      stored = await lockWindow(tx.trx, tx.hallId, caller.window);
      if (!stored) throw new CallingError(404, 'not-found', `there is no window ${caller.window}`);
    },
    async (tx) => {
      const at = stored!;
      const refused = notSignedIn(at, caller);
      if (refused) return refused;
      switch (press.action) {
        case 'call':
          return callNext(tx, at, caller);
        case 'call-back':
          return onLeg(tx, at, caller, press.legId, { action: 'call-back' });
        case 'transfer':
          return transfer(deps, tx, at, caller, press.serviceId, press.window);
        case 'recycle':
          return onHeldLeg(tx, at, caller, { action: 'recycle', queue: [] });
        case 'recall':
        case 'start':
        case 'finish':
        case 'no-show':
        case 'suspend':
          return onHeldLeg(tx, at, caller, { action: press.action });
        case 'pause':
          return onWindow(tx, at, { action: 'pause', reason: press.reason, note: press.note });
        case 'resume':
        case 'evaluated':
          return onWindow(tx, at, { action: press.action });
        case 'close': {
          const acted = await onWindow(tx, at, { action: 'close' });
          if (acted.kind === 'done') await endCounterSessions(tx.trx, tx.hallId, at.window.number);
          return acted;
        }
      }
    },
  );
}

/** A press on the window alone: pause, resume, evaluated, close. */
async function onWindow(tx: PressTx, stored: StoredWindow, command: WindowCommand): Promise<Acted> {
  const move = applyWindowAction(stored.window, stored.status, command, { now: tx.now, settings: tx.settings });
  if (!move.ok) return refusedByWindow(stored, move);
  if (move.changes) {
    await saveWindowStatus(tx.trx, tx.hallId, stored, move.status, tx.now);
    tx.events.window(stored.window, move.status, null);
  }
  return { kind: 'done', window: { window: stored.window, status: move.status }, leg: null, from: null, created: null };
}

/** A press on the leg the window holds (called or being served). */
async function onHeldLeg(tx: PressTx, stored: StoredWindow, caller: CounterCaller, command: LegCommand): Promise<Acted> {
  const legId = stored.status.legId;
  if (legId === null) {
    // Nothing held: the window's table refuses (nothing called, paused, closed) — or finds the
    // effect already there (办结 pressed again after the first finished): nothing changes.
    const windowAction = windowActionOfLeg('called', command.action) ?? 'release';
    const move = applyWindowAction(stored.window, stored.status, windowCommandOf(windowAction, '-'), { now: tx.now, settings: tx.settings });
    if (!move.ok) return refusedByWindow(stored, move);
    if (move.changes) throw new Error(`window ${stored.window.number} would move on ${windowAction} while holding no leg`);
    return { kind: 'done', window: stored, leg: null, from: null, created: null };
  }
  return onLeg(tx, stored, caller, legId, command);
}

function windowCommandOf(action: NonNullable<ReturnType<typeof windowActionOfLeg>>, legId: string): WindowCommand {
  return action === 'call' ? { action: 'call', legId } : ({ action } as WindowCommand);
}

/** Moves one leg and the window with it, as the two tables allow; the window's lock is held. */
async function onLeg(tx: PressTx, stored: StoredWindow, caller: CounterCaller, legId: string, command: LegCommand): Promise<Acted> {
  const leg = await readLeg(tx.trx, tx.hallId, legId);
  if (!leg) throw new CallingError(404, 'not-found', `there is no leg ${legId}`);
  if (command.action === 'recycle') {
    command = { action: 'recycle', queue: await readWaitingLegs(tx.trx, tx.hallId, leg.businessDay, [leg.serviceId], leg.pinnedWindow) };
  }
  const legMove = applyLegAction(leg, command, legContext(tx, stored.window.number));
  if (!legMove.ok) return { kind: 'refused', refusal: legMove.refusal, reason: legMove.reason, window: stored, leg };
  const windowAction = windowActionOfLeg(leg.state, command.action);
  let status = stored.status;
  if (windowAction !== null) {
    const move = applyWindowAction(stored.window, stored.status, windowCommandOf(windowAction, leg.id), { now: tx.now, settings: tx.settings });
    if (!move.ok) return { ...refusedByWindow(stored, move), leg };
    status = move.status;
  }
  const called = command.action === 'call' || command.action === 'call-back';
  const moved: StoredLeg = { ...leg, ...legMove.leg, staffId: called ? caller.staffId : leg.staffId };
  // The window's lock is held, and every other writer of a held leg takes it first.
  if (!(await moveLeg(tx.trx, tx.hallId, leg.state, moved, tx.now))) throw new Error(`leg ${leg.id} moved under the lock of window ${stored.window.number}`);
  // A transfer's new leg: transfer() gives it its service's department and writes it.
  const created: StoredLeg | null = legMove.created && { ...legMove.created, departmentId: leg.departmentId, staffId: null };
  if (status !== stored.status) await saveWindowStatus(tx.trx, tx.hallId, stored, status, tx.now);
  recordLegEvents(tx, stored, status, leg, moved, command.action);
  return { kind: 'done', window: { window: stored.window, status }, leg: moved, from: leg.state, created };
}

function recordLegEvents(tx: PressTx, stored: StoredWindow, status: StoredWindow['status'], before: StoredLeg, moved: StoredLeg, action: LegAction): void {
  if (action === 'call' || action === 'call-back' || action === 'recall') tx.events.call(moved, stored.window, action, before.state);
  else tx.events.leg(moved, action, before.state);
  if (status !== stored.status && status.state !== stored.status.state) tx.events.window(stored.window, status, status.legId === moved.id ? moved.label : null);
}

/** 叫号: the next leg by the next rule that no other window took first. */
async function callNext(tx: PressTx, stored: StoredWindow, caller: CounterCaller): Promise<Acted> {
  const check = applyWindowAction(stored.window, stored.status, { action: 'call', legId: '-' }, { now: tx.now, settings: tx.settings });
  if (!check.ok) return refusedByWindow(stored, check);
  const { window } = stored;
  const services = profileServices(window.profile);
  const postgres = engineOf(tx.trx) === 'postgres';
  for (let round = 0; round < callRounds; round++) {
    // Every candidate was being called by another window: those commit within milliseconds.
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, 2 * round));
    let legs = await readWaitingLegs(tx.trx, tx.hallId, tx.today, services, window.number);
    const ranked: StoredLeg[] = [];
    while (ranked.length < callCandidates) {
      const choice = nextLeg({ window, legs, recentCalls: stored.recentCalls, settings: tx.settings, today: tx.today, now: tx.now });
      if (!choice) break;
      ranked.push(choice.leg as StoredLeg);
      legs = legs.filter((l) => l.id !== choice.leg.id);
    }
    if (ranked.length === 0) return { kind: 'refused', refusal: 'queue-empty', reason: queueEmpty, window: stored, leg: null };
    // On PostgreSQL other windows' transactions may hold some of these legs right now: the first
    // in rank order that none holds is locked, the others skipped rather than waited for. (SQLite's
    // write transaction excludes every other one.)
    let free: string | null = null;
    if (postgres) {
      const rank = sql<number>`case ${sql.ref('id')} ${sql.join(ranked.map((l, i) => sql`when ${l.id} then ${i}`), sql` `)} end`;
      const row = await tx.trx
        .selectFrom('ticket_legs')
        .select('id')
        .where('hall_id', '=', tx.hallId)
        .where('id', 'in', ranked.map((l) => l.id))
        .where('state', '=', 'waiting')
        .orderBy(rank)
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!row) continue;
      free = row.id;
    }
    for (const leg of ranked) {
      if (free !== null && leg.id !== free) continue;
      const legMove = applyLegAction(leg, { action: 'call' }, legContext(tx, window.number));
      if (!legMove.ok) continue;
      const moved: StoredLeg = { ...leg, ...legMove.leg, staffId: caller.staffId };
      if (!(await moveLeg(tx.trx, tx.hallId, 'waiting', moved, tx.now))) continue;
      const move = applyWindowAction(window, stored.status, { action: 'call', legId: leg.id }, { now: tx.now, settings: tx.settings });
      if (!move.ok) throw new Error(`window ${window.number} refused a call it allowed a moment ago: ${move.refusal}`);
      await saveWindowStatus(tx.trx, tx.hallId, stored, move.status, tx.now, { called: leg.priority });
      tx.events.call(moved, window, 'call', 'waiting');
      if (move.status.state !== stored.status.state) tx.events.window(window, move.status, moved.label);
      return { kind: 'done', window: { window, status: move.status }, leg: moved, from: 'waiting', created: null };
    }
  }
  throw new CallingError(503, 'overloaded', 'every waiting ticket was being called by another window; press 叫号 again');
}

/** 转移: the held leg ends here and a new waiting leg opens for the service (or one window). */
async function transfer(deps: CallingDeps, tx: PressTx, stored: StoredWindow, caller: CounterCaller, serviceId: string, toWindow: number | null): Promise<Acted> {
  const service = await deps.catalogs.service(serviceId, tx.trx);
  if (!service) throw new CallingError(400, 'invalid-body', `there is no service ${serviceId} in the published catalog`);
  if (toWindow !== null) {
    const target = await tx.trx.selectFrom('counter_windows').select('number').where('hall_id', '=', tx.hallId).where('number', '=', toWindow).executeTakeFirst();
    if (!target) throw new CallingError(400, 'invalid-body', `there is no window ${toWindow}`);
  }
  const acted = await onHeldLeg(tx, stored, caller, { action: 'transfer', to: { serviceId, window: toWindow }, newLegId: uuidv7({ msecs: tx.now }) });
  if (acted.kind !== 'done' || !acted.created) return acted;
  const created: StoredLeg = { ...acted.created, departmentId: service.departmentId };
  await tx.trx.insertInto('ticket_legs').values(rowOfLeg(tx.hallId, created, tx.now)).execute();
  tx.events.leg(created, 'transfer', null);
  return { ...acted, created };
}

/**
 * 签到: the staff member whose PIN was checked takes the window; the caller opens the session.
 * Returns the window afterwards, or why not.
 */
export async function signInAtWindow(deps: CallingDeps, caller: CounterCaller): Promise<PressOutcome> {
  let stored: StoredWindow | null = null;
  return runPress(
    deps,
    `sign-in-${uuidv7()}`,
    { window: caller.window, staffId: caller.staffId, admin: null, action: 'sign-in' },
    async (tx) => {
      stored = await lockWindow(tx.trx, tx.hallId, caller.window);
      if (!stored) throw new CallingError(404, 'not-found', `there is no window ${caller.window}`);
    },
    async (tx) => {
      const at = stored!;
      const move = applyWindowAction(at.window, at.status, { action: 'sign-in', staffId: caller.staffId }, { now: tx.now, settings: tx.settings });
      if (!move.ok) return refusedByWindow(at, move);
      if (move.changes) {
        await saveWindowStatus(tx.trx, tx.hallId, at, move.status, tx.now, { freshDay: at.status.state === 'closed' });
        tx.events.window(at.window, move.status, null);
      }
      return { kind: 'done', window: { window: at.window, status: move.status }, leg: null, from: null, created: null };
    },
  );
}

/** An administrator's action on a leg from outside any window: 恢复 a no-show, 作废, 过号重排 (audited). */
export async function pressOnLeg(deps: CallingDeps, admin: string, legId: string, press: AdminLegPress): Promise<PressOutcome> {
  let holder: StoredWindow | null = null;
  return runPress(
    deps,
    press.idempotencyKey,
    { window: null, staffId: null, admin, action: press.action },
    async (tx) => {
      // A leg a window holds moves with that window: take its lock first, as the window's presses do.
      const leg = await readLeg(tx.trx, tx.hallId, legId);
      if (!leg) throw new CallingError(404, 'not-found', `there is no leg ${legId}`);
      const window = holdingWindow(leg);
      holder = window !== null ? await lockWindow(tx.trx, tx.hallId, window) : null;
    },
    async (tx) => {
      const leg = await readLeg(tx.trx, tx.hallId, legId);
      // Called by a window between the first read and the lock: start over with that window's lock.
      if (!leg || holdingWindow(leg) !== (holder?.window.number ?? null)) throw new RetryPress();
      const command: LegCommand = press.action === 'recycle'
        ? { action: 'recycle', queue: await readWaitingLegs(tx.trx, tx.hallId, leg.businessDay, [leg.serviceId], leg.pinnedWindow) }
        : { action: press.action };
      const legMove = applyLegAction(leg, command, legContext(tx, null));
      if (!legMove.ok) return { kind: 'refused', refusal: legMove.refusal, reason: legMove.reason, window: null, leg };
      const at = holder;
      const windowAction = windowActionOfLeg(leg.state, press.action);
      let status = at?.status ?? null;
      if (at && windowAction !== null && at.status.legId === leg.id) {
        const move = applyWindowAction(at.window, at.status, windowCommandOf(windowAction, leg.id), { now: tx.now, settings: tx.settings });
        if (!move.ok) return { ...refusedByWindow(at, move), leg };
        status = move.status;
      }
      const moved: StoredLeg = { ...leg, ...legMove.leg };
      // A waiting leg holds no window: one may call it between the read and this write.
      if (legMove.changes && !(await moveLeg(tx.trx, tx.hallId, leg.state, moved, tx.now))) throw new RetryPress();
      if (at && status && status !== at.status) {
        await saveWindowStatus(tx.trx, tx.hallId, at, status, tx.now);
        tx.events.window(at.window, status, null);
      }
      if (legMove.changes) tx.events.leg(moved, press.action, leg.state);
      return { kind: 'done', window: at && status ? { window: at.window, status } : null, leg: moved, from: leg.state, created: null };
    },
  );
}
