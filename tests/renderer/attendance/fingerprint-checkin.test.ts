import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentralServerClient } from '../../../main/services/central-server-client.ts';
import type { ReaderService } from '../../../main/services/reader-service.ts';
import { demoReaderService } from '../../main/support/demo-reader-service.ts';
import { CheckinBook } from '../../../renderer/attendance/checkin-book.ts';
import type { ReaderLibrary } from '../../../renderer/attendance/roster-sync.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { SyncEngine } from '../../../renderer/sync/sync-engine.ts';
import { createAdminUser } from '../../../server/admin/admin-users.ts';
import { addStaff, deactivateStaff } from '../../../server/staff/roster.ts';
import { grantEnrolment } from '../../../server/staff/enrolment-grants.ts';
import { api } from '../../server/support/http.ts';
import { ManualTimers, TemplateHall, enrolledClient, hallZone, type TestHall } from '../support/sync-fixture.ts';


/** One kiosk: its privileged side (server client, simulated reader) and its renderer data. */
class Kiosk {
  readonly db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  readonly reader: ReaderService;
  engine!: SyncEngine;
  book!: CheckinBook;
  client!: CentralServerClient;

  constructor(readonly name: string) {
    this.reader = demoReaderService();
  }

  get library(): ReaderLibrary {
    return {
      pages: async () => ({ pages: await this.reader.pages() }),
      storeTemplate: (page, template) => this.reader.storeTemplate(page, template),
      delete: (page) => this.reader.delete(page),
      status: async () => this.reader.status(),
    };
  }

  async start(hall: TestHall): Promise<this> {
    await this.reader.start();
    this.client = await enrolledClient(hall, this.name);
    this.engine = new SyncEngine({
      db: this.db,
      serverRequest: (request) => this.client.request(request),
      serverStatus: async () => this.client.status(),
      clock: hall.clock,
      random: () => 0.5,
      timers: new ManualTimers(),
      lock: { request: (_name, hold) => hold() },
      reader: this.library,
    });
    await this.engine.load();
    this.book = new CheckinBook({ db: this.db, clock: hall.clock, kioskId: this.name, timeZone: hallZone, repeatWindowMs: 60_000, clockOffset: () => this.engine.clockOffsetMs() });
    return this;
  }

  /** A finger on the reader, then identify and record: the sign-in screen's path. */
  async touch(finger: string) {
    this.reader.simulateFinger(finger);
    const found = await this.reader.identify({ timeoutMs: 2000 });
    this.reader.simulateFinger('lift');
    return found.ok ? this.book.checkIn(found.page) : found;
  }

