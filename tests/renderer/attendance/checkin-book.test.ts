import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffMember } from '../../../core/attendance/roster.ts';
import { CheckinBook } from '../../../renderer/attendance/checkin-book.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { appendOutbox, outboxInOrder } from '../../../renderer/db/outbox.ts';
import { TestClock } from '../../support/test-clock.ts';
import { hallZone, kioskId } from '../support/issuer-fixture.ts';

const member = (id: string, name: string): StaffMember => ({ id, name, departmentId: 'market', counter: '3号窗口', role: 'staff', scheduleId: null, active: true });

let db: HallKioskDb;
let clock: TestClock;
let book: CheckinBook;

beforeEach(async () => {
  db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  clock = new TestClock('2026-03-02T00:55:00Z', { ticking: false }); // 08:55 in the hall
  book = new CheckinBook({ db, clock, kioskId, timeZone: hallZone, repeatWindowMs: 60_000 });
  await db.staff.bulkPut([member('A1', '张三'), member('B2', '李四')]);
  await db.readerSlots.bulkPut([
    { staffId: 'A1', finger: 1, page: 0, revision: 1 },
    { staffId: 'B2', finger: 1, page: 1, revision: 1 },
  ]);
});

afterEach(() => db.close());

/** Lets the book's background read of the slots finish, as the next person's wait would. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('CheckinBook: who a page belongs to', () => {
  it('after a roster sync moved a page to someone else, the next touch records the new holder, never the one the book remembered', async () => {
    expect(await book.checkIn(0)).toMatchObject({ outcome: 'recorded', member: { id: 'A1' } });
    await settle();
    // Sync: A1's template left page 0 and B2's took it; the book last saw page 0 as A1's.
    await db.transaction('rw', db.readerSlots, async () => {
      await db.readerSlots.clear();
      await db.readerSlots.put({ staffId: 'B2', finger: 1, page: 0, revision: 2 });
    });
    clock.advance(5 * 60_000);
    expect(await book.checkIn(0)).toMatchObject({ outcome: 'recorded', member: { id: 'B2', name: '李四' }, checkin: { kind: 'sign-in' } });
    expect(await book.checkIn(1)).toEqual({ outcome: 'unknown' });
    const recorded = (await db.checkins.toArray()).map((c) => [c.staffId, c.kind]);
    expect(recorded).toEqual([
      ['A1', 'sign-in'],
      ['B2', 'sign-in'],
    ]);
  });

  it('a page whose holder was just removed is nobody, even though the book remembered who had it', async () => {
    expect(await book.checkIn(1)).toMatchObject({ outcome: 'recorded', member: { id: 'B2' } });
    await settle();
    await db.readerSlots.delete(['B2', 1]);
    clock.advance(5 * 60_000);
    expect(await book.checkIn(1)).toEqual({ outcome: 'unknown' });
    expect(await db.checkins.count()).toBe(1);
  });

  it('a deactivated member the book remembered is refused', async () => {
    expect(await book.checkIn(0)).toMatchObject({ outcome: 'recorded' });
    await settle();
    await db.staff.put({ ...member('A1', '张三'), active: false });
    clock.advance(5 * 60_000);
    expect(await book.checkIn(0)).toEqual({ outcome: 'unknown' });
  });
});

describe('CheckinBook: the outbox', () => {
  it('check-ins and other events written at the same moment get one unbroken run of sequence numbers', async () => {
    await book.checkIn(0);
    await settle();
    clock.advance(60_000);
    // A ticket event appended while two people touch the reader: every transaction reads the counter afresh.
    const other = db.transaction('rw', [db.outbox, db.meta], () =>
      appendOutbox(db, { type: 'ticket.voided', ticketId: 't-1', reason: 'test' }, { id: 'e-ticket', kioskId, at: clock.now() }),
    );
    await Promise.all([book.checkIn(1), other, book.checkIn(0)]);
    const entries = await outboxInOrder(db);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(entries.filter((e) => e.type === 'checkin.recorded')).toHaveLength(3);
    expect(new Set(entries.map((e) => e.id)).size).toBe(4);
  });
});
