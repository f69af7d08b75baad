import type { Kysely } from 'kysely';
import type { SyncEventType, SyncPayload } from '../../core/sync/events.ts';
import { syncPayloadSchemas } from '../../core/sync/events.ts';
import { correctedTime } from '../../core/sync/clock-offset.ts';
import { isTicketState, type TicketState } from '../../core/ticket/ticket.ts';
import { moveTicket, type TicketAction } from '../../core/ticket/lifecycle.ts';
import type { PushResult } from '../../core/sync/push.ts';
import { recordCheckin, type AttendanceRules } from '../attendance/checkins.ts';
import type { Database, TicketsTable } from '../db/schema.ts';
import { recordDisclosureSlip } from './disclosure-slips.ts';
import { countOfflineTickets } from '../numbering/numbering.ts';
import { originsOf } from './ticket-numbers.ts';
import { liveTokenHash } from '../live/live-token-hash.ts';

/** The event can never apply, whatever is retried: it goes to the dead letters. */
export class UnappliableEvent extends Error {
  override readonly name = 'UnappliableEvent';
}

export interface EventContext {
  trx: Kysely<Database>;
  deviceId: string;
  hallId: string;
  /** server − device clock for this event */
  clockOffsetMs: number;
  /** device clock when the event happened (the event's `at`) */
  eventAt: number;
  now: number;
  /** whether any catalog version ever had the service; memoized by the caller per push */
  serviceKnown(serviceId: string): Promise<boolean>;
  /** the prefixes the service had (CatalogStore.prefixesOf); memoized by the caller per push */
  prefixesOf(serviceId: string): Promise<readonly string[]>;
  /** the hall's time zone: a pushed ticket's business day is judged by it */
  timeZone: string;
  /** read before the push's transactions when it holds a check-in; null otherwise */
  attendance: AttendanceRules | null;
}

/** What applying an event tells the device besides its status. */
export type EventEffect = Pick<PushResult, 'checkin'>;

type Handler<T extends SyncEventType> = (ctx: EventContext, payload: SyncPayload<T>) => Promise<EventEffect | void>;

const handlers: { [T in SyncEventType]: Handler<T> } = {
  async 'ticket.issued'(ctx, { ticket }) {
    const { trx } = ctx;
    if (!(await ctx.serviceKnown(ticket.serviceId))) throw new UnappliableEvent(`service "${ticket.serviceId}" is in no catalog this server ever had`);
    const origin = (await originsOf(trx, ctx, [ticket])).get(ticket.id)!;
    if (!origin.ok) throw new UnappliableEvent(origin.reason);
    const row: TicketsTable = {
      id: ticket.id,
      device_id: ctx.deviceId,
      hall_id: ctx.hallId,
      service_id: ticket.serviceId,
      department_id: ticket.departmentId,
      business_day: ticket.businessDay,
      sequence: ticket.sequence,
      label: ticket.label,
      priority: ticket.priority,
      issued_at: ticket.issuedAt,
      clock_offset_ms: ctx.clockOffsetMs,
      corrected_issued_at: correctedTime(ticket.issuedAt, ctx.clockOffsetMs),
      state: ticket.state,
      print_attempts: ticket.printAttempts,
      last_print_error: ticket.lastPrintError ?? null,
      void_reason: null,
      reprint_count: 0,
      last_reprinted_at: null,
      received_at: ctx.now,
      updated_at: ctx.now,
      live_token_hash: ticket.liveToken ? liveTokenHash(ticket.liveToken) : null,
      language: ticket.language ?? null,
    };
    // The unique indexes decide, race-free; only a refused insert pays for explaining itself.
    const inserted = await trx.insertInto('tickets').values(row).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
    if (!inserted) throw new UnappliableEvent(await describeClash(ctx, ticket));
    if (origin.offline) await countOfflineTickets(trx, ctx.hallId, new Map([['', { serviceId: ticket.serviceId, day: ticket.businessDay, tickets: 1 }]]));
  },

  async 'ticket.printed'(ctx, payload) {
    const { to } = await ownTicket(ctx, payload.ticketId, 'print-confirmed');
    await ctx.trx
      .updateTable('tickets')
      .set({ state: to, print_attempts: payload.printAttempts, last_print_error: null, updated_at: ctx.now })
      .where('id', '=', payload.ticketId)
      .execute();
  },

  async 'ticket.print-failed'(ctx, payload) {
    const { to } = await ownTicket(ctx, payload.ticketId, 'print-failed');
    await ctx.trx
      .updateTable('tickets')
      .set({
        state: to,
        print_attempts: payload.printAttempts,
        last_print_error: payload.detail ? `${payload.outcome}: ${payload.detail}` : payload.outcome,
        updated_at: ctx.now,
      })
      .where('id', '=', payload.ticketId)
      .execute();
  },

  async 'ticket.voided'(ctx, payload) {
    const { to, changes } = await ownTicket(ctx, payload.ticketId, 'void');
    if (!changes) return;
    await ctx.trx.updateTable('tickets').set({ state: to, void_reason: payload.reason, updated_at: ctx.now }).where('id', '=', payload.ticketId).execute();
  },

  async 'ticket.held-electronically'(ctx, payload) {
    const { to, changes } = await ownTicket(ctx, payload.ticketId, 'hold-electronic');
    if (!changes) return;
    // Issued without paper: the push's ticketsChanged hook gives it its waiting leg (server/calling/ticket-legs.ts).
    await ctx.trx.updateTable('tickets').set({ state: to, last_print_error: null, updated_at: ctx.now }).where('id', '=', payload.ticketId).execute();
  },

  async 'ticket.reprinted'(ctx, payload) {
    const ticket = await ownTicket(ctx, payload.ticketId, 'reprint');
    // Every print of a ticket raises its attempts by one, so a reprint at or below the stored count
    // is one already counted (the same reprint sent again): nothing changes.
    if (payload.printAttempts <= ticket.print_attempts) return;
    await ctx.trx
      .updateTable('tickets')
      .set((eb) => ({
        reprint_count: eb('reprint_count', '+', 1),
        last_reprinted_at: correctedTime(ctx.eventAt, ctx.clockOffsetMs),
        print_attempts: payload.printAttempts,
        updated_at: ctx.now,
      }))
      .where('id', '=', payload.ticketId)
      .execute();
  },

  async 'checkin.recorded'(ctx, payload) {
    if (!ctx.attendance) throw new Error('a push with a check-in must read the attendance rules before applying it');
    const recorded = await recordCheckin({ ...ctx, attendance: ctx.attendance }, payload);
    if (!recorded.ok) throw new UnappliableEvent(recorded.refusal);
    return { checkin: recorded.settled };
  },

  async 'disclosure.printed'(ctx, payload) {
    const refusal = await recordDisclosureSlip(ctx, payload);
    if (refusal) throw new UnappliableEvent(refusal);
  },
};

