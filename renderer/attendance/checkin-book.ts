import { v7 as uuidv7 } from 'uuid';
import type { CheckinKind, OpenSpotCheck } from '../../core/attendance/checkin.ts';
import type { StaffMember } from '../../core/attendance/roster.ts';
import { hallLocalTime } from '../../core/calendar/business-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { HallKioskDb, StoredCheckin } from '../db/hall-kiosk-db.ts';
import { appendOutbox, readOutboxSeq } from '../db/outbox.ts';
import { openSpotChecksAt, spotCheckCovers } from './spot-checks.ts';

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

export type CheckinOutcome = { outcome: 'recorded' | 'repeat'; checkin: StoredCheckin; member: StaffMember };

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
  constructor(private readonly options: CheckinBookOptions) {}

  get db(): HallKioskDb {
    return this.options.db;
  }

  /** The spot checks open now by the server's clock (all departments' when none is given). */
  openSpotChecks(departmentId?: string): Promise<OpenSpotCheck[]> {
    return openSpotChecksAt(this.options.db, this.serverNow(), departmentId);
  }

  /**
   * Records a check-in for `member`, whom the privileged side identified on the reader (the
   * page never decides who a finger is). While a spot check covering
   * the person's department is open, the touch answers it (once; later touches are repeats). A
   * person already in this session answers with a 'spot-check' record — never a sign-out, which
   * would end their session in the middle of it; one not yet signed in signs in, and the record
   * names the check so the server counts them present.
   */
  async checkIn(member: StaffMember): Promise<CheckinOutcome> {
    const { db, clock, kioskId, timeZone, repeatWindowMs } = this.options;
    return db.transaction('rw', [db.checkins, db.outbox, db.meta], async () => {
      const now = clock.now();
      const { day, session } = sessionAt(now, timeZone);
      const clockOffsetMs = this.options.clockOffset?.();
      // Asked together: each IndexedDB request is a trip to the browser process, and staff wait on them.
      const [today, lastSeq, openChecks] = await Promise.all([
        db.checkins.where('[staffId+businessDay]').equals([member.id, day]).sortBy('at'),
        readOutboxSeq(db),
        openSpotChecksAt(db, now + (clockOffsetMs ?? 0)),
      ]);
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
  }

  private serverNow(): number {
    return this.options.clock.now() + (this.options.clockOffset?.() ?? 0);
  }
}
