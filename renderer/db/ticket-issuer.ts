import { v7 as uuidv7 } from 'uuid';
import { liveTokenBytes, liveTokenOf } from '../../core/ticket/live-ticket.ts';
import type { Language } from '../../core/text/localized.ts';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { ServiceItem } from '../../core/catalog/catalog.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import { dayQuotaOf } from '../../core/numbering/day-quota.ts';
import type { NumberReserve } from '../../core/numbering/number-reserve.ts';
import { takeNumber } from '../../core/numbering/number-reserve.ts';
import type { PrintResult } from '../../core/printing/printing.ts';
import type { ServiceClosed } from '../../core/calendar/hall-calendar.ts';
import { correctedTime } from '../../core/sync/clock-offset.ts';
import type { PriorityClass, Ticket } from '../../core/ticket/ticket.ts';
import { countsAsIssued, isReprintOutcome, ticketLabel, ticketNumberKey } from '../../core/ticket/ticket.ts';
import type { ReprintRefusal, TicketAction } from '../../core/ticket/lifecycle.ts';
import { moveTicket, reprintRefusal } from '../../core/ticket/lifecycle.ts';
import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';
import type { HallKioskDb, StoredReserve } from './hall-kiosk-db.ts';
import { appendOutbox } from './outbox.ts';
import { zoneReader, type HallZone } from '../hall-time.ts';

/** Why the hall calendar issues no number now, as core/calendar/hall-calendar.ts says it: shown as the kiosk's own decision is. */

export type IssueResult =
  | { ok: true; ticket: Ticket }
  /** reserve-exhausted: offline, and no leased number left for the service */
  | { ok: false; reason: 'quota-reached' | 'reserve-exhausted' }
  /** the hall server's calendar refused (session full, issue window closed, closed day) */
  | { ok: false; reason: 'closed'; closed: ServiceClosed };

export type OnlineNumber =
  | { kind: 'number'; sequence: number; label: string; businessDay: BusinessDay }
  | { kind: 'quota-reached' }
  /**
   * The server's calendar says no: its answer wins over the kiosk's copy of the rules (another
   * kiosk may have used up the session), and a leased number would only get round it.
   */
  | { kind: 'closed'; closed: ServiceClosed }
  /** no answer in time, or none the kiosk can use: issue from a leased reserve */
  | { kind: 'unavailable' };

export interface OnlineNumberSource {
  next(serviceId: string, priority: PriorityClass): Promise<OnlineNumber>;
}

export interface TicketIssuerOptions {
  db: HallKioskDb;
  clock: Clock;
  kioskId: string;
  /**
   * the hall's IANA zone: the business day is its local date, whatever the machine's zone; a
   * function when it may change (the hall server's settings arriving), read at each issue
   */
  timeZone: HallZone;
  /**
   * Set when the kiosk has a hall server: numbers come from it online, and offline only from
   * reserves it leased. Never a block made up here, or two kiosks would hand out the same numbers.
   * Without it (a standalone kiosk) the kiosk numbers 1…quota by itself.
   */
  numbers?: OnlineNumberSource;
  /** the current estimate of (server − device) clock, stamped on every outbox event */
  clockOffset?: () => number | undefined;
  /**
   * The hall calendar in force, read at each issue: its 限号 may be tighter than the catalog's
   * (core/numbering/day-quota.ts). Absent or null: the catalog's quota.
   */
  hallRules?: () => HallRules | null;
  /**
   * A kiosk with no hall server: the privileged side's floor of the day's numbers, kept outside
   * the browser profile. Every number issued is claimed from it first, so a wiped profile never
   * hands one out again.
   */
  floor?: Pick<KioskApi['counters'], 'claim'>;
  /** fills its argument with random bytes: the live ticket's token (core/ticket/live-ticket.ts); the browser's crypto by default */
  randomBytes?: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array;
}

/** Claimed before the transaction; the transaction found the kiosk's own counter past it (another window, a midnight): claim again. */
class ClaimOvertaken extends Error {}
const maxClaims = 3;

/** Marks a ticket whose print never reported back because the kiosk stopped mid-way. */
export const interruptedPrintError = 'interrupted';

export class TicketStateError extends Error {
  override readonly name = 'TicketStateError';
}

