import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HallRules } from '../../../core/calendar/calendar-rules.ts';
import { dayQuotaReached, type ServiceClosed } from '../../../core/calendar/hall-calendar.ts';
import type { PrintResult, TicketPrintJob } from '../../../core/printing/printing.ts';
import type { QueueState } from '../../../core/ticket/queue-state.ts';
import { IssuedTally } from '../../../renderer/db/issued-tally.ts';
import { TicketIssuer, type OnlineNumber } from '../../../renderer/db/ticket-issuer.ts';
import { createKioskI18n } from '../../../renderer/i18n/kiosk-i18n.ts';
import { IssueTicket } from '../../../renderer/tickets/issue-ticket.ts';
import { KioskDevice, demoService, hallZone, kioskId } from '../support/issuer-fixture.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

// The use case behind 确认取号, on a real Dexie database (fake-indexeddb) with the printer, the
// sync engine and the live queue faked at the edge the kiosk API and the engine offer.

const hallName = '市政务服务中心';
// A winter Wednesday, 09:30 in the hall: every counter of the demo calendar is open.
const wednesdayMorning = '2026-11-25T01:30:00Z';

let device: KioskDevice;
afterEach(() => device?.close());

interface Rig {
  desk: IssueTicket;
  issuer: TicketIssuer;
  tally: IssuedTally;
  print: ReturnType<typeof vi.fn<(job: TicketPrintJob) => Promise<PrintResult>>>;
  kick: ReturnType<typeof vi.fn<() => void>>;
  queue: { state: QueueState | null };
  rules: { current: HallRules };
  address: { current: string | null };
}

function rig(options: { at?: string; printed?: PrintResult; online?: OnlineNumber } = {}): Rig {
  device = new KioskDevice(options.at ?? wednesdayMorning);
  const db = device.openDb();
  const online = options.online;
  const issuer = new TicketIssuer({ db, clock: device.clock, kioskId, timeZone: hallZone, ...(online ? { numbers: { next: async () => online } } : {}) });
  const tally = new IssuedTally(db);
  const print = vi.fn(async (_job: TicketPrintJob): Promise<PrintResult> => options.printed ?? { outcome: 'printed', paperNearEnd: false });
  const kick = vi.fn();
  const queue: Rig['queue'] = { state: null };
  const rules: Rig['rules'] = { current: demoHallRules };
  const address: Rig['address'] = { current: null };
  const desk = new IssueTicket({
    issuer,
    printer: { print },
    tally,
    sync: { kick },
    queue: { latest: () => queue.state },
    hallClock: device.clock,
    rules: () => rules.current,
    hall: () => ({ name: hallName, timeZone: hallZone }),
    publicAddress: () => address.current,
    printText: (language) => createKioskI18n(language).getFixedT(language),
  });
  return { desk, issuer, tally, print, kick, queue, rules, address };
}

