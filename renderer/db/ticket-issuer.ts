import { v7 as uuidv7 } from 'uuid';
import type { BusinessDay } from '../../core/business-day.ts';
import { businessDayOf } from '../../core/business-day.ts';
import type { ServiceItem } from '../../core/catalog.ts';
import type { Clock } from '../../core/clock.ts';
import type { NumberReserve } from '../../core/number-reserve.ts';
import { takeNumber } from '../../core/number-reserve.ts';
import type { PrintResult } from '../../core/printing.ts';
import type { PriorityClass, Ticket } from '../../core/ticket.ts';
import { countsAsIssued, ticketLabel } from '../../core/ticket.ts';
import type { HallKioskDb } from './hall-kiosk-db.ts';
import { appendOutbox } from './outbox.ts';

export type IssueResult =
  | { ok: true; ticket: Ticket }
  | { ok: false; reason: 'quota-reached' | 'reserve-exhausted' };

export interface TicketIssuerOptions {
  db: HallKioskDb;
  clock: Clock;
  kioskId: string;
  /** the hall's IANA zone: the business day is its local date, whatever the machine's zone */
  timeZone: string;
}

/** Marks a ticket whose print never reported back because the kiosk stopped mid-way. */
export const interruptedPrintError = 'interrupted';

export class TicketStateError extends Error {
  override readonly name = 'TicketStateError';
}

/**
 * Issues queue tickets. Every change to a ticket is written together with its number reserve and
 * its outbox event in one transaction, so a crash leaves either all of them or none.
 */
export class TicketIssuer {
  private readonly db: HallKioskDb;
  private readonly clock: Clock;
  private readonly kioskId: string;
  private readonly timeZone: string;
  /** tickets this instance is printing right now, which recovery must leave alone */
  private readonly printing = new Set<string>();

  constructor(options: TicketIssuerOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.kioskId = options.kioskId;
    this.timeZone = options.timeZone;
  }

  today(): BusinessDay {
    return businessDayOf(this.clock.now(), this.timeZone);
  }

  async issue(service: ServiceItem, priority: PriorityClass): Promise<IssueResult> {
    const { db } = this;
    let issuedId: string | undefined;
    try {
      return await db.transaction('rw', [db.tickets, db.reserves, db.outbox, db.meta], async (): Promise<IssueResult> => {
        const now = this.clock.now();
        const businessDay = businessDayOf(now, this.timeZone);
        const reserve = await this.reserveFor(service, businessDay, now);
        const take = takeNumber(reserve, service.dailyQuota);
        if (!take.ok) return take;
        const ticket: Ticket = {
          id: this.newId(now),
          kioskId: this.kioskId,
          serviceId: service.id,
          departmentId: service.departmentId,
          businessDay,
          sequence: take.sequence,
          label: ticketLabel(service.prefix, take.sequence),
          priority,
          issuedAt: now,
          state: 'printing',
          printAttempts: 0,
        };
        // Claimed before commit so a concurrent recovery can never see it as stranded.
        issuedId = ticket.id;
        this.printing.add(ticket.id);
        await db.tickets.add(ticket);
        await db.reserves.put(take.reserve);
        await this.record({ type: 'ticket.issued', ticket }, now);
        return { ok: true, ticket };
      });
    } catch (error) {
      if (issuedId) this.printing.delete(issuedId);
      throw error;
    }
  }

  /** Record what the printer said about a ticket's (re)print. Only a confirmed print issues it. */
  async recordPrint(ticketId: string, result: PrintResult): Promise<Ticket> {
    const { db } = this;
    try {
      return await db.transaction('rw', [db.tickets, db.outbox, db.meta], async () => {
        const now = this.clock.now();
        const ticket = await this.ticketToPrint(ticketId);
        const printAttempts = ticket.printAttempts + 1;
        if (result.outcome === 'printed') {
          const printed: Ticket = { ...ticket, state: 'issued', printAttempts };
          delete printed.lastPrintError;
          await db.tickets.put(printed);
          await this.record({ type: 'ticket.printed', ticketId, printAttempts }, now);
          return printed;
        }
        const lastPrintError = result.detail ? `${result.outcome}: ${result.detail}` : result.outcome;
        const failed: Ticket = { ...ticket, state: 'unprinted', printAttempts, lastPrintError };
        await db.tickets.put(failed);
        await this.record(
          { type: 'ticket.print-failed', ticketId, outcome: result.outcome, printAttempts, ...(result.detail ? { detail: result.detail } : {}) },
          now,
        );
        return failed;
      });
    } finally {
      this.printing.delete(ticketId);
    }
  }