/** A reprint (补打) refused because of the ticket's state; `reason` is the state that refuses it. */
export class ReprintRefused extends TicketStateError {
  constructor(
    readonly label: string,
    readonly reason: ReprintRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** What recordReprint did: `recorded` is false when the printer certainly printed nothing. */
export interface ReprintRecord {
  recorded: boolean;
  ticket: Ticket;
}

/**
 * Issues queue tickets. Every change to a ticket is written together with its number reserve and
 * its outbox event in one transaction, so a crash leaves either all of them or none.
 */
export class TicketIssuer {
  private readonly db: HallKioskDb;
  private readonly clock: Clock;
  private readonly kioskId: string;
  private readonly zone: () => string;
  private readonly numbers: OnlineNumberSource | undefined;
  private readonly clockOffset: () => number | undefined;
  private readonly hallRules: () => HallRules | null;
  private readonly floor: TicketIssuerOptions['floor'];
  private readonly randomBytes: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array;
  /** tickets this instance is printing right now, which recovery must leave alone */
  private readonly printing = new Set<string>();

  constructor(options: TicketIssuerOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.kioskId = options.kioskId;
    this.zone = zoneReader(options.timeZone);
    this.numbers = options.numbers;
    this.clockOffset = options.clockOffset ?? (() => undefined);
    this.hallRules = options.hallRules ?? (() => null);
    this.floor = options.floor;
    this.randomBytes = options.randomBytes ?? ((bytes) => crypto.getRandomValues(bytes));
  }

  today(): BusinessDay {
    return businessDayOf(this.clock.now(), this.zone());
  }

  /** `language`: the citizen's at the kiosk, which the live ticket page speaks (Chinese when absent) */
  async issue(service: ServiceItem, priority: PriorityClass, language?: Language): Promise<IssueResult> {
    // Asked before the transaction: IndexedDB commits a transaction that waits on the network.
    const online = this.numbers ? await this.numbers.next(service.id, priority) : null;
    if (online?.kind === 'closed') return { ok: false, reason: 'closed', closed: online.closed };
    // The hall counted the day's tickets up to its quota: a leased number would only go past it.
    if (online?.kind === 'quota-reached') return { ok: false, reason: 'quota-reached' };
    const floor = this.numbers ? undefined : this.floor;
    if (!floor) return this.issueNumber(service, priority, online, null, language);
    for (let attempt = 1; ; attempt++) {
      // Claimed before the transaction too; a claimed number left unused is only a gap.
      const claimed = await this.claimNumber(floor, service);
      if (claimed === null) return { ok: false, reason: 'quota-reached' };
      try {
        return await this.issueNumber(service, priority, online, claimed, language);
      } catch (error) {
        if (!(error instanceof ClaimOvertaken) || attempt >= maxClaims) throw error;
      }
    }
  }

  /** The next number the page would take, claimed from the privileged side's floor; null past the quota. */
  private async claimNumber(floor: NonNullable<TicketIssuerOptions['floor']>, service: ServiceItem): Promise<{ businessDay: BusinessDay; sequence: number } | null> {
    const now = this.clock.now();
    const businessDay = businessDayOf(correctedTime(now, this.clockOffset() ?? 0), this.zone());
    const reserve = await this.reserveFor(service, businessDay, now);
    const quota = this.dayQuota(service);
    if (reserve.next > quota) return null;
    const { number } = await floor.claim({ businessDay, counter: `ticket:${service.prefix}`, atLeast: reserve.next, atMost: quota });
    return number === null ? null : { businessDay, sequence: number };
  }

  private async issueNumber(
    service: ServiceItem,
    priority: PriorityClass,
    online: OnlineNumber | null,
    claimed: { businessDay: BusinessDay; sequence: number } | null,
    language: Language | undefined,
  ): Promise<IssueResult> {
    const { db } = this;
    let issuedId: string | undefined;
    try {
      return await db.transaction('rw', [db.tickets, db.reserves, db.outbox, db.meta], async (): Promise<IssueResult> => {
        const now = this.clock.now();
        let number: { sequence: number; label: string; businessDay: BusinessDay };
        if (online?.kind === 'number') {
          number = online;
        } else {
          // The hall's day by the server's clock as far as the kiosk knows it.
          const businessDay = businessDayOf(correctedTime(now, this.clockOffset() ?? 0), this.zone());
          let reserve = this.numbers ? await this.leasedReserveFor(service, businessDay) : await this.reserveFor(service, businessDay, now);
          if (claimed && reserve) {
            if (claimed.businessDay !== businessDay || reserve.next > claimed.sequence) throw new ClaimOvertaken();
            // The numbers below the claim were handed out before this profile's records began.
            reserve = { ...reserve, next: claimed.sequence };
          }
          // A leased reserve lies in the band above the quota (core/numbering/lease-band.ts): its
          // numbers are no measure of the day's tickets, which the hall server counts. A local one
          // (standalone) numbers 1…quota, so its number is the count.
          const quota = this.numbers ? Infinity : this.dayQuota(service);
          const take = reserve ? takeNumber(reserve, quota) : ({ ok: false, reason: 'reserve-exhausted' } as const);
          if (!take.ok) return { ok: false, reason: take.reason };
          await db.reserves.put(take.reserve);
          number = { sequence: take.sequence, label: ticketLabel(service.prefix, take.sequence), businessDay };
        }
        const ticket: Ticket = {
          id: this.newId(now),
          kioskId: this.kioskId,
          serviceId: service.id,
          departmentId: service.departmentId,
          businessDay: number.businessDay,
          sequence: number.sequence,
          label: number.label,
          priority,
          issuedAt: now,
          state: 'printing',
          printAttempts: 0,
          // Made here with the ticket, offline too: its QR is printed at once.
          liveToken: liveTokenOf(this.randomBytes(new Uint8Array(liveTokenBytes))),
          ...(language ? { language } : {}),
        };
        // Claimed before commit so a concurrent recovery can never see it as stranded.
        issuedId = ticket.id;
        this.printing.add(ticket.id);
        await db.tickets.add(ticket);
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
        const { ticket, to } = await this.ticketFor(ticketId, result.outcome === 'printed' ? 'print-confirmed' : 'print-failed');
        const printAttempts = ticket.printAttempts + 1;
        if (result.outcome === 'printed') {
          const printed: Ticket = { ...ticket, state: to, printAttempts };
          delete printed.lastPrintError;
          await db.tickets.put(printed);
          await this.record({ type: 'ticket.printed', ticketId, printAttempts }, now);
          return printed;
        }
        const lastPrintError = result.detail ? `${result.outcome}: ${result.detail}` : result.outcome;
        const failed: Ticket = { ...ticket, state: to, printAttempts, lastPrintError };
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

  /**
   * The printer was out of paper and the kiosk shows the ticket's live QR as an electronic ticket
   * (电子号票): the citizen holds the number on the phone, so the unprinted ticket is issued —
   * counted, and in the queue once pushed — without paper. Staff may still 补打 it on paper later.
   */
  async recordHeldElectronically(ticketId: string): Promise<Ticket> {
    const { db } = this;
    return db.transaction('rw', [db.tickets, db.outbox, db.meta], async () => {
      const now = this.clock.now();
      const { ticket, to, changes } = await this.ticketFor(ticketId, 'hold-electronic');
      if (!changes) return ticket;
      const held: Ticket = { ...ticket, state: to };
      delete held.lastPrintError;
      await db.tickets.put(held);
      await this.record({ type: 'ticket.held-electronically', ticketId }, now);
      return held;
    });
  }

  /** Staff start a reprint; recovery must not mistake it for an interrupted print meanwhile. */
  beginReprint(ticketId: string): void {
    this.printing.add(ticketId);
  }

  /**
   * Record a reprint (补打) of a printed ticket for a citizen who lost it. The ticket keeps its
   * number and state; a reprint that printed or may have printed counts one more print attempt and
   * is synced as ticket.reprinted, a certain failure records nothing. Throws ReprintRefused when
   * the ticket is not a printed one (voided meanwhile, say).
   */
  async recordReprint(ticketId: string, result: PrintResult): Promise<ReprintRecord> {
    const { db } = this;
    return db.transaction('rw', [db.tickets, db.outbox, db.meta], async () => {
      const now = this.clock.now();
      const ticket = await this.reprintable(ticketId);
      if (!isReprintOutcome(result.outcome)) return { recorded: false, ticket };
      const reprinted: Ticket = { ...ticket, printAttempts: ticket.printAttempts + 1 };
      await db.tickets.put(reprinted);
      await this.record({ type: 'ticket.reprinted', ticketId, printAttempts: reprinted.printAttempts, outcome: result.outcome }, now);
      return { recorded: true, ticket: reprinted };
    });
  }

  /**
   * Record a reprint (补打) of a ticket this profile has no record of, which the privileged side
   * says this kiosk printed (a wiped profile): ticket.reprinted, when it printed or may have.
   * `printAttempts` counts every print of the ticket, this one included. False when the printer
   * certainly printed nothing, and nothing is recorded.
   */
  async recordReprintOfRecord(ticketId: string, printAttempts: number, result: PrintResult): Promise<boolean> {
    if (!isReprintOutcome(result.outcome)) return false;
    const { outcome } = result;
    const { db } = this;
    await db.transaction('rw', [db.outbox, db.meta], async () => {
      await this.record({ type: 'ticket.reprinted', ticketId, printAttempts: Math.max(2, printAttempts), outcome }, this.clock.now());
    });
    return true;
  }

  /** The ticket as it is now, if staff may reprint it; throws ReprintRefused or TicketStateError. */
  async reprintable(ticketId: string): Promise<Ticket> {
    const ticket = await this.db.tickets.get(ticketId);
    if (!ticket) throw new TicketStateError(`no ticket ${ticketId}`);
    const move = moveTicket(ticket, 'reprint');
    if (!move.ok) throw new ReprintRefused(ticket.label, reprintRefusal(ticket)!, move.reason);
    return ticket;
  }

  async void(ticketId: string, reason: string): Promise<Ticket> {
    const { db } = this;
    return db.transaction('rw', [db.tickets, db.outbox, db.meta], async () => {
      const now = this.clock.now();
      const { ticket, to, changes } = await this.ticketFor(ticketId, 'void');
      if (!changes) return ticket;
      const voided: Ticket = { ...ticket, state: to };
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
        const move = moveTicket(ticket, 'print-failed');
        if (!move.ok) continue;
        const printAttempts = ticket.printAttempts + 1;
        const unprinted: Ticket = { ...ticket, state: move.to, printAttempts, lastPrintError: interruptedPrintError };
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

  /** Today's printed tickets, newest first: staff void one a citizen took by mistake or gave back. */
  async issuedToday(limit = 50): Promise<Ticket[]> {
    const tickets = await this.db.tickets.where('businessDay').equals(this.today()).filter((t) => t.state === 'issued').toArray();
    return tickets.sort((a, b) => b.issuedAt - a.issuedAt).slice(0, limit);
  }

  /**
   * Today's ticket with this number (staff type what the citizen remembers, e.g. "a12 " for
   * A012), whatever its state; undefined when this kiosk issued none. Numbers are unique per day.
   */
  async findToday(label: string): Promise<Ticket | undefined> {
    const wanted = ticketNumberKey(label);
    if (!wanted) return undefined;
    return this.db.tickets
      .where('businessDay')
      .equals(this.today())
      .filter((t) => ticketNumberKey(t.label) === wanted)
      .first();
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
    // Up to the catalog's quota: the calendar's, which may be raised during the day, is checked at each take.
    return { id: this.newId(now), serviceId: service.id, businessDay, next: 1, last: service.dailyQuota };
  }

  private dayQuota(service: ServiceItem): number {
    return dayQuotaOf(this.hallRules(), service.id, service.dailyQuota);
  }

  /** The leased block to issue from offline, lowest numbers first; none left means none. */
  private async leasedReserveFor(service: ServiceItem, businessDay: BusinessDay): Promise<StoredReserve | undefined> {
    const reserves = await this.db.reserves.where('[serviceId+businessDay]').equals([service.id, businessDay]).toArray();
    return reserves
      .filter((r) => r.leased && r.next <= r.last)
      .sort((a, b) => a.next - b.next)[0];
  }

  /** The ticket and where `action` takes it, if the lifecycle lets it happen now; throws TicketStateError otherwise. */
  private async ticketFor(ticketId: string, action: TicketAction): Promise<{ ticket: Ticket; to: Ticket['state']; changes: boolean }> {
    const ticket = await this.db.tickets.get(ticketId);
    if (!ticket) throw new TicketStateError(`no ticket ${ticketId}`);
    const move = moveTicket(ticket, action);
    if (!move.ok) throw new TicketStateError(move.reason);
    return { ticket, to: move.to, changes: move.changes };
  }

  private async record(event: Parameters<typeof appendOutbox>[1], at: number): Promise<void> {
    const clockOffsetMs = this.clockOffset();
    await appendOutbox(this.db, event, { id: this.newId(at), kioskId: this.kioskId, at, ...(clockOffsetMs === undefined ? {} : { clockOffsetMs }) });
  }

  private newId(at: number): string {
    return uuidv7({ msecs: at });
  }
}
