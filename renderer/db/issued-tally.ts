import type { BusinessDay } from '../../core/calendar/business-day.ts';
import type { ServiceClosed } from '../../core/calendar/hall-calendar.ts';
import type { DayCount } from '../../core/numbering/numbers.ts';
import type { HallKioskDb } from './hall-kiosk-db.ts';
import { readSyncMeta } from './sync-meta.ts';

/** What the kiosk knows of one service's numbers on one business day. */
export interface ServiceTally {
  /** tickets this kiosk issued (each took a number, printed or not) */
  issuedAt: number[];
  /**
   * the highest number seen: online numbers come from the hall server's counter, so the highest
   * up to the quota is a floor for the whole hall's count, not only this kiosk's (leased numbers
   * lie above the quota, core/numbering/lease-band.ts, and say nothing of it: see `sequences`)
   */
  highestSequence: number;
  /** the numbers of this kiosk's tickets */
  sequences: number[];
  /**
   * the hall server's count of the day's tickets at every kiosk, from the last pull (the figure its
   * /next refuses by); null when none is known (standalone, or no pull yet today)
   */
  hallIssued: number | null;
}

const emptyTally: ServiceTally = { issuedAt: [], highestSequence: 0, sequences: [], hallIssued: null };

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
  private hallCounts: { day: BusinessDay; issued: Map<string, number> } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly db: HallKioskDb) {}

  /** Re-reads `day`'s tickets and the hall's last counts; call at start, after each issue and when the day changes. */
  async refresh(day: BusinessDay): Promise<void> {
    const tickets = await this.db.tickets.where('businessDay').equals(day).toArray();
    const byService = new Map<string, ServiceTally>();
    for (const t of tickets) {
      const tally = byService.get(t.serviceId) ?? { issuedAt: [], highestSequence: 0, sequences: [], hallIssued: null };
      tally.issuedAt.push(t.issuedAt);
      tally.sequences.push(t.sequence);
      tally.highestSequence = Math.max(tally.highestSequence, t.sequence);
      byService.set(t.serviceId, tally);
    }
    const stored = await readSyncMeta(this.db, 'hall.dayCounts');
    if (stored?.businessDay === day && this.hallCounts?.day !== day) this.hallCounts = { day, issued: new Map(stored.counts.map((c) => [c.serviceId, c.issued])) };
    this.day = day;
    this.byService = byService;
    // A new day forgets the old day's refusals.
    for (const [serviceId, refusal] of this.refusals) if (refusal.day !== day) this.refusals.delete(serviceId);
  }

  of(serviceId: string, day: BusinessDay): ServiceTally {
    const own = this.day === day ? (this.byService.get(serviceId) ?? emptyTally) : emptyTally;
    const hallIssued = this.hallCounts?.day === day ? (this.hallCounts.issued.get(serviceId) ?? null) : null;
    return { ...own, hallIssued };
  }

  /**
   * The hall server's count of `day`'s tickets per service, as a pull brought it: the list shows
   * the server's figure, the one 确认取号 will be answered by. Listeners hear of it at once.
   */
  noteHallCounts(day: BusinessDay, counts: readonly DayCount[]): void {
    this.hallCounts = { day, issued: new Map(counts.map((c) => [c.serviceId, c.issued])) };
    for (const listener of [...this.listeners]) listener();
  }

  /** Called when the hall's counts change; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