async function describeClash(ctx: EventContext, ticket: SyncPayload<'ticket.issued'>['ticket']): Promise<string> {
  const same = await ctx.trx.selectFrom('tickets').select('device_id').where('id', '=', ticket.id).executeTakeFirst();
  if (same) return `ticket ${ticket.id} already exists${same.device_id === ctx.deviceId ? '' : ' (from another device)'}`;
  const holder = await ctx.trx
    .selectFrom('tickets')
    .select(['id', 'label'])
    .where('hall_id', '=', ctx.hallId)
    .where('business_day', '=', ticket.businessDay)
    .where((eb) => eb.or([eb.and([eb('service_id', '=', ticket.serviceId), eb('sequence', '=', ticket.sequence)]), eb('label', '=', ticket.label)]))
    .executeTakeFirst();
  return holder
    ? `number ${ticket.label} of ${ticket.businessDay} is already held by ticket ${holder.id} (${holder.label}): a duplicate number`
    : `ticket ${ticket.label} collides with a stored ticket`;
}

/** This device's ticket, and where `action` takes it by the lifecycle (core/ticket/lifecycle.ts); refused: unappliable. */
async function ownTicket(ctx: EventContext, ticketId: string, action: TicketAction): Promise<{ label: string; print_attempts: number; to: TicketState; changes: boolean }> {
  const ticket = await ctx.trx.selectFrom('tickets').select(['device_id', 'state', 'label', 'print_attempts']).where('id', '=', ticketId).executeTakeFirst();
  if (!ticket) throw new UnappliableEvent(`unknown ticket ${ticketId} (its ticket.issued event never applied)`);
  if (ticket.device_id !== ctx.deviceId) throw new UnappliableEvent(`ticket ${ticket.label} belongs to another device`);
  if (!isTicketState(ticket.state)) throw new UnappliableEvent(`ticket ${ticket.label} is ${ticket.state}, a state this server does not know`);
  const move = moveTicket({ label: ticket.label, state: ticket.state }, action);
  if (!move.ok) throw new UnappliableEvent(move.reason);
  return { label: ticket.label, print_attempts: ticket.print_attempts, to: move.to, changes: move.changes };
}

/** Applies one event's effects inside the caller's transaction, or throws UnappliableEvent. */
export async function applyEventEffects(ctx: EventContext, type: string, payload: unknown): Promise<EventEffect | void> {
  if (!Object.hasOwn(handlers, type)) throw new UnappliableEvent(`unknown event type "${type}"`);
  const known = type as SyncEventType;
  // The request was validated already; parsing again gives the handler its exact type.
  const parsed = syncPayloadSchemas[known].safeParse(payload);
  if (!parsed.success) throw new UnappliableEvent(`invalid ${known} payload`);
  return (handlers[known] as Handler<SyncEventType>)(ctx, parsed.data as SyncPayload<SyncEventType>);
}
