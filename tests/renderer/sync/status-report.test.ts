import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerReply, ServerRequest } from '../../../core/http/central-server-request.ts';
import { hallApi } from '../../../core/http/contract.ts';
import type { PrinterStatus } from '../../../core/printing/printing.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { appendOutbox } from '../../../renderer/db/outbox.ts';
import { SyncEngine } from '../../../renderer/sync/sync-engine.ts';
import type { StatusReportSources } from '../../../renderer/sync/status-report.ts';
import { ManualTimers, TestHall, enrolledClient } from '../support/sync-fixture.ts';

let hall: TestHall;
let db: HallKioskDb;
let engine: SyncEngine;

beforeEach(async () => {
  hall = new TestHall();
  await hall.start();
});
afterEach(async () => {
  await engine?.stop();
  db?.close();
  await hall.dispose();
});

interface Setup {
  printer?: () => Promise<PrinterStatus>;
  /** the heartbeat's further sources; absent, the report carries none of them */
  more?: Pick<StatusReportSources, 'readerStatus' | 'systemHealth' | 'storageEstimate'>;
  /** stands between the engine and the server, e.g. to fail a route */
  wrap?: (request: ServerRequest, send: (r: ServerRequest) => Promise<ServerReply>) => Promise<ServerReply>;
}

async function kiosk(setup: Setup = {}): Promise<{ sent: string[]; deviceId: string }> {
  const client = await enrolledClient(hall, 'entrance 1');
  const sent: string[] = [];
  const send = (r: ServerRequest) => client.request(r);
  db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  engine = new SyncEngine({
    db,
    serverRequest: (r) => {
      sent.push(`${r.method} ${r.path.split('?')[0]}`);
      return setup.wrap ? setup.wrap(r, send) : send(r);
    },
    serverStatus: async () => client.status(),
    clock: hall.clock,
    random: () => 0.5,
    timers: new ManualTimers(),
    lock: { request: (_name, hold) => hold() },
    report: {
      systemInfo: async () => ({ version: '0.1.0', shell: 'host', startedAt: hall.clock.now() - 125_000 }),
      printerStatus: setup.printer ?? (async () => ({ state: 'ready', paperNearEnd: true })),
      ...setup.more,
    },
  });
  await engine.load();
  return { sent, deviceId: client.status().deviceId! };
}

const stored = (deviceId: string) => hall.look(hall.dbFile, (k) => k.selectFrom('device_status').selectAll().where('device_id', '=', deviceId).executeTakeFirst());
const reports = (sent: string[]) => sent.filter((s) => s === `POST ${hallApi.devicesStatus.path}`).length;

describe('the kiosk status report', () => {
  it('goes out with a sync round, at most once a minute, saying what staff see on the kiosk', async () => {
    const { sent, deviceId } = await kiosk();
    await engine.runRound();
    expect(engine.status.get().lastError).toBeNull();
    expect(await stored(deviceId)).toMatchObject({
      app_version: '0.1.0',
      uptime_seconds: 125,
      pending_events: 0,
      last_sync_error: null,
      printer_state: 'ready',
      paper_near_end: 1,
    });

    await engine.runRound();
    expect(reports(sent)).toBe(1);
    hall.clock.advance(61_000);
    await engine.runRound();
    expect(reports(sent)).toBe(2);
  });

  it('reports a failing round with its error and the events still pending, and a printer it cannot ask as unknown', async () => {
    const { deviceId } = await kiosk({
      printer: async () => {
        throw new Error('printer service restarting');
      },
      // The server takes reports but fails every push: the outbox stays full.
      wrap: async (r, send) => (r.path === '/api/v1/sync/push' ? { status: 500, body: { error: { code: 'internal', message: 'disk full' }, serverTime: hall.clock.now() }, serverTime: hall.clock.now() } : send(r)),
    });
    await db.transaction('rw', [db.outbox, db.meta], async () => {
      await appendOutbox(db, { type: 'ticket.voided', ticketId: '019ab5e2-3c40-7d1e-9a2b-3c4d5e6f7a8b', reason: 'test' }, { id: uuidv7(), kioskId: 'entrance-1', at: hall.clock.now() });
    });
    await engine.runRound();
    expect(engine.status.get().lastError).toMatch(/disk full/);
    expect(await stored(deviceId)).toMatchObject({ pending_events: 1, last_sync_error: expect.stringMatching(/disk full/), printer_state: null });
  });

  it('is a heartbeat: reader, storage, disk, the latest logged error and the runtime go with it', async () => {
    const { deviceId } = await kiosk({
      more: {
        readerStatus: async () => ({ state: 'disconnected', detail: 'no answer on /dev/ttyUSB0' }) as never,
        systemHealth: async () => ({
          versions: { app: '0.1.0', node: '20.19.0', electron: null, chrome: null },
          uptimeSeconds: 125,
          disk: { freeBytes: 8 * 1024 ** 3, totalBytes: 32 * 1024 ** 3 },
          recentErrors: [{ at: 1, level: 'error', message: 'printer status poll failed: ECONNREFUSED' }, { at: 0, level: 'warn', message: 'older' }],
        }),
        storageEstimate: async () => ({ usage: 4_000_000, quota: 2_000_000_000 }),
      },
    });
    await engine.runRound();
    expect(await stored(deviceId)).toMatchObject({
      reader_state: 'disconnected',
      storage_used_bytes: 4_000_000,
      storage_quota_bytes: 2_000_000_000,
      disk_free_bytes: 8 * 1024 ** 3,
      last_error: 'printer status poll failed: ECONNREFUSED',
      runtime_versions: 'node 20.19.0',
    });
  });

  it('a source that fails leaves the rest of the heartbeat standing', async () => {
    const { deviceId } = await kiosk({
      more: {
        readerStatus: async () => Promise.reject(new Error('no reader')),
        systemHealth: async () => Promise.reject(new Error('old host')),
        storageEstimate: async () => ({}),
      },
    });
    await engine.runRound();
    expect(await stored(deviceId)).toMatchObject({ printer_state: 'ready', reader_state: null, storage_used_bytes: null, disk_free_bytes: null, last_error: null });
  });

  it('sends a change of paper or printer state with the next round, not a minute later', async () => {
    let printer: PrinterStatus = { state: 'ready', paperNearEnd: false };
    const { sent, deviceId } = await kiosk({ printer: async () => printer });
    await engine.runRound();
    expect(reports(sent)).toBe(1);
    hall.clock.advance(5_000);
    await engine.runRound();
    expect(reports(sent)).toBe(1);

    printer = { state: 'paper-out', paperNearEnd: true };
    hall.clock.advance(5_000);
    await engine.runRound();
    expect(reports(sent)).toBe(2);
    expect(await stored(deviceId)).toMatchObject({ printer_state: 'paper-out' });
    hall.clock.advance(5_000);
    await engine.runRound();
    expect(reports(sent)).toBe(2);
  });

  it('is not attempted while the server does not answer', async () => {
    const { sent } = await kiosk();
    await hall.stop();
    await engine.runRound();
    expect(engine.status.get().online).toBe(false);
    expect(reports(sent)).toBe(0);
  });
});
