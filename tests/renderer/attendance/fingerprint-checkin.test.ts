import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrivilegedSide } from '../../main/support/privileged-side.ts';
import { CheckinBook } from '../../../renderer/attendance/checkin-book.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { SyncEngine } from '../../../renderer/sync/sync-engine.ts';
import { createAdminUser } from '../../../server/admin/admin-users.ts';
import { addStaff, deactivateStaff } from '../../../server/staff/roster.ts';
import { api } from '../../server/support/http.ts';
import { ManualTimers, TemplateHall, hallZone, type TestHall } from '../support/sync-fixture.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

/**
 * One kiosk: its privileged side (server client, roster, reader slot map, simulated reader) and
 * its page (Dexie, the sync engine, the check-in book), as the two halves split the work.
 */
class Kiosk {
  readonly db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  readonly side: PrivilegedSide;
  engine!: SyncEngine;
  book!: CheckinBook;

  constructor(readonly name: string) {
    this.side = new PrivilegedSide(name);
  }

  async start(hall: TestHall): Promise<this> {
    await this.side.start(hall);
    this.engine = new SyncEngine({
      db: this.db,
      serverRequest: (request) => this.side.kiosk.server.request(request),
      serverStatus: () => this.side.kiosk.server.status(),
      clock: hall.clock,
      random: () => 0.5,
      timers: new ManualTimers(),
      lock: { request: (_name, hold) => hold() },
    });
    await this.engine.load();
    this.book = new CheckinBook({
      db: this.db,
      clock: hall.clock,
      kioskId: this.name,
      timeZone: hallZone,
      hallRules: () => demoHallRules,
      repeatWindowMs: 60_000,
      clockOffset: () => this.engine.clockOffsetMs(),
      online: this.engine.checkins,
    });
    return this;
  }

  /** A finger on the reader: the privileged side says who, the page records it. The sign-in screen's path. */
  async touch(finger: string) {
    const touched = await this.side.touch(finger);
    return touched.ok ? this.book.checkIn(touched.staff) : touched;
  }

  async stop(): Promise<void> {
    await this.engine.stop();
    await this.side.stop();
    this.db.close();
  }
}

let hall: TemplateHall;
const kiosks: Kiosk[] = [];

beforeEach(async () => {
  hall = new TemplateHall();
  hall.clock.setTo(Date.UTC(2026, 2, 2, 0, 55)); // 08:55 in Shanghai, a Monday morning
  await hall.start();
  await addStaff(hall.server!.db.db, hall.clock, { id: 'A1001', name: '张三', departmentId: 'market', counter: '12号窗口' });
});

afterEach(async () => {
  for (const kiosk of kiosks.splice(0)) await kiosk.stop();
  await hall.dispose();
});

async function kiosk(name: string): Promise<Kiosk> {
  const k = await new Kiosk(name).start(hall);
  kiosks.push(k);
  return k;
}

/** Kiosk `k` enrols finger 1 of A1001 (a tap per prompt): the template goes to the server. */
async function enrollAt(k: Kiosk, finger: string): Promise<void> {
  await k.side.pull();
  expect(await k.side.enrol('A1001', finger)).toMatchObject({ ok: true, replaced: false });
}

const serverCheckins = () => hall.server!.db.db.selectFrom('checkins').selectAll().execute();

