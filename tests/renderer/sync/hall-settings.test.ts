import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerRequest } from '../../../core/http/central-server-request.ts';
import { businessDayOf } from '../../../core/calendar/business-day.ts';
import { defaultKioskConfig } from '../../../core/kiosk/kiosk-config.ts';
import type { HallSettings } from '../../../core/sync/pull.ts';
import { TicketIssuer } from '../../../renderer/db/ticket-issuer.ts';
import { buildTicketPrintJob } from '../../../renderer/printing/ticket-print-job.ts';
import { KioskHall } from '../../../renderer/sync/hall-settings.ts';
import { readSyncMeta } from '../../../renderer/db/sync-meta.ts';
import { updateHallSettings } from '../../../server/hall/hall-settings.ts';
import { TestHall, TestKioskApp, enrolledClient, hallZone } from '../support/sync-fixture.ts';
import { demoCatalog } from '../../support/demo-hall.ts';

const company = demoCatalog.services.find((s) => s.id === 'biz-registration')!;
const localHall = defaultKioskConfig('kiosk-a').hall;

let hall: TestHall;
let app: TestKioskApp | null = null;

beforeEach(async () => {
  hall = new TestHall();
  await hall.start();
});
afterEach(async () => {
  await app?.engine.stop();
  app?.close();
  app = null;
  await hall.dispose();
});

describe('hall settings from the server', () => {
  it('reach the printed ticket and the business day once pulled, and survive a restart', async () => {
    // 2026-03-02 02:00 UTC: already the 2nd in Shanghai (the local config), still the 1st in New York.
    hall.clock.setTo(Date.parse('2026-03-02T02:00:00Z'));
    expect(localHall.timeZone).toBe(hallZone);
    // What the admin CLI's `hall` command does, on the running server's database.
    await hall.look(hall.dbFile, (db) => updateHallSettings(db, { hallName: '东城区政务服务中心', timeZone: 'America/New_York', publicAddress: 'https://zwfw.dongcheng.example.cn/' }));

    const client = await enrolledClient(hall, 'kiosk-a');
    app = await new TestKioskApp('kiosk-a', hall.clock, (r: ServerRequest) => client.request(r), () => client.status()).start();
    // Wired as renderer/main.tsx wires it.
    const kioskHall = new KioskHall(localHall);
    await kioskHall.load(app.db);
    const pulled: HallSettings[] = [];
    app.engine.onSettings((settings) => {
      pulled.push(settings);
      kioskHall.apply(settings);
    });
    const issuer = new TicketIssuer({ db: app.db, clock: hall.clock, kioskId: 'kiosk-a', timeZone: kioskHall.timeZone, numbers: app.engine.numbers, clockOffset: () => app!.engine.clockOffsetMs() });

    // Before the first pull: the local config.
    expect(kioskHall.current()).toEqual({ name: localHall.name, timeZone: hallZone });
    expect(kioskHall.publicAddress()).toBeNull();
    expect(issuer.today()).toBe('2026-03-02');

    await app.engine.runRound();
    expect(app.engine.status.get().lastError).toBeNull();
    expect(pulled.map((s) => s.hallName)).toEqual(['东城区政务服务中心']);
    expect(kioskHall.current()).toEqual({ name: '东城区政务服务中心', timeZone: 'America/New_York' });

    const issued = await issuer.issue(company, 'normal');
    if (!issued.ok) throw new Error(`no ticket: ${issued.reason}`);
    expect(issued.ticket.businessDay).toBe('2026-03-01');
    expect(issued.ticket.businessDay).toBe(businessDayOf(hall.clock.now(), 'America/New_York'));
    const { name, timeZone } = kioskHall.current();
    const job = buildTicketPrintJob({ ticket: issued.ticket, service: company, hallName: name, timeZone, publicAddress: kioskHall.publicAddress() });
    expect(job.hallName).toBe('东城区政务服务中心');
    expect(job.qrPayload).toBe(`https://zwfw.dongcheng.example.cn/t/${issued.ticket.liveToken}`);

    // Cached in meta: a restarted kiosk uses them before it reaches the server again.
    expect((await readSyncMeta(app.db, 'hall.settings'))?.timeZone).toBe('America/New_York');
    const restarted = new KioskHall(localHall);
    expect((await restarted.load(app.db)).name).toBe('东城区政务服务中心');
    expect(restarted.publicAddress()).toBe('https://zwfw.dongcheng.example.cn');
  });
});
