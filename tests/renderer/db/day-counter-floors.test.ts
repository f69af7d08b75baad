import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CounterClaim } from '../../../core/kiosk/kiosk-api.ts';
import { CounterFloors } from '../../../main/services/counter-floors.ts';
import { SlipBook } from '../../../renderer/db/slip-book.ts';
import { TicketIssuer } from '../../../renderer/db/ticket-issuer.ts';
import { demoService, hallZone, KioskDevice, kioskId } from '../support/issuer-fixture.ts';

// Issue 13 point 2: a standalone kiosk numbers by itself, from its browser profile. A wiped profile
// starts its counters at 1 again; the privileged side's floor in the data dir (main's real store on
// a temporary file, as the kiosk API hands it to the page) makes it carry on instead.

const wednesdayMorning = '2026-11-25T01:30:00Z';
const marks = [{ id: 'id-card', status: 'have' as const }];

let dir: string;
let devices: KioskDevice[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-floor-'));
  devices = [];
});
afterEach(() => {
  for (const d of devices) d.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the kiosk API gives the page: main's CounterFloors behind `counters.claim`. */
function floorOn(floors: CounterFloors) {
  const claims: CounterClaim[] = [];
  return { claims, claim: async (claim: CounterClaim) => (claims.push(claim), { number: floors.claim(claim) }) };
}

/** A fresh browser profile on the same kiosk: a new IndexedDB, the same data dir. */
function freshProfile(floor?: ReturnType<typeof floorOn>) {
  const device = new KioskDevice(wednesdayMorning);
  devices.push(device);
  const db = device.openDb();
  return {
    issuer: new TicketIssuer({ db, clock: device.clock, kioskId, timeZone: hallZone, ...(floor ? { floor } : {}) }),
    slips: new SlipBook({ db, clock: device.clock, kioskId, timeZone: hallZone, ...(floor ? { floor } : {}) }),
  };
}

async function labelOf(issuer: TicketIssuer, serviceId: string): Promise<string> {
  const issued = await issuer.issue(demoService(serviceId), 'normal');
  if (!issued.ok) throw new Error(`refused: ${issued.reason}`);
  return issued.ticket.label;
}

describe('the day counters across a wiped browser profile', () => {
  it('a ticket number is never issued twice the same day', async () => {
    const floor = floorOn(new CounterFloors(join(dir, 'day-counters.json')));
    const first = freshProfile(floor);
    expect([await labelOf(first.issuer, 'biz-registration'), await labelOf(first.issuer, 'biz-registration')]).toEqual(['A001', 'A002']);
    expect(floor.claims.at(-1)).toEqual({ businessDay: '2026-11-25', counter: 'ticket:A', atLeast: 2, atMost: 200 });

    // The profile is wiped (and the kiosk restarted: the floor is read back from its file).
    const wiped = freshProfile(floorOn(new CounterFloors(join(dir, 'day-counters.json'))));
    expect(await labelOf(wiped.issuer, 'biz-registration')).toBe('A003');
    expect(await labelOf(wiped.issuer, 'sole-trader')).toBe('B001');
    expect(await labelOf(wiped.issuer, 'biz-registration')).toBe('A004');

    // Without the floor, which is how it was: A001 again.
    expect(await labelOf(freshProfile().issuer, 'biz-registration')).toBe('A001');
  });

  it('the 限号 still holds: a wiped profile gets no number past it', async () => {
    const floors = new CounterFloors(join(dir, 'day-counters.json'));
    const loan = { ...demoService('fund-loan'), dailyQuota: 2 };
    const first = freshProfile(floorOn(floors));
    for (let i = 0; i < 2; i++) expect((await first.issuer.issue(loan, 'normal')).ok).toBe(true);
    expect(await first.issuer.issue(loan, 'normal')).toEqual({ ok: false, reason: 'quota-reached' });
    expect(await freshProfile(floorOn(floors)).issuer.issue(loan, 'normal')).toEqual({ ok: false, reason: 'quota-reached' });
  });

  it('a claim the page overtook meanwhile (a second window) is claimed again, never issued below the page', async () => {
    const floors = new CounterFloors(join(dir, 'day-counters.json'));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const floor = {
      claim: async (claim: CounterClaim) => {
        calls += 1;
        const number = floors.claim(claim);
        if (calls === 1) await gate;
        return { number };
      },
    };
    const { issuer } = freshProfile(floor as never);
    // The first claim (1) is held up; the second (2) is issued first, so the page's counter is at 3.
    const slow = labelOf(issuer, 'biz-registration');
    expect(await labelOf(issuer, 'biz-registration')).toBe('A002');
    release();
    expect(await slow).toBe('A003');
    expect(calls).toBe(3);
    expect(await labelOf(freshProfile(floorOn(floors)).issuer, 'biz-registration')).toBe('A004');
  });

  it('a slip serial is never printed twice the same day', async () => {
    const floors = new CounterFloors(join(dir, 'day-counters.json'));
    const first = freshProfile(floorOn(floors));
    const a = await first.slips.open('sole-trader', marks);
    const b = await first.slips.open('sole-trader', marks);
    expect([a.serial, b.serial].map((s) => s.slice(-3))).toEqual(['001', '002']);
    const wiped = freshProfile(floorOn(new CounterFloors(join(dir, 'day-counters.json'))));
    expect((await wiped.slips.open('sole-trader', marks)).serial.slice(-3)).toBe('003');
    expect((await freshProfile().slips.open('sole-trader', marks)).serial.slice(-3)).toBe('001');
  });

  it('a floor that cannot be kept stops the issue with its reason, and nothing is stored', async () => {
    const failing = { claim: async () => Promise.reject(new Error('counters.claim: cannot keep the day counters in /data/day-counters.json: ENOSPC')) };
    const { issuer, slips } = freshProfile(failing as never);
    await expect(issuer.issue(demoService('biz-registration'), 'normal')).rejects.toThrow(/ENOSPC/);
    await expect(slips.open('sole-trader', marks)).rejects.toThrow(/ENOSPC/);
    expect(await issuer.issuedToday()).toEqual([]);
    expect(await issuer.unprintedToday()).toEqual([]);
  });
});
