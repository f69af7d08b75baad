import type { Kysely } from 'kysely';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { applyLegAction } from '../../core/queue/leg-actions.ts';
import { finalLegStates, waitingLeg } from '../../core/queue/leg.ts';
import { applyWindowAction, windowActionOfLeg } from '../../core/queue/window.ts';
import type { PriorityClass } from '../../core/ticket/ticket.ts';
import type { Database } from '../db/schema.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { CallingEvents } from './calling-events.ts';
import { readCallingSettings } from './calling-settings-store.ts';
import type { StoredLeg } from './leg-rows.ts';
import { holdingWindow, legOfRow, moveLeg, readLeg, rowOfLeg } from './leg-rows.ts';
import type { StoredWindow } from './window-rows.ts';
import { lockWindow, saveWindowStatus } from './window-rows.ts';

/**
 * The queue learns of tickets from the kiosks' pushes: inside the push's transaction, after the
 * tickets' rows are written, each ticket touched gets the legs its state calls for.
 *  - issued (printed): a waiting leg, ordered by the ticket's corrected issue time, so a ticket
 *    pushed late from an offline kiosk takes its place among those issued before and after it;
 *  - voided: its legs still open are voided (a leg being served is served to its end), and a
 *    window holding one is released;
 *  - printing or unprinted: nothing — nobody holds that ticket, so nothing can call it.
 * Idempotent: the first leg's id is the ticket's, so a ticket already queued is not queued again.
 */
export async function reconcileTicketLegs(trx: Kysely<Database>, ticketIds: readonly string[], now: number): Promise<void> {
  if (ticketIds.length === 0) return;
  const tickets = await trx
    .selectFrom('tickets')
    .select(['id', 'hall_id', 'state', 'service_id', 'department_id', 'business_day', 'label', 'priority', 'corrected_issued_at'])
    .where('id', 'in', [...ticketIds])
    .where('state', 'in', ['issued', 'voided'])
    .execute();
  if (tickets.length === 0) return;
  const hall = await readHallState(trx);
  const hallId = hall.hallId;
  const legs = await trx
    .selectFrom('ticket_legs')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('ticket_id', 'in', tickets.map((t) => t.id))
    .execute();
  const legsOf = new Map<string, StoredLeg[]>();
  for (const row of legs) legsOf.set(row.ticket_id, [...(legsOf.get(row.ticket_id) ?? []), legOfRow(row)]);

  const events = new CallingEvents(now);
  const fresh: StoredLeg[] = [];
  const toVoid: StoredLeg[] = [];
  for (const t of tickets) {
    const own = legsOf.get(t.id) ?? [];
    if (t.state === 'issued' && own.length === 0) {
      fresh.push({
        ...waitingLeg({ id: t.id, ticketId: t.id, label: t.label, serviceId: t.service_id, priority: t.priority as PriorityClass, businessDay: t.business_day, issuedAt: Number(t.corrected_issued_at) }),
        departmentId: t.department_id,
        staffId: null,
      });
    } else if (t.state === 'voided') {
      toVoid.push(...own.filter((l) => !(finalLegStates as readonly string[]).includes(l.state)));
    }
  }
  if (fresh.length === 0 && toVoid.length === 0) return;

  if (fresh.length) {
    const inserted = await trx
      .insertInto('ticket_legs')
      .values(fresh.map((l) => rowOfLeg(hallId, l, now)))
      .onConflict((oc) => oc.columns(['hall_id', 'id']).doNothing())
      .returning('id')
      .execute();
    const stored = new Set(inserted.map((r) => r.id));
    for (const leg of fresh) if (stored.has(leg.id)) events.leg(leg, 'issued', null);
  }

  const settings = await readCallingSettings(trx, hallId);
  const today = businessDayOf(now, hall.timeZone);
  // Windows before legs, in number order, as every press locks them: no two transactions wait on each other.
  for (const stale of toVoid.sort((a, b) => (a.window ?? 0) - (b.window ?? 0))) {
    // A waiting leg holds no window's lock: one may call it between the read and the write, and
    // then it is read again with that window locked.
    for (let attempt = 0; attempt < 5; attempt++) {
      const locked = await lockedWithItsWindow(trx, hallId, stale.id);
      if (!locked) break;
      const { leg, held } = locked;
      const move = applyLegAction(leg, { action: 'void' }, { now, today, window: null, settings });
      if (!move.ok || !move.changes) break;
      const voided: StoredLeg = { ...leg, ...move.leg };
      if (!(await moveLeg(trx, hallId, leg.state, voided, now))) continue;
      events.leg(voided, 'void', leg.state);
      if (held && held.status.legId === leg.id && windowActionOfLeg(leg.state, 'void') !== null) {
        const released = applyWindowAction(held.window, held.status, { action: 'release' }, { now, settings });
        if (released.ok && released.changes) {
          await saveWindowStatus(trx, hallId, held, released.status, now);
          events.window(held.window, released.status, null);
        }
      }
      break;
    }
  }
  if (events.size) await events.write(trx, hallId, today, settings);
}

/**
 * The leg as it is once the window holding it (if any) is locked: a window's press may have moved
 * it since it was read, so it is read again under the lock until the holder it names is the one
 * locked. Null when the leg is gone.
 */
async function lockedWithItsWindow(trx: Kysely<Database>, hallId: string, legId: string): Promise<{ leg: StoredLeg; held: StoredWindow | null } | null> {
  let leg = await readLeg(trx, hallId, legId);
  for (let attempt = 0; leg && attempt < 5; attempt++) {
    const window = holdingWindow(leg);
    const held = window === null ? null : await lockWindow(trx, hallId, window);
    const again = await readLeg(trx, hallId, legId);
    if (!again || holdingWindow(again) === window) return again && { leg: again, held };
    leg = again;
  }
  throw new Error(`leg ${legId} kept moving between windows`);
}
