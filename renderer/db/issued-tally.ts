import type { BusinessDay } from '../../core/calendar/business-day.ts';
import type { ServiceClosed } from '../../core/calendar/hall-calendar.ts';
import type { HallKioskDb } from './hall-kiosk-db.ts';

/** What the kiosk knows of one service's numbers on one business day. */
export interface ServiceTally {
  /** tickets this kiosk issued (each took a number, printed or not) */
  issuedAt: number[];
  /**
   * the highest number seen: online numbers come from the hall server's counter, so this is a
   * floor for the whole hall's count, not only this kiosk's
   */
  highestSequence: number;
}

const emptyTally: ServiceTally = { issuedAt: [], highestSequence: 0 };

/**
 * The day's numbers per service, for showing a service as full (额满) or closed before the
 * citizen walks through the whole flow. Read from the tickets in Dexie (so a reload keeps it),
 * plus the hall server's refusals of this run: the server counts every kiosk's numbers, so its
 * "no" stands for the next citizen too, until the time it named.
 */
export class IssuedTally {
  private day: BusinessDay | null = null;
  private byService = new Map<string, ServiceTally>();
  private readonly refusals = new Map<string, { day: BusinessDay; closed: ServiceClosed }>();

  constructor(private readonly db: HallKioskDb) {}

  /** Re-reads `day`'s tickets; call at start, after each issue and when the day changes. */
  async refresh(day: BusinessDay): Promise<void> {
    const tickets = await this.db.tickets.where('businessDay').equals(day).toArray();
    const byService = new Map<string, ServiceTally>();
    for (const t of tickets) {
      const tally = byService.get(t.serviceId) ?? { issuedAt: [], highestSequence: 0 };
      tally.issuedAt.push(t.issuedAt);
      tally.highestSequence = Math.max(tally.highestSequence, t.sequence);
      byService.set(t.serviceId, tally);
    }
    this.day = day;
    this.byService = byService;
    // A new day forgets the old day's refusals.
    for (const [serviceId, refusal] of this.refusals) if (refusal.day !== day) this.refusals.delete(serviceId);
  }

  of(serviceId: string, day: BusinessDay): ServiceTally {
    return this.day === day ? (this.byService.get(serviceId) ?? emptyTally) : emptyTally;
  }

  /**
   * The hall server refused a number of `serviceId` on `day`, saying why and from when (its 限号,
   * a session another kiosk filled, an issue window). The latest refusal of a service replaces
   * the one before.
   */
  noteRefused(serviceId: string, day: BusinessDay, closed: ServiceClosed): void {
    this.refusals.set(serviceId, { day, closed });
  }

  /**
   * The server's refusal that still stands at `now` on `day`: until its next opening, or for the
   * rest of the business day when it named none.
   */
  refusalAt(serviceId: string, day: BusinessDay, now: number): ServiceClosed | null {
    const refusal = this.refusals.get(serviceId);
    if (!refusal || refusal.day !== day) return null;
    const { closed } = refusal;
    return closed.nextOpening === null || now < closed.nextOpening ? closed : null;
  }
}