describe('IssueTicket', () => {
  it('prints the server’s exact 前面还有N人 and 预计等候, and the live ticket’s QR once the hall has a public address; offline, neither figure', async () => {
    const { desk, print, queue, address } = rig();
    queue.state = {
      businessDay: '2026-11-25',
      asOf: 0,
      services: [{ serviceId: 'biz-registration', waiting: 9, waitingPriority: 2, aheadOfNew: { normal: 6, priority: 2 }, estimateMinutes: { normal: 18, priority: 6 } }],
    };
    const first = await desk.issue(demoService('biz-registration'), 'normal', 'en');
    if (!first.ok) throw new Error('refused');
    expect(first).toMatchObject({ peopleAhead: 6, waitEstimateMinutes: 18, liveUrl: null });
    expect(first.ticket).toMatchObject({ language: 'en', liveToken: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
    await first.printed;
    // The paper in the language the citizen chose on screen.
    expect(print.mock.calls[0]![0]).toMatchObject({ peopleAheadText: 'People ahead: 6', waitEstimateText: 'Estimated wait: about 18 min' });
    expect(print.mock.calls[0]![0]).not.toHaveProperty('qrPayload');

    address.current = 'https://zwfw.example.gov.cn';
    const second = await desk.issue(demoService('biz-registration'), 'elderly');
    if (!second.ok) throw new Error('refused');
    expect(second).toMatchObject({ peopleAhead: 2, waitEstimateMinutes: 6, liveUrl: `https://zwfw.example.gov.cn/t/${second.ticket.liveToken}` });
    expect(second.ticket.liveToken).not.toBe(first.ticket.liveToken);
    await second.printed;
    expect(print.mock.calls[1]![0].qrPayload).toBe(second.liveUrl);

    queue.state = null;
    const offline = await desk.issue(demoService('biz-registration'), 'normal');
    if (!offline.ok) throw new Error('refused');
    expect(offline).toMatchObject({ peopleAhead: null, waitEstimateMinutes: null });
    await offline.printed;
    expect(print.mock.calls[2]![0]).not.toHaveProperty('peopleAheadText');
    expect(print.mock.calls[2]![0]).not.toHaveProperty('waitEstimateText');
  });

  it('issues, prints once with the people ahead counted before the ticket existed, records the print and kicks the sync twice', async () => {
    const { desk, issuer, print, kick, queue } = rig();
    queue.state = { businessDay: '2026-11-25', asOf: 0, services: [{ serviceId: 'biz-registration', waiting: 4, waitingPriority: 1 }] };
    const issued = await desk.issue(demoService('biz-registration'), 'normal');
    if (!issued.ok) throw new Error(`refused: ${issued.reason}`);
    expect(issued.ticket).toMatchObject({ label: 'A001', state: 'printing', businessDay: '2026-11-25' });
    expect(issued.peopleAhead).toBe(4);
    expect(issued.validity).toEqual({ kind: 'now' });
    // Issued and pushed at once, before the printer answered.
    expect(kick).toHaveBeenCalledTimes(1);

    const { result, ticket } = await issued.printed;
    expect(result.outcome).toBe('printed');
    expect(ticket?.state).toBe('issued');
    expect(print).toHaveBeenCalledTimes(1);
    expect(print.mock.calls[0]![0]).toMatchObject({ hallName, label: 'A001', serviceName: '企业设立登记', windows: '1–6号窗口', peopleAheadText: '前面还有4人', issuedAtText: '2026-11-25 09:30' });
    expect(print.mock.calls[0]![0].validityText).toBeUndefined();
    // The print's outcome is an event too.
    expect(kick).toHaveBeenCalledTimes(2);
    expect((await issuer.ticket(issued.ticket.id))?.state).toBe('issued');
  });

  it('a priority ticket counts only the priority tickets ahead; a count of another day says nothing', async () => {
    const { desk, queue } = rig();
    queue.state = { businessDay: '2026-11-25', asOf: 0, services: [{ serviceId: 'biz-registration', waiting: 4, waitingPriority: 1 }] };
    const elderly = await desk.issue(demoService('biz-registration'), 'elderly');
    expect(elderly.ok && elderly.peopleAhead).toBe(1);
    queue.state = { ...queue.state, businessDay: '2026-11-24' };
    const next = await desk.issue(demoService('biz-registration'), 'normal');
    if (!next.ok) throw new Error('refused');
    expect(next.peopleAhead).toBeNull();
    expect((await next.printed).result.outcome).toBe('printed');
  });

  it('after hours a number for the 24-hour area waits in no queue and its ticket says where to go', async () => {
    // 21:00 in the hall: only the self-service area is open.
    const { desk, print, queue } = rig({ at: '2026-11-25T13:00:00Z' });
    queue.state = { businessDay: '2026-11-25', asOf: 0, services: [{ serviceId: 'ss-card', waiting: 9, waitingPriority: 0 }] };
    const issued = await desk.issue(demoService('ss-card'), 'normal');
    if (!issued.ok) throw new Error('refused');
    expect(issued.validity).toEqual({ kind: 'self-service' });
    expect(issued.peopleAhead).toBeNull();
    await issued.printed;
    expect(print.mock.calls[0]![0]).toMatchObject({ windows: '24小时自助服务区', validityText: '请到24小时自助服务区办理' });
    expect(print.mock.calls[0]![0].peopleAheadText).toBeUndefined();
  });

  it('prints the ticket in the language the citizen chose, the hall name and the number unchanged', async () => {
    const { desk, print } = rig({ at: '2026-11-25T13:00:00Z' });
    const issued = await desk.issue(demoService('ss-card'), 'normal', 'en');
    if (!issued.ok) throw new Error('refused');
    await issued.printed;
    const job = print.mock.calls[0]![0];
    expect(job).toMatchObject({ hallName, label: issued.ticket.label, serviceName: 'Social security card', validityText: expect.stringMatching(/^[\x20-\x7e]+$/) as unknown as string, language: 'en' });
    expect(job.footer).toBe('Please listen for your number; if missed, take a new one');
  });

  it('a number taken when its counters are closed says from when it is valid, by the calendar read at that issue', async () => {
    const { desk, print, rules } = rig();
    // The hall's calendar changes (a new one pulled): the market counters now open only at 10:00.
    const later = structuredClone(demoHallRules);
    later.timetables = later.timetables.map((t) =>
      t.id === 'hall' ? { ...t, seasons: Object.fromEntries(Object.entries(t.seasons).map(([season, sessions]) => [season, sessions.map((s) => (s.id === 'morning' ? { ...s, start: '10:00' } : s))])) } : t,
    );
    rules.current = later;
    const issued = await desk.issue(demoService('biz-registration'), 'normal');
    if (!issued.ok) throw new Error('refused');
    expect(issued.validity.kind).toBe('from');
    await issued.printed;
    expect(print.mock.calls[0]![0].validityText).toBe('上午 10:00 起有效');
  });

  it('a print that failed is recorded unprinted and still pushed', async () => {
    const { desk, issuer, kick } = rig({ printed: { outcome: 'paper-out', paperNearEnd: false } });
    const issued = await desk.issue(demoService('sole-trader'), 'normal');
    if (!issued.ok) throw new Error('refused');
    const { result, ticket } = await issued.printed;
    expect(result.outcome).toBe('paper-out');
    expect(ticket).toMatchObject({ state: 'unprinted', lastPrintError: 'paper-out' });
    expect((await issuer.unprintedToday()).map((t) => t.id)).toEqual([issued.ticket.id]);
    expect(kick).toHaveBeenCalledTimes(2);
  });

  it('out of paper with the hall’s public address, the ticket is held electronically: issued, pushed as such, no longer unprinted; a print of unknown outcome never is', async () => {
    const { desk, issuer, kick, address } = rig({ printed: { outcome: 'paper-out', paperNearEnd: false } });
    address.current = 'https://zwfw.example.gov.cn';
    const issued = await desk.issue(demoService('sole-trader'), 'normal');
    if (!issued.ok) throw new Error('refused');
    const { result, ticket } = await issued.printed;
    expect(result.outcome).toBe('paper-out');
    expect(ticket).toMatchObject({ state: 'issued' });
    expect(ticket).not.toHaveProperty('lastPrintError');
    expect(await issuer.unprintedToday()).toEqual([]);
    const types = (await device.openDb().outbox.orderBy('seq').toArray()).map((e) => e.type);
    expect(types).toEqual(['ticket.issued', 'ticket.print-failed', 'ticket.held-electronically']);
    expect(kick).toHaveBeenCalledTimes(2);
  });

  it('a print of unknown outcome, or paper out without a public address, stays unprinted: no electronic ticket', async () => {
    for (const [outcome, at] of [['unknown', 'https://zwfw.example.gov.cn'], ['paper-out', null]] as const) {
      const { desk, address } = rig({ printed: { outcome, paperNearEnd: false } });
      address.current = at;
      const issued = await desk.issue(demoService('sole-trader'), 'normal');
      if (!issued.ok) throw new Error('refused');
      expect((await issued.printed).ticket, outcome).toMatchObject({ state: 'unprinted' });
      device.close();
    }
  });

  it("the server's calendar refusal stands for the next citizens, and nothing is printed or pushed", async () => {
    const closed: ServiceClosed = { open: false, reason: 'quota-reached-session', nextOpening: Date.parse('2026-11-25T05:30:00Z') };
    const { desk, tally, print, kick } = rig({ online: { kind: 'closed', closed } });
    const refused = await desk.issue(demoService('fund-loan'), 'normal');
    expect(refused).toEqual({ ok: false, reason: 'closed', closed });
    expect(tally.refusalAt('fund-loan', '2026-11-25', Date.parse(wednesdayMorning))).toEqual(closed);
    expect(print).not.toHaveBeenCalled();
    expect(kick).not.toHaveBeenCalled();
  });

  it("the server's 限号 closes the service until the calendar's next day; an empty reserve offline closes nothing", async () => {
    const { desk, tally } = rig({ online: { kind: 'quota-reached' } });
    const refused = await desk.issue(demoService('biz-registration'), 'normal');
    expect(refused).toEqual({ ok: false, reason: 'quota-reached' });
    const now = Date.parse(wednesdayMorning);
    expect(tally.refusalAt('biz-registration', '2026-11-25', now)).toEqual(dayQuotaReached(demoHallRules, 'biz-registration', now, hallZone));
    device.close();

    const offline = rig({ online: { kind: 'unavailable' } });
    expect(await offline.desk.issue(demoService('biz-registration'), 'normal')).toEqual({ ok: false, reason: 'reserve-exhausted' });
    expect(offline.tally.refusalAt('biz-registration', '2026-11-25', now)).toBeNull();
  });
});