  async stop(): Promise<void> {
    await this.engine.stop();
    await this.reader.stop();
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

/** Kiosk 1 enrols finger 1 of A1001 (a tap per prompt) and uploads the template. */
async function enrollAt(k: Kiosk, page: number, finger: string): Promise<void> {
  const result = await k.reader.enroll({ page, timeoutMs: 5000 }, (progress) => {
    if (progress.step === 'place') k.reader.simulateFinger(finger);
  });
  expect(result).toEqual({ ok: true, page });
  const template = await k.reader.uploadTemplate(page);
  // An admin gave kiosk 1 leave to enrol A1001 on the hall server (server/staff/enrolment-grants.ts).
  await grantEnrolment(hall.server!.db.db, hall.clock, { staffId: 'A1001', deviceId: k.client.status().deviceId!, grantedBy: 'office', minutes: 30 });
  const reply = await k.client.request({ method: 'PUT', path: '/api/v1/staff/A1001/templates/1', body: { template } });
  expect(reply).toMatchObject({ status: 200, body: { staffId: 'A1001', finger: 1 } });
}

const serverCheckins = () => hall.server!.db.db.selectFrom('checkins').selectAll().execute();

describe('fingerprint sign-in across kiosks', () => {
  it('a template enrolled at kiosk 1 reaches kiosk 2 by sync; A signs in there and the record reaches the server once', async () => {
    const one = await kiosk('kiosk-1');
    const two = await kiosk('kiosk-2');
    await enrollAt(one, 5, 'finger-a');

    await two.engine.runRound();
    expect(await two.db.staff.get('A1001')).toMatchObject({ name: '张三', counter: '12号窗口' });
    expect(await two.db.readerSlots.toArray()).toEqual([{ staffId: 'A1001', finger: 1, page: 0, revision: expect.any(Number) }]);
    expect(await two.reader.pages()).toEqual([0]);

    const signedIn = await two.touch('finger-a');
    expect(signedIn).toMatchObject({ outcome: 'recorded', member: { name: '张三' }, checkin: { staffId: 'A1001', kind: 'sign-in', session: 'morning' } });
    // The finger pressed again a moment later: the same record, nothing new.
    hall.clock.shift(5_000);
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'repeat', checkin: { id: (signedIn as { checkin: { id: string } }).checkin.id } });
    expect(await two.db.outbox.count()).toBe(1);

    await two.engine.runRound();
    await two.engine.runRound();
    const records = await serverCheckins();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ staff_id: 'A1001', kind: 'sign-in' });

    // Later in the same session it is the sign-out.
    hall.clock.shift(2 * 60 * 60_000);
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-out', session: 'morning' } });
    // 13:55 hall time: the afternoon session starts with a sign-in again.
    hall.clock.shift(3 * 60 * 60_000);
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in', session: 'afternoon' } });
  });

  it('an unknown finger is refused and never recorded as anyone', async () => {
    const one = await kiosk('kiosk-1');
    await enrollAt(one, 0, 'finger-a');
    const two = await kiosk('kiosk-2');
    await two.engine.runRound();
    expect(await two.touch('stranger')).toMatchObject({ ok: false, kind: 'not-recognised', text: { zh: '未能识别，请重试或联系管理员' } });
    // A page no roster member holds (a leftover in the reader) is nobody either.
    expect(await two.book.checkIn(299)).toEqual({ outcome: 'unknown' });
    expect(await two.db.checkins.count()).toBe(0);
    expect(await two.db.outbox.count()).toBe(0);
  });

  it('an offline sign-in is stored with its outbox event and synced when the server is back', async () => {
    const one = await kiosk('kiosk-1');
    await enrollAt(one, 0, 'finger-a');
    const two = await kiosk('kiosk-2');
    await two.engine.runRound();

    await hall.stop();
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in' } });
    await two.engine.runRound();
    expect(two.engine.status.get()).toMatchObject({ pending: 1, lastError: expect.any(String) });
    expect(await serverCheckinsAfterRestart()).toHaveLength(0);

    await two.engine.runRound();
    expect(await serverCheckins()).toHaveLength(1);
  });

  it('a deactivated member loses the template on every kiosk: the finger is then refused', async () => {
    const one = await kiosk('kiosk-1');
    await enrollAt(one, 0, 'finger-a');
    const two = await kiosk('kiosk-2');
    await two.engine.runRound();
    expect(await two.reader.pages()).toEqual([0]);

    await deactivateStaff(hall.server!.db.db, hall.clock, 'A1001');
    await two.engine.runRound();
    expect(await two.reader.pages()).toEqual([]);
    expect(await two.db.readerSlots.count()).toBe(0);
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
    await enrollAt(one, 0, 'finger-a');
    const two = await kiosk('kiosk-2');
    await two.engine.runRound();
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-in' } });
    expect(await two.book.openSpotChecks()).toEqual([]);

    const admin = await supervisor();
    hall.clock.shift(30 * 60_000);
    const opened = await admin('POST', '/api/v1/admin/spot-checks', { departmentId: 'market', minutes: 20 });
    expect(opened.status).toBe(200);
    const check = opened.body.spotCheck as { id: string };
    await two.engine.runRound();
    expect(await two.book.openSpotChecks()).toEqual([expect.objectContaining({ id: check.id, departmentId: 'market' })]);
    // Already signed in this session: the touch is the spot-check answer, not a sign-out.
    const answer = await two.touch('finger-a');
    expect(answer).toMatchObject({ outcome: 'recorded', checkin: { kind: 'spot-check', spotCheckId: check.id, session: 'morning' } });
    hall.clock.shift(60_000);
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'repeat', checkin: { id: (answer as { checkin: { id: string } }).checkin.id } });

    await two.engine.runRound();
    await two.engine.runRound();
    const results = await admin('GET', `/api/v1/admin/spot-checks/${check.id}/results`);
    expect(results.status).toBe(200);
    expect(results.body.responses).toEqual([expect.objectContaining({ staffId: 'A1001', name: '张三', kind: 'spot-check', deviceId: expect.any(String) })]);

    // Once it has run its course the kiosk is out of spot-check mode: the next touch is the sign-out.
    hall.clock.shift(20 * 60_000);
    expect(await two.book.openSpotChecks()).toEqual([]);
    expect(await two.touch('finger-a')).toMatchObject({ outcome: 'recorded', checkin: { kind: 'sign-out' } });
    expect((await serverCheckins()).filter((c) => c.spot_check_id === check.id)).toHaveLength(1);
  });

  it('someone not yet signed in signs in by answering; a check for another department is not theirs', async () => {
    const one = await kiosk('kiosk-1');
    await enrollAt(one, 0, 'finger-a');
    const two = await kiosk('kiosk-2');
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
