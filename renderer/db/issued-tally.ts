import type { BusinessDay } from '../../core/business-day.ts';
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
  /** the hall server refused a number: its quota (限号) is used up */
  refused: boolean;
}

const emptyTally: ServiceTally = { issuedAt: [], highestSequence: 0, refused: false };

/**
 * The day's numbers per service, for showing a service as full (额满) before the citizen walks
 * through the whole flow. Read from the tickets in Dexie (so a reload keeps it), plus the
 * server's quota refusals of this run.
 */
export class IssuedTally {
  private day: BusinessDay | null = null;
  private byService = new Map<string, ServiceTally>();
  private readonly refusals = new Set<string>();

  constructor(private readonly db: HallKioskDb) {}

  /** Re-reads `day`'s tickets; call at start, after each issue and when the day changes. */
  async refresh(day: BusinessDay): Promise<void> {
    const tickets = await this.db.tickets.where('businessDay').equals(day).toArray();
    const byService = new Map<string, ServiceTally>();
    for (const t of tickets) {
      const tally = byService.get(t.serviceId) ?? { issuedAt: [], highestSequence: 0, refused: false };
      tally.issuedAt.push(t.issuedAt);
      tally.highestSequence = Math.max(tally.highestSequence, t.sequence);
      byService.set(t.serviceId, tally);
    }
    this.day = day;
    this.byService = byService;
  }

  /** The hall server answered 限号 for this service today. */
  noteRefused(serviceId: string, day: BusinessDay): void {
    this.refusals.add(`${day}\u0000${serviceId}`);
  }

  of(serviceId: string, day: BusinessDay): ServiceTally {
    const refused = this.refusals.has(`${day}\u0000${serviceId}`);
    const tally = this.day === day ? (this.byService.get(serviceId) ?? emptyTally) : emptyTally;
    return refused ? { ...tally, refused } : tally;
  }
}
