import { v7 as uuidv7 } from 'uuid';
import type { OpenSpotCheck } from '../../core/attendance/checkin.ts';
import { decideCheckin } from '../../core/attendance/checkin-decision.ts';
import type { StaffMember } from '../../core/attendance/roster.ts';
import { spotCheckCovers } from '../../core/attendance/rules.ts';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { HallKioskDb, StoredCheckin } from '../db/hall-kiosk-db.ts';
import { appendOutbox, readOutboxSeq } from '../db/outbox.ts';
import { zoneReader, type HallZone } from '../hall-time.ts';
import type { OnlineCheckinSource } from '../sync/online-checkins.ts';
import { placedCheckin, withServerDecision } from './checkin-corrections.ts';
import { openSpotChecksAt } from './spot-checks.ts';

export interface CheckinBookOptions {
  db: HallKioskDb;
  clock: Clock;
  kioskId: string;
  /** the hall's IANA zone, read at each check-in: sessions follow the hall's wall clock, not the machine's */
  timeZone: HallZone;
  /** the hall calendar in force, read at each check-in: its hours are the sessions; absent or null, none */
  hallRules?: () => HallRules | null;
  /** touches of one person closer together than this are one check-in; core's checkinRepeatWindowMs when absent */
  repeatWindowMs?: number;
  /** the current estimate of (server − device) clock, stamped on the record */
  clockOffset?: () => number | undefined;
  /**
   * Set when the kiosk has a hall server: while it answers, it decides sign-in or sign-out with
   * every kiosk's check-ins and the person's own schedule. This kiosk's records decide only when
   * it does not, and the server corrects that guess when the record reaches it.
   */
  online?: OnlineCheckinSource;
}

export type CheckinOutcome = { outcome: 'recorded' | 'repeat'; checkin: StoredCheckin; member: StaffMember };

/** A touch decided here, waiting for the hall server's word before it is written. */
type Drafted = { outcome: 'ask'; checkin: StoredCheckin; member: StaffMember; clockOffsetMs: number | undefined };

/**
 * Fingerprint check-ins (指纹签到/签退). Whether a touch signs in or out is decided by the rule in
 * core/attendance/checkin-decision.ts: by the hall server when it answers (it holds every kiosk's
 * check-ins), else from this kiosk's own records and the hall's hours. The record and its outbox
 * event are written in one transaction, so a check-in is synced exactly when it is stored, offline
 * or not.
 */
export class CheckinBook {
  private readonly zone: () => string;

  constructor(private readonly options: CheckinBookOptions) {
    this.zone = zoneReader(options.timeZone);
  }

  get db(): HallKioskDb {
    return this.options.db;
  }

  /** The spot checks open now by the server's clock (all departments' when none is given). */
  openSpotChecks(departmentId?: string): Promise<OpenSpotCheck[]> {
    return openSpotChecksAt(this.options.db, this.serverNow(), departmentId);
  }

  /**
   * Records a check-in for `member`, whom the privileged side identified on the reader (the
   * page never decides who a finger is). While a spot check covering the person's department is
   * open, the touch answers it (once; later touches are repeats): a person already at work answers
   * with a 'spot-check' record — never a sign-out, which would end their session in the middle of
   * it; one not yet signed in signs in, and the record names the check so the server counts them
   * present.
   */
  async checkIn(member: StaffMember): Promise<CheckinOutcome> {
    const { db, clock, repeatWindowMs, online } = this.options;
    const outcome = await db.transaction('rw', [db.checkins, db.outbox, db.meta], async (): Promise<CheckinOutcome | Drafted> => {
      const now = clock.now();
      const clockOffsetMs = this.options.clockOffset?.();
      // Sessions, days and repeats are on the server's clock, as far as the kiosk knows it.
      const serverNow = now + (clockOffsetMs ?? 0);
      const timeZone = this.zone();
      const day = businessDayOf(serverNow, timeZone);
      // Asked together: each IndexedDB request is a trip to the browser process, and staff wait on them.
      const [today, lastSeq, openChecks] = await Promise.all([
        db.checkins.where('[staffId+businessDay]').equals([member.id, day]).sortBy('at'),
        readOutboxSeq(db),
        openSpotChecksAt(db, serverNow),
      ]);
      const spotCheck = openChecks.find((check) => spotCheckCovers(check, member.departmentId));
      const decision = decideCheckin({
        rules: this.options.hallRules?.() ?? null,
        timeZone,
        at: serverNow,
        spotCheckId: spotCheck?.id ?? null,
        earlier: today.map(placedCheckin),
        ...(repeatWindowMs === undefined ? {} : { repeatWindowMs }),
      });
      if (decision.outcome === 'repeat') return { outcome: 'repeat' as const, checkin: today.find((c) => c.id === decision.of.id)!, member };

      const checkin: StoredCheckin = {
        id: uuidv7({ msecs: now }),
        staffId: member.id,
        kind: decision.kind,
        at: now,
        ...(decision.session === null ? {} : { session: decision.session }),
        businessDay: decision.day,
        ...(clockOffsetMs === undefined ? {} : { clockOffsetMs: Math.round(clockOffsetMs) }),
        ...(spotCheck ? { spotCheckId: spotCheck.id } : {}),
      };
      // With a hall server the record waits for its word, outside this transaction: IndexedDB
      // commits a transaction that waits on the network.
      if (online) return { outcome: 'ask' as const, checkin, member, clockOffsetMs };
      await this.write(checkin, clockOffsetMs, lastSeq);
      return { outcome: 'recorded' as const, checkin, member };
    });
    return outcome.outcome === 'ask' ? this.askServer(outcome) : outcome;
  }

  /**
   * The hall server decides the drafted touch: its kind and session are recorded, or it repeats
   * an earlier check-in (one made at another kiosk, say) and nothing is. Without an answer the
   * kiosk's own decision is recorded; the server corrects it when the record arrives.
   */
  private async askServer({ checkin: draft, member, clockOffsetMs }: Drafted): Promise<CheckinOutcome> {
    const { db, online } = this.options;
    const { businessDay, ...record } = draft;
    const answer = await online!.record(record).catch(() => ({ kind: 'unavailable' }) as const);
    if (answer.kind === 'repeat') return { outcome: 'repeat', checkin: { ...answer.checkin, businessDay }, member };
    const checkin = answer.kind === 'recorded' ? withServerDecision(draft, answer.checkin) : draft;
    await db.transaction('rw', [db.checkins, db.outbox, db.meta], () => this.write(checkin, clockOffsetMs));
    return { outcome: 'recorded', checkin, member };
  }

  /** The record and its outbox event, in the caller's transaction. */
  private async write(checkin: StoredCheckin, clockOffsetMs: number | undefined, lastSeq?: number): Promise<void> {
    const { db, kioskId } = this.options;
    const { businessDay: _day, ...record } = checkin;
    const origin = { id: uuidv7({ msecs: checkin.at }), kioskId, at: checkin.at, ...(clockOffsetMs === undefined ? {} : { clockOffsetMs }) };
    await Promise.all([db.checkins.add(checkin), appendOutbox(db, { type: 'checkin.recorded', checkin: record }, origin, lastSeq)]);
  }

  private serverNow(): number {
    return this.options.clock.now() + (this.options.clockOffset?.() ?? 0);
  }
}
