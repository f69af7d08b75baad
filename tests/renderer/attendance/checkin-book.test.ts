import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffMember } from '../../../core/attendance/roster.ts';
import { CheckinBook } from '../../../renderer/attendance/checkin-book.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { appendOutbox, outboxInOrder } from '../../../renderer/db/outbox.ts';
import { ManualClock, hallZone, kioskId } from '../support/issuer-fixture.ts';

const member = (id: string, name: string): StaffMember => ({ id, name, departmentId: 'market', counter: '3号窗口', role: 'staff', scheduleId: null, active: true });
const zhang = member('A1', '张三');
const li = member('B2', '李四');

let db: HallKioskDb;
let clock: ManualClock;
let book: CheckinBook;

beforeEach(() => {
  db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  clock = new ManualClock(Date.parse('2026-03-02T00:55:00Z')); // 08:55 in the hall
  book = new CheckinBook({ db, clock, kioskId, timeZone: hallZone, repeatWindowMs: 60_000 });
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