  /** Staff start a reprint; recovery must not mistake it for an interrupted print meanwhile. */
  beginReprint(ticketId: string): void {
    this.printing.add(ticketId);
  }

  async void(ticketId: string, reason: string): Promise<Ticket> {
    const { db } = this;
    return db.transaction('rw', [db.tickets, db.outbox, db.meta], async () => {
      const now = this.clock.now();
      const ticket = await db.tickets.get(ticketId);
      if (!ticket) throw new TicketStateError(`no ticket ${ticketId}`);
      if (ticket.state === 'voided') return ticket;
      const voided: Ticket = { ...ticket, state: 'voided' };
      await db.tickets.put(voided);
      await this.record({ type: 'ticket.voided', ticketId, reason }, now);
      return voided;
    });
  }

  /**
   * Run at start-up: a ticket still 'printing' was recorded but the kiosk stopped before the
   * printer answered. It may or may not be on paper, so staff must see it as unprinted.
   */
  async recoverInterrupted(): Promise<Ticket[]> {
    const { db } = this;
    return db.transaction('rw', [db.tickets, db.outbox, db.meta], async () => {
      const now = this.clock.now();
      const stranded = (await db.tickets.where('state').equals('printing').toArray()).filter((t) => !this.printing.has(t.id));
      const recovered: Ticket[] = [];
      for (const ticket of stranded) {
        const printAttempts = ticket.printAttempts + 1;
        const unprinted: Ticket = { ...ticket, state: 'unprinted', printAttempts, lastPrintError: interruptedPrintError };
        await db.tickets.put(unprinted);
        await this.record({ type: 'ticket.print-failed', ticketId: ticket.id, outcome: 'interrupted', printAttempts }, now);
        recovered.push(unprinted);
      }
      return recovered;
    });
  }

  /** Today's tickets (hall's day) that staff must reprint or void, oldest first. */
  async unprintedToday(): Promise<Ticket[]> {
    const tickets = await this.db.tickets.where('businessDay').equals(this.today()).filter((t) => t.state === 'unprinted').toArray();
    return tickets.sort((a, b) => a.issuedAt - b.issuedAt);
  }

  async issuedCount(serviceId: string, day: BusinessDay): Promise<number> {
    return this.db.tickets.where('[serviceId+businessDay]').equals([serviceId, day]).filter(countsAsIssued).count();
  }

  async ticket(ticketId: string): Promise<Ticket | undefined> {
    return this.db.tickets.get(ticketId);
  }

  /**
   * The reserve to take from. A reserve leased from the server is used as given; only when the
   * kiosk has none at all for the service and day does it make a local one covering the quota.
   */
  private async reserveFor(service: ServiceItem, businessDay: BusinessDay, now: number): Promise<NumberReserve> {
    const reserves = await this.db.reserves.where('[serviceId+businessDay]').equals([service.id, businessDay]).toArray();
    reserves.sort((a, b) => a.next - b.next);
    const open = reserves.find((r) => r.next <= r.last);
    if (open) return open;
    const spent = reserves.at(-1);
    if (spent) return spent;
    return { id: this.newId(now), serviceId: service.id, businessDay, next: 1, last: service.dailyQuota };
  }

  private async ticketToPrint(ticketId: string): Promise<Ticket> {
    const ticket = await this.db.tickets.get(ticketId);
    if (!ticket) throw new TicketStateError(`no ticket ${ticketId}`);
    if (ticket.state !== 'printing' && ticket.state !== 'unprinted') {
      throw new TicketStateError(`ticket ${ticket.label} is ${ticket.state}: only a ticket being printed or unprinted can record a print`);
    }
    return ticket;
  }

  private async record(event: Parameters<typeof appendOutbox>[1], at: number): Promise<void> {
    await appendOutbox(this.db, event, { id: this.newId(at), kioskId: this.kioskId, at });
  }

  private newId(at: number): string {
    return uuidv7({ msecs: at });
  }
}