describe('fingerprint sign-in across kiosks', () => {
  it("a template enrolled at kiosk 1 reaches kiosk 2's reader by its privileged pull; A signs in there and the record reaches the server once", async () => {
    const one = await kiosk('kiosk-1');
    const two = await kiosk('kiosk-2');
    await enrollAt(one, 'finger-a');

    await two.side.pull();
    expect(two.side.directory.member('A1001')).toMatchObject({ name: '张三', counter: '12号窗口' });
    expect(two.side.directory.slots()).toEqual([{ staffId: 'A1001', finger: 1, page: 0, revision: expect.any(Number) }]);
    expect(await two.side.reader.pages()).toEqual([0]);

    const signedIn = await two.touch('finger-a');
    expect(signedIn).toMatchObject({ outcome: 'recorded', member: { name: '张三' }, checkin: { staffId: 'A1001', kind: 'sign-in', session: 'morning' } });
    // The finger pressed again a moment later: the same record, nothing new.
    hall.clock.advance(5_000);
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'repeat', checkin: { id: (signedIn as { checkin: { id: string } }).checkin.id } });
    expect(await two.db.outbox.count()).toBe(1);

    await two.engine.runRound();
    await two.engine.runRound();
    const records = await serverCheckins();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ staff_id: 'A1001', kind: 'sign-in' });

    // Later in the same session it is the sign-out.
    hall.clock.advance(2 * 60 * 60_000);
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-out', session: 'morning' } });
    // 13:55 hall time: the afternoon session starts with a sign-in again.
    hall.clock.advance(3 * 60 * 60_000);
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in', session: 'afternoon' } });
  });

  it('an unknown finger is refused and never recorded as anyone', async () => {
    const one = await kiosk('kiosk-1');
    await enrollAt(one, 'finger-a');
    const two = await kiosk('kiosk-2');
    await two.side.pull();
    expect(await two.touch('stranger')).toMatchObject({ ok: false, kind: 'not-recognised', text: { zh: '未能识别，请重试或联系管理员' } });
    // A page no roster member holds (a leftover in the reader) is nobody either.
    await two.side.reader.storeTemplate(299, await two.side.reader.uploadTemplate(0));
    two.side.directory.removeSlot('A1001', 1);
    expect(await two.touch('finger-a')).toMatchObject({ ok: false, kind: 'not-recognised' });
    expect(await two.db.checkins.count()).toBe(0);
    expect(await two.db.outbox.count()).toBe(0);
  });

  it('an offline sign-in is stored with its outbox event and synced when the server is back', async () => {
    const one = await kiosk('kiosk-1');
    await enrollAt(one, 'finger-a');
    const two = await kiosk('kiosk-2');
    await two.side.pull();

    await hall.stop();
    expect(await two.side.sync.pullNow()).toBe(false);
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in' } });
    await two.engine.runRound();
    expect(two.engine.status.get()).toMatchObject({ pending: 1, lastError: expect.any(String) });
    expect(await serverCheckinsAfterRestart()).toHaveLength(0);

    await two.engine.runRound();
    expect(await serverCheckins()).toHaveLength(1);
  });

  /** Kiosk 1 enrols A; kiosks 2 and 3 take the template from the server. */
  async function twoKiosksWithA(): Promise<[Kiosk, Kiosk]> {
    await enrollAt(await kiosk('kiosk-1'), 'finger-a');
    const [two, three] = [await kiosk('kiosk-2'), await kiosk('kiosk-3')];
    await two.side.pull();
    await three.side.pull();
    return [two, three];
  }

  it('signed in at kiosk 2 and out at kiosk 3: the server decides, and records one of each', async () => {
    const [two, three] = await twoKiosksWithA();
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in', session: 'morning' } });
    hall.clock.advance(3 * 60 * 60_000); // 11:55
    // Kiosk 3 holds no record of the sign-in: on its own it would call this a second sign-in.
    expect(await three.db.checkins.count()).toBe(0);
    expect(await three.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-out', session: 'morning' } });

    await two.engine.runRound();
    await three.engine.runRound();
    const stored = (await serverCheckins()).sort((a, b) => Number(a.corrected_at) - Number(b.corrected_at));
    expect(stored.map((c) => [c.kind, c.session])).toEqual([
      ['sign-in', 'morning'],
      ['sign-out', 'morning'],
    ]);
  });

  it('a guess made offline is corrected when the server applies the record', async () => {
    const [two, three] = await twoKiosksWithA();
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in' } });
    await two.engine.runRound();

    hall.clock.advance(3 * 60 * 60_000);
    await hall.stop();
    const guessed = await three.touch('finger-a');
    expect(guessed).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in' } });
    await hall.start();
    await three.engine.runRound();
    expect(three.engine.status.get().pending).toBe(0);
    expect(await three.db.checkins.get((guessed as { checkin: { id: string } }).checkin.id)).toMatchObject({ kind: 'sign-out', session: 'morning' });
    expect((await serverCheckins()).map((c) => c.kind).sort()).toEqual(['sign-in', 'sign-out']);
  });

  it('a deactivated member loses the template on every kiosk: the finger is then refused', async () => {
    const one = await kiosk('kiosk-1');
    await enrollAt(one, 'finger-a');
    const two = await kiosk('kiosk-2');
    await two.side.pull();
    expect(await two.side.reader.pages()).toEqual([0]);

    await deactivateStaff(hall.server!.db.db, hall.clock, 'A1001');
    await two.side.pull();
    expect(await two.side.reader.pages()).toEqual([]);
    expect(two.side.directory.slots()).toEqual([]);
    expect(await two.touch('finger-a')).toMatchObject({ ok: false, kind: 'not-recognised' });
  });
});

