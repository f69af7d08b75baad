import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckinRecord } from '../../../core/attendance/checkin.ts';
import type { StaffMember } from '../../../core/attendance/roster.ts';
import type { HallRules } from '../../../core/calendar/calendar-rules.ts';
import type { SyncEvent } from '../../../core/sync/events.ts';
import { CheckinBook, type CheckinBookOptions } from '../../../renderer/attendance/checkin-book.ts';
import { correctCheckins } from '../../../renderer/attendance/checkin-corrections.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { appendOutbox, outboxInOrder } from '../../../renderer/db/outbox.ts';
import type { OnlineCheckin } from '../../../renderer/sync/online-checkins.ts';
import { wireEventOf } from '../../../renderer/sync/wire-events.ts';
import { hallZone, kioskId } from '../support/issuer-fixture.ts';
import { demoHallRules } from '../../support/demo-hall.ts';
import { TestClock } from '../../support/test-clock.ts';

const member = (id: string, name: string): StaffMember => ({ id, name, departmentId: 'market', counter: '3号窗口', role: 'staff', scheduleId: null, active: true });
const zhang = member('A1', '张三');
const li = member('B2', '李四');

let db: HallKioskDb;
let clock: TestClock;
let book: CheckinBook;

beforeEach(() => {
  db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  clock = new TestClock('2026-03-02T00:55:00Z', { ticking: false }); // 08:55 in the hall
  book = new CheckinBook({ db, clock, kioskId, timeZone: hallZone, hallRules: () => demoHallRules, repeatWindowMs: 60_000 });
});

afterEach(() => db.close());

describe('CheckinBook: the person the privileged side named', () => {
  it('records their sign-in, a press again within the window as the same record, and a later one as the sign-out', async () => {
    const signedIn = await book.checkIn(zhang);
    expect(signedIn).toMatchObject({ outcome: 'recorded', member: { id: 'A1', name: '张三' }, checkin: { staffId: 'A1', kind: 'sign-in', session: 'morning', businessDay: '2026-03-02' } });
    clock.advance(30_000);
    expect(await book.checkIn(zhang)).toEqual({ ...signedIn, outcome: 'repeat' });
    // Someone else's press in between is theirs alone.
    expect(await book.checkIn(li)).toMatchObject({ outcome: 'recorded', checkin: { staffId: 'B2', kind: 'sign-in' } });
    clock.advance(2 * 60 * 60_000);
    expect(await book.checkIn(zhang)).toMatchObject({ outcome: 'recorded', checkin: { staffId: 'A1', kind: 'sign-out', session: 'morning' } });
    expect((await db.checkins.toArray()).map((c) => [c.staffId, c.kind])).toEqual([
      ['A1', 'sign-in'],
      ['B2', 'sign-in'],
      ['A1', 'sign-out'],
    ]);
    expect(await db.outbox.count()).toBe(3);
  });
});

describe('CheckinBook: the outbox', () => {
  it('check-ins and other events written at the same moment get one unbroken run of sequence numbers', async () => {
    await book.checkIn(zhang);
    clock.advance(60_000);
    // A ticket event appended while two people touch the reader: every transaction reads the counter afresh.
    const other = db.transaction('rw', [db.outbox, db.meta], () =>
      appendOutbox(db, { type: 'ticket.voided', ticketId: 't-1', reason: 'test' }, { id: 'e-ticket', kioskId, at: clock.now() }),
    );
    await Promise.all([book.checkIn(li), other, book.checkIn(zhang)]);
    const entries = await outboxInOrder(db);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(entries.filter((e) => e.type === 'checkin.recorded')).toHaveLength(3);
    expect(new Set(entries.map((e) => e.id)).size).toBe(4);
  });
});

/** A book on the same database with other options. */
const bookWith = (options: Partial<CheckinBookOptions>) => new CheckinBook({ db, clock, kioskId, timeZone: hallZone, hallRules: () => demoHallRules, repeatWindowMs: 60_000, ...options });
const at = (iso: string) => clock.setTo(iso);
const kinds = async () => (await db.checkins.toArray()).sort((a, b) => a.at - b.at).map((c) => [c.staffId, c.kind, c.session ?? null]);
const outboxKinds = async () => (await outboxInOrder(db)).map((e) => (e.type === 'checkin.recorded' ? [e.checkin.kind, e.checkin.session ?? null] : e.type));

