import type { Kysely } from 'kysely';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { addDays } from '../../core/calendar/calendar-day.ts';
import type { Ticket } from '../../core/ticket/ticket.ts';
import { ticketLabel } from '../../core/ticket/ticket.ts';
import type { Database } from '../db/schema.ts';

/**
 * Where a pushed ticket's number came from. A device is trusted only for the numbers the hall
 * gave it: a pushed ticket is stored only if its number is in that device's own lease for that
 * day (`offline`: it counts against the quota as it arrives) or was handed to that device by /next
 * (`online`: counted when it was handed out), or lies in a range a restore skipped (the server lost
 * whom it went to; `offline`). Its label must be the service's prefix and its number, and its
 * business day no later than the hall's tomorrow (a kiosk's clock may run a little ahead). Anything
 * else is refused with the reason, before any row or counter changes: a device cannot take another
 * kiosk's number, fill the quota with one push, or issue for a day the hall never opens.
 */
export type NumberOrigin = { ok: true; offline: boolean } | { ok: false; reason: string };

export interface NumberCheckContext {
  hallId: string;
  deviceId: string;
  /** the hall's zone and the server's now: what "today" means */
  timeZone: string;
  now: number;
  /** the prefixes the service had (CatalogStore.prefixesOf); empty for an unknown service */
  prefixesOf(serviceId: string): Promise<readonly string[]>;
}

type PushedTicket = Pick<Ticket, 'id' | 'serviceId' | 'businessDay' | 'sequence' | 'label'>;

/** Every ticket of `tickets` checked with three reads, whatever their number. */
export async function originsOf(trx: Kysely<Database>, ctx: NumberCheckContext, tickets: readonly PushedTicket[]): Promise<Map<string, NumberOrigin>> {
  const out = new Map<string, NumberOrigin>();
  const lastDay = addDays(businessDayOf(ctx.now, ctx.timeZone), 1);
  const plausible: PushedTicket[] = [];
  for (const t of tickets) {
    const prefixes = await ctx.prefixesOf(t.serviceId);
    if (!prefixes.some((p) => ticketLabel(p, t.sequence) === t.label)) {
      const expected = prefixes.length ? ticketLabel(prefixes[0]!, t.sequence) : 'none: the service is in no catalog';
      out.set(t.id, { ok: false, reason: `label ${t.label} is not number ${t.sequence} of ${t.serviceId} (expected ${expected})` });
    } else if (t.businessDay > lastDay) {
      out.set(t.id, { ok: false, reason: `business day ${t.businessDay} of ${t.label} is after the hall's tomorrow (${lastDay})` });
    } else plausible.push(t);
  }
  if (!plausible.length) return out;
  const days = [...new Set(plausible.map((t) => t.businessDay))];
  const [leases, online, gaps] = await Promise.all([
    trx.selectFrom('number_leases').select(['service_id', 'business_day', 'first_number', 'last_number']).where('device_id', '=', ctx.deviceId).where('hall_id', '=', ctx.hallId).where('business_day', 'in', days).execute(),
    trx
      .selectFrom('online_numbers')
      .select(['service_id', 'business_day', 'sequence', 'device_id'])
      .where('hall_id', '=', ctx.hallId)
      .where('business_day', 'in', days)
      .where('sequence', 'in', [...new Set(plausible.map((t) => t.sequence))])
      .execute(),
    trx.selectFrom('number_gaps').select(['service_id', 'business_day', 'first_number', 'last_number']).where('hall_id', '=', ctx.hallId).where('business_day', 'in', days).execute(),
  ]);
  const within = (t: PushedTicket) => (r: { service_id: string; business_day: string; first_number: number; last_number: number }) =>
    r.service_id === t.serviceId && r.business_day === t.businessDay && Number(r.first_number) <= t.sequence && t.sequence <= Number(r.last_number);
  for (const t of plausible) {
    const given = online.find((r) => r.service_id === t.serviceId && r.business_day === t.businessDay && Number(r.sequence) === t.sequence);
    if (given?.device_id === ctx.deviceId) out.set(t.id, { ok: true, offline: false });
    else if (leases.some(within(t))) out.set(t.id, { ok: true, offline: true });
    else if (!given && gaps.some(within(t))) out.set(t.id, { ok: true, offline: true });
    else out.set(t.id, { ok: false, reason: refusal(t, given !== undefined) });
  }
  return out;
}

function refusal(t: PushedTicket, givenToAnother: boolean): string {
  const day: BusinessDay = t.businessDay;
  return givenToAnother
    ? `number ${t.label} of ${day} was handed out online to another device, not this one`
    : `number ${t.label} of ${day} is neither in a lease of this device nor was it handed to this device by /next`;
}
