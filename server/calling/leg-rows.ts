import type { Kysely, Selectable } from 'kysely';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import type { Leg, LegState } from '../../core/queue/leg.ts';
import type { PriorityClass } from '../../core/ticket/ticket.ts';
import type { Database, TicketLegsTable } from '../db/schema.ts';

/** A leg as the server keeps it: the core leg, and what the audit needs besides. */
export interface StoredLeg extends Leg {
  departmentId: string;
  /** who last called it */
  staffId: string | null;
}

export function legOfRow(row: Selectable<TicketLegsTable>): StoredLeg {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    parentLegId: row.parent_leg_id,
    label: row.label,
    serviceId: row.service_id,
    priority: row.priority as PriorityClass,
    businessDay: row.business_day,
    issuedAt: Number(row.issued_at),
    order: { at: Number(row.order_at), tie: JSON.parse(row.order_tie) as string[] },
    state: row.state as LegState,
    pinnedWindow: row.pinned_window,
    window: row.window_number,
    calls: row.calls,
    firstCalledAt: row.first_called_at === null ? null : Number(row.first_called_at),
    lastCalledAt: row.last_called_at === null ? null : Number(row.last_called_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    recycled: row.recycled === 1,
    departmentId: row.department_id,
    staffId: row.staff_id,
  };
}

/** The window holding a leg (called, being served or suspended there), whose lock every move of it takes first. */
export function holdingWindow(leg: Pick<StoredLeg, 'state' | 'window'>): number | null {
  return leg.state === 'called' || leg.state === 'serving' || leg.state === 'suspended' ? leg.window : null;
}

/** The columns a leg's move changes. */
function changedColumns(leg: StoredLeg, now: number) {
  return {
    order_at: leg.order.at,
    order_tie: JSON.stringify(leg.order.tie),
    state: leg.state,
    window_number: leg.window,
    staff_id: leg.staffId,
    calls: leg.calls,
    first_called_at: leg.firstCalledAt,
    last_called_at: leg.lastCalledAt,
    started_at: leg.startedAt,
    ended_at: leg.endedAt,
    recycled: leg.recycled ? 1 : 0,
    updated_at: now,
  };
}

export function rowOfLeg(hallId: string, leg: StoredLeg, now: number): TicketLegsTable {
  return {
    hall_id: hallId,
    id: leg.id,
    ticket_id: leg.ticketId,
    parent_leg_id: leg.parentLegId,
    department_id: leg.departmentId,
    service_id: leg.serviceId,
    business_day: leg.businessDay,
    label: leg.label,
    priority: leg.priority,
    issued_at: leg.issuedAt,
    pinned_window: leg.pinnedWindow,
    created_at: now,
    ...changedColumns(leg, now),
  };
}

/**
 * Writes a leg's move if the leg is still in `from` (compare and set): false when another
 * transaction moved it first, and nothing was written.
 */
export async function moveLeg(trx: Kysely<Database>, hallId: string, from: LegState, leg: StoredLeg, now: number): Promise<boolean> {
  const result = await trx
    .updateTable('ticket_legs')
    .set(changedColumns(leg, now))
    .where('hall_id', '=', hallId)
    .where('id', '=', leg.id)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function readLeg(db: Kysely<Database>, hallId: string, legId: string): Promise<StoredLeg | null> {
  const row = await db.selectFrom('ticket_legs').selectAll().where('hall_id', '=', hallId).where('id', '=', legId).executeTakeFirst();
  return row ? legOfRow(row) : null;
}

/** The day's waiting legs of some services, and those pinned to `pinnedWindow` (a transfer to it). */
export async function readWaitingLegs(db: Kysely<Database>, hallId: string, day: BusinessDay, serviceIds: readonly string[], pinnedWindow: number | null = null): Promise<StoredLeg[]> {
  if (serviceIds.length === 0 && pinnedWindow === null) return [];
  const rows = await db
    .selectFrom('ticket_legs')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('business_day', '=', day)
    .where('state', '=', 'waiting')
    .where((eb) => {
      const anyOf = [];
      if (serviceIds.length) anyOf.push(eb('service_id', 'in', [...serviceIds]));
      if (pinnedWindow !== null) anyOf.push(eb('pinned_window', '=', pinnedWindow));
      return eb.or(anyOf);
    })
    .execute();
  return rows.map(legOfRow);
}

/** Every leg of the day in `states`, for the recycle rule and the window's lists. */
export async function readDayLegs(db: Kysely<Database>, hallId: string, day: BusinessDay, states: readonly LegState[]): Promise<StoredLeg[]> {
  const rows = await db
    .selectFrom('ticket_legs')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('business_day', '=', day)
    .where('state', 'in', [...states])
    .execute();
  return rows.map(legOfRow);
}