describe('CheckinBook: sign-in or sign-out by the hall’s schedule', () => {
  const longMornings: HallRules = {
    ...demoHallRules,
    timetables: demoHallRules.timetables.map((t) =>
      t.id === 'hall' ? { ...t, seasons: Object.fromEntries(Object.entries(t.seasons).map(([season, sessions]) => [season, sessions.map((x) => (x.id === 'morning' ? { ...x, end: '12:30' } : x))])) } : t,
    ),
  };

  it('follows the hall’s hours, not a noon written in the code: a morning that runs to 12:30 signs out at 12:15', async () => {
    const long = bookWith({ hallRules: () => longMornings });
    expect(await long.checkIn(zhang)).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in', session: 'morning' } });
    at('2026-03-02T04:15:00Z'); // 12:15 in the hall
    expect(await long.checkIn(zhang)).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-out', session: 'morning' } });
    at('2026-03-02T05:40:00Z'); // 13:40, the afternoon
    expect(await long.checkIn(zhang)).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in', session: 'afternoon' } });
    expect(await outboxKinds()).toEqual([
      ['sign-in', 'morning'],
      ['sign-out', 'morning'],
      ['sign-in', 'afternoon'],
    ]);
  });

  it('reads the calendar at each touch: a calendar pulled meanwhile applies at once', async () => {
    let rules: HallRules | null = null;
    const live = bookWith({ hallRules: () => rules });
    // No calendar yet: sign-in and sign-out alternate, for no session.
    expect(await live.checkIn(zhang)).toMatchObject({ checkin: { kind: 'sign-in' } });
    rules = longMornings;
    at('2026-03-02T04:15:00Z');
    expect(await live.checkIn(zhang)).toMatchObject({ checkin: { kind: 'sign-out', session: 'morning' } });
    expect(await kinds()).toEqual([
      ['A1', 'sign-in', null],
      ['A1', 'sign-out', 'morning'],
    ]);
  });

  it('reads the hall’s zone at each touch: settings pulled meanwhile apply without a restart', async () => {
    let zone = hallZone;
    const live = bookWith({ timeZone: () => zone });
    at('2026-03-02T17:00:00Z'); // 01:00 on the 3rd in Shanghai, 09:00 on the 2nd in Los Angeles
    expect(await live.checkIn(zhang)).toMatchObject({ checkin: { businessDay: '2026-03-03', kind: 'sign-in' } });
    zone = 'America/Los_Angeles';
    at('2026-03-02T17:30:00Z');
    // 09:30 in the new zone: the morning of the 2nd, which this person has not signed in to.
    expect(await live.checkIn(zhang)).toMatchObject({ checkin: { businessDay: '2026-03-02', kind: 'sign-in', session: 'morning' } });
  });
});

describe('CheckinBook with a hall server', () => {
  /** A server that answers as told and records what it was asked. */
  const server = (answer: (asked: CheckinRecord) => OnlineCheckin | Promise<OnlineCheckin>) => {
    const asked: CheckinRecord[] = [];
    return { asked, source: { record: async (c: CheckinRecord) => (asked.push(c), answer(c)) } };
  };

  it('records the kind and session the server decided, and says so in the outbox too', async () => {
    // Kiosk B signed this person in; this kiosk has no record of it and guesses a sign-in.
    const { asked, source } = server((c) => ({ kind: 'recorded', checkin: { ...c, kind: 'sign-out', session: 'morning' } }));
    const online = bookWith({ online: source });
    at('2026-03-02T03:55:00Z');
    expect(await online.checkIn(zhang)).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-out', session: 'morning' } });
    expect(asked).toMatchObject([{ staffId: 'A1', kind: 'sign-in', session: 'morning' }]);
    expect(asked[0]).not.toHaveProperty('businessDay');
    expect(await kinds()).toEqual([['A1', 'sign-out', 'morning']]);
    expect(await outboxKinds()).toEqual([['sign-out', 'morning']]);
  });

  it('records nothing when the server says the touch repeats one made at another kiosk', async () => {
    const earlier: CheckinRecord = { id: '0193a8d2-0000-7000-8000-0000000000e1', staffId: 'A1', kind: 'sign-in', at: clock.now() - 60_000, session: 'morning' };
    const { source } = server(() => ({ kind: 'repeat', checkin: earlier }));
    expect(await bookWith({ online: source }).checkIn(zhang)).toMatchObject({ outcome: 'repeat', checkin: { ...earlier, businessDay: '2026-03-02' } });
    expect(await db.checkins.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('records its own guess when the server does not answer, or fails', async () => {
    const silent = bookWith({ online: server(() => ({ kind: 'unavailable' })).source });
    expect(await silent.checkIn(zhang)).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in' } });
    at('2026-03-02T03:00:00Z');
    const failing = bookWith({ online: server(() => Promise.reject(new Error('host restarting'))).source });
    expect(await failing.checkIn(zhang)).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-out' } });
    expect(await outboxKinds()).toEqual([
      ['sign-in', 'morning'],
      ['sign-out', 'morning'],
    ]);
  });

  it('asks nothing of the server for a second press: this kiosk knows it is a repeat', async () => {
    const { asked, source } = server((c) => ({ kind: 'recorded', checkin: c }));
    const online = bookWith({ online: source });
    await online.checkIn(zhang);
    clock.advance(5_000);
    expect(await online.checkIn(zhang)).toMatchObject({ outcome: 'repeat' });
    expect(asked).toHaveLength(1);
  });
});

describe('an offline guess corrected by the server', () => {
  it('takes the kind and session the push answer carries for each check-in, and touches nothing else', async () => {
    const offline = bookWith({});
    await offline.checkIn(zhang);
    at('2026-03-02T04:05:00Z');
    await offline.checkIn(li);
    const sent: SyncEvent[] = (await outboxInOrder(db)).map(wireEventOf);
    const changed = await correctCheckins(db, sent, [
      { seq: 1, id: sent[0]!.id, status: 'applied', checkin: { kind: 'sign-out', session: 'morning' } },
      { seq: 2, id: sent[1]!.id, status: 'applied', checkin: { kind: 'sign-in', session: 'afternoon' } },
    ]);
    expect(changed).toBe(1);
    expect(await kinds()).toEqual([
      ['A1', 'sign-out', 'morning'],
      ['B2', 'sign-in', 'afternoon'],
    ]);
    expect(await correctCheckins(db, sent, [{ seq: 1, id: sent[0]!.id, status: 'duplicate' }])).toBe(0);
  });
});
