import { v7 as uuidv7 } from 'uuid';
import type { CheckinKind, OpenSpotCheck } from '../../core/attendance/checkin.ts';
import type { StaffMember } from '../../core/attendance/roster.ts';
import { hallLocalTime } from '../../core/calendar/business-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { HallKioskDb, StoredCheckin } from '../db/hall-kiosk-db.ts';
import { appendOutbox, readOutboxSeq } from '../db/outbox.ts';
import { spotCheckCovers } from '../../core/attendance/rules.ts';
import { openSpotChecksAt } from './spot-checks.ts';

export interface CheckinBookOptions {
  db: HallKioskDb;
  clock: Clock;
  kioskId: string;
  /** the hall's IANA zone: sessions follow the hall's wall clock, not the machine's */
  timeZone: string;
  /** touches of one person closer together than this are one check-in (the finger pressed twice) */
  repeatWindowMs: number;
  /** the current estimate of (server − device) clock, stamped on the record */
  clockOffset?: () => number | undefined;
}

export type CheckinOutcome =
  | { outcome: 'recorded' | 'repeat'; checkin: StoredCheckin; member: StaffMember }
  /** the page is not mapped to anyone on this kiosk: never recorded */
  | { outcome: 'unknown' };

/** The hall's half-day: before 12:00 hall-local is the morning session. */
export function sessionAt(epochMs: number, timeZone: string): { day: string; session: 'morning' | 'afternoon' } {
  const { day, time } = hallLocalTime(epochMs, timeZone);
  return { day, session: time < '12:00:00' ? 'morning' : 'afternoon' };
}

/**
 * Fingerprint check-ins (指纹签到/签退). The first check-in of a person in a session is the
 * sign-in, later ones the sign-out (the server keeps the last as the session's end). The record
 * and its outbox event are written in one transaction, so a check-in is synced exactly when it
 * is stored, offline or not.
 */
export class CheckinBook {
  /**
   * page → staff id as last read from the reader slots. Only a guess, so the person's records can
   * be asked for in the same round trip as the slot; the slot read in the transaction decides.
   */
  private slotGuesses: Map<number, string> | null = null;
  private refreshingGuesses: Promise<void> | null = null;

  constructor(private readonly options: CheckinBookOptions) {}

  get db(): HallKioskDb {
    return this.options.db;
  }

  /** Active members of the pulled roster, by name, for the staff screen. */
  async roster(): Promise<StaffMember[]> {
    const members = await this.options.db.staff.toArray();
    return members.filter((m) => m.active).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }

  /** The spot checks open now by the server's clock (all departments' when none is given). */
  openSpotChecks(departmentId?: string): Promise<OpenSpotCheck[]> {
    return openSpotChecksAt(this.options.db, this.serverNow(), departmentId);
  }

  /**
   * Records a check-in for whoever holds reader `page` on this kiosk. While a spot check covering
   * the person's department is open, the touch answers it (once; later touches are repeats). A
   * person already in this session answers with a 'spot-check' record — never a sign-out, which
   * would end their session in the middle of it; one not yet signed in signs in, and the record
   * names the check so the server counts them present.
   */
  async checkIn(page: number): Promise<CheckinOutcome> {
    const { db, clock, kioskId, timeZone, repeatWindowMs } = this.options;
    const guess = this.slotGuesses?.get(page);
    let guessedRight = false;
    const outcome = await db.transaction('rw', [db.readerSlots, db.staff, db.checkins, db.outbox, db.meta], async () => {
      const now = clock.now();
      const { day, session } = sessionAt(now, timeZone);
      const clockOffsetMs = this.options.clockOffset?.();
      const recordsOf = (staffId: string) => Promise.all([db.staff.get(staffId), db.checkins.where('[staffId+businessDay]').equals([staffId, day]).sortBy('at')]);
      // Asked together: each IndexedDB request is a trip to the browser process, and staff wait on them.
      const [slot, lastSeq, openChecks, guessed] = await Promise.all([
        db.readerSlots.where('page').equals(page).first(),
        readOutboxSeq(db),
        openSpotChecksAt(db, now + (clockOffsetMs ?? 0)),
        guess === undefined ? undefined : recordsOf(guess),
      ]);
      // A page never synced here is nobody: refuse, never guess.
      if (!slot) return { outcome: 'unknown' as const };
      guessedRight = guessed !== undefined && slot.staffId === guess;
      const [member, today] = guessedRight ? guessed! : await recordsOf(slot.staffId);
      // A page whose owner was removed is nobody too.
      if (!member?.active) return { outcome: 'unknown' as const };
      const spotCheck = openChecks.find((check) => spotCheckCovers(check, member.departmentId));
      const inSession = today.some((c) => c.session === session);
      const answered = spotCheck && today.find((c) => c.spotCheckId === spotCheck.id);
      if (answered) return { outcome: 'repeat' as const, checkin: answered, member };
      const last = today.at(-1);
      if (!spotCheck && last && now - last.at >= 0 && now - last.at < repeatWindowMs) return { outcome: 'repeat' as const, checkin: last, member };

      const kind: CheckinKind = spotCheck ? (inSession ? 'spot-check' : 'sign-in') : inSession ? 'sign-out' : 'sign-in';
      const checkin: StoredCheckin = {
        id: uuidv7({ msecs: now }),
        staffId: member.id,
        kind,
        at: now,
        session,
        businessDay: day,
        ...(clockOffsetMs === undefined ? {} : { clockOffsetMs: Math.round(clockOffsetMs) }),
        ...(spotCheck ? { spotCheckId: spotCheck.id } : {}),
      };
      const { businessDay: _day, ...record } = checkin;
      await Promise.all([
        db.checkins.add(checkin),
        appendOutbox(db, { type: 'checkin.recorded', checkin: record }, { id: uuidv7({ msecs: now }), kioskId, at: now, ...(clockOffsetMs === undefined ? {} : { clockOffsetMs }) }, lastSeq),
      ]);
      return { outcome: 'recorded' as const, checkin, member };
    });
    // Slots changed since they were last read (roster sync, enrolment), or never read: read them
    // again for the next person, after this one has their answer.
    if (!guessedRight) void this.refreshSlotGuesses();
    return outcome;
  }

  private refreshSlotGuesses(): Promise<void> {
    this.refreshingGuesses ??= this.options.db.readerSlots
      .toArray()
      .then((slots) => {
        this.slotGuesses = new Map(slots.map((s) => [s.page, s.staffId]));
      })
      .catch(() => undefined)
      .finally(() => {
        this.refreshingGuesses = null;
      });
    return this.refreshingGuesses;
  }

  private serverNow(): number {
    return this.options.clock.now() + (this.options.clockOffset?.() ?? 0);
  }
}