describe('spot checks (不定期抽查) at the kiosk', () => {
  /** A supervisor logged in to the server's admin API. */
  async function supervisor(): Promise<(method: string, path: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>> {
    await createAdminUser(hall.server!.db.db, hall.clock, 'li.si', 'correct horse battery');
    const login = await api(hall.url, 'POST', '/api/v1/admin/login', { body: { username: 'li.si', password: 'correct horse battery' } });
    const token = login.body.token as string;
    return (method, path, body) => api(hall.url, method, path, { token, ...(body === undefined ? {} : { body }) }) as Promise<{ status: number; body: Record<string, unknown> }>;
  }

  it('a touch during an open spot check answers it once and reaches the server results once; a sign-in before it stays a sign-in', async () => {
    const one = await kiosk('kiosk-1');
    await enrollAt(one, 'finger-a');
    const two = await kiosk('kiosk-2');
    await two.side.pull();
    await two.engine.runRound();
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in' } });
    expect(await two.book.openSpotChecks()).toEqual([]);

    const admin = await supervisor();
    hall.clock.advance(30 * 60_000);
    const opened = await admin('POST', '/api/v1/admin/spot-checks', { departmentId: 'market', minutes: 20 });
    expect(opened.status).toBe(200);
    const check = opened.body.spotCheck as { id: string };
    await two.engine.runRound();
    expect(await two.book.openSpotChecks()).toEqual([expect.objectContaining({ id: check.id, departmentId: 'market' })]);
    // Already signed in this session: the touch is the spot-check answer, not a sign-out.
    const answer = await two.touch('finger-a');
    expect(answer).toMatchObject({ outcome: 'recorded', checkin: { kind: 'spot-check', spotCheckId: check.id, session: 'morning' } });
    hall.clock.advance(60_000);
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'repeat', checkin: { id: (answer as { checkin: { id: string } }).checkin.id } });

    await two.engine.runRound();
    await two.engine.runRound();
    const results = await admin('GET', `/api/v1/admin/spot-checks/${check.id}/results`);
    expect(results.status).toBe(200);
    expect(results.body.responses).toEqual([expect.objectContaining({ staffId: 'A1001', name: '张三', kind: 'spot-check', deviceId: expect.any(String) })]);

    // Once it has run its course the kiosk is out of spot-check mode: the next touch is the sign-out.
    hall.clock.advance(20 * 60_000);
    expect(await two.book.openSpotChecks()).toEqual([]);
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-out' } });
    expect((await serverCheckins()).filter((c) => c.spot_check_id === check.id)).toHaveLength(1);
  });

  it('someone not yet signed in signs in by answering; a check for another department is not theirs', async () => {
    const one = await kiosk('kiosk-1');
    await enrollAt(one, 'finger-a');
    const two = await kiosk('kiosk-2');
    await two.side.pull();
    const admin = await supervisor();
    const other = (await admin('POST', '/api/v1/admin/spot-checks', { departmentId: 'tax', minutes: 30 })).body.spotCheck as { id: string };
    const all = (await admin('POST', '/api/v1/admin/spot-checks', { minutes: 30 })).body.spotCheck as { id: string };
    await two.engine.runRound();
    expect((await two.book.openSpotChecks()).map((c) => c.id)).toEqual([other.id, all.id]);
    expect((await two.book.openSpotChecks('market')).map((c) => c.id)).toEqual([all.id]);
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in', spotCheckId: all.id } });

    await two.engine.runRound();
    const results = await admin('GET', `/api/v1/admin/spot-checks/${all.id}/results`);
    expect(results.body.responses).toEqual([expect.objectContaining({ staffId: 'A1001', kind: 'sign-in' })]);
    expect((await admin('GET', `/api/v1/admin/spot-checks/${other.id}/results`)).body.responses).toEqual([]);
    expect((await admin('GET', '/api/v1/admin/spot-checks/0190a000-0000-7000-8000-000000000000/results')).status).toBe(404);
  });
});

/** Starts the server again and reads what it holds. */
async function serverCheckinsAfterRestart() {
  await hall.start();
  return serverCheckins();
}
