import { afterEach, describe, expect, it } from 'vitest';
import { kioskShortId, slipSerial, slipSerialSchema } from '../../../core/guide/disclosure-slip.ts';
import { syncEventSchema } from '../../../core/sync/events.ts';
import { SlipBook } from '../../../renderer/db/slip-book.ts';
import { wireEventOf } from '../../../renderer/sync/wire-events.ts';
import { hallZone, KioskDevice } from '../support/issuer-fixture.ts';

const marks = [
  { id: 'application-form', status: 'missing' as const },
  { id: 'id-card', status: 'have' as const },
  { id: 'premises', status: 'to-correct' as const },
];
const printed = { outcome: 'printed', paperNearEnd: false } as const;

let device: KioskDevice;
afterEach(() => device?.close());

function start(kioskId = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b') {
  const db = device.openDb();
  return { db, slips: new SlipBook({ db, clock: device.clock, kioskId, timeZone: hallZone, clockOffset: () => -1200 }) };
}

describe('slip serials', () => {
  it('read GZ-<kiosk>-<hall date>-<number>, the kiosk part from the end of its id', () => {
    expect(kioskShortId('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBe('3F4A5B');
    expect(kioskShortId('kiosk-entrance-1')).toBe('RANCE1');
    expect(slipSerial('kiosk-0002', '2026-11-25', 7)).toBe('GZ-SK0002-20261125-007');
    expect(slipSerial('kiosk-0002', '2026-11-25', 1234)).toBe('GZ-SK0002-20261125-1234');
    expect(slipSerialSchema.safeParse(slipSerial('a-b-c-d', '2026-01-02', 1)).success).toBe(true);
    expect(() => slipSerial('kiosk-0002', '2026-11-25', 0)).toThrow(RangeError);
  });
});

describe('SlipBook', () => {
  it('numbers slips 001, 002… through the hall day and starts again at the hall’s midnight', async () => {
    // 23:58 in Shanghai; the machine's own zone does not matter.
    device = new KioskDevice('2026-11-25T15:58:00Z');
    const { slips } = start();
    const a = await slips.open('sole-trader', marks);
    const b = await slips.open('sole-trader', marks);
    device.clock.advance(3 * 60_000); // 00:01 the next day in the hall
    const c = await slips.open('food-licence', marks);
    expect([a.serial, b.serial, c.serial]).toEqual(['GZ-3F4A5B-20261125-001', 'GZ-3F4A5B-20261125-002', 'GZ-3F4A5B-20261126-001']);
    expect(c.businessDay).toBe('2026-11-26');
  });

  it('reads the hall’s zone at each slip: settings pulled from the hall server apply without a restart', async () => {
    device = new KioskDevice('2026-11-25T17:00:00Z'); // 01:00 on the 26th in Shanghai, 09:00 on the 25th in Los Angeles
    let zone = hallZone;
    const slips = new SlipBook({ db: device.openDb(), clock: device.clock, kioskId: 'kiosk-0002', timeZone: () => zone });
    expect((await slips.open('sole-trader', marks)).serial).toBe('GZ-SK0002-20261126-001');
    zone = 'America/Los_Angeles';
    const after = await slips.open('sole-trader', marks);
    expect([after.serial, after.businessDay]).toEqual(['GZ-SK0002-20261125-001', '2026-11-25']);
  });

  it('never hands out a serial twice: concurrent slips, and a restart, continue the count', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const first = start();
    const second = start(); // another window of the same kiosk, on the same database
    const opened = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? first : second).slips.open('sole-trader', marks)));
    const serials = opened.map((s) => s.serial);
    expect(new Set(serials).size).toBe(12);
    expect(serials.map((s) => s.slice(-3)).sort()).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(3, '0')));

    first.db.close();
    second.db.close();
    const restarted = start();
    expect((await restarted.slips.open('sole-trader', marks)).serial).toBe('GZ-3F4A5B-20261125-013');
    expect(await restarted.db.slips.count()).toBe(13);
  });

  it('records a printed slip once as a disclosure.printed event the server accepts, with no personal data', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { db, slips } = start();
    const slip = await slips.open('sole-trader', marks);
    expect(await db.outbox.count()).toBe(0);
    device.clock.advance(2_000);
    expect(await slips.recordPrint(slip.id, printed)).toMatchObject({ state: 'printed', serial: slip.serial });
    // Recording the same confirmation again (a retried call) adds nothing.
    await slips.recordPrint(slip.id, printed);
    const entries = await db.outbox.toArray();
    expect(entries).toHaveLength(1);
    const wire = wireEventOf(entries[0]!);
    expect(syncEventSchema.safeParse(wire).success).toBe(true);
    expect(wire).toMatchObject({ type: 'disclosure.printed', at: slip.at + 2_000, clockOffsetMs: -1200 });
    expect(wire.payload).toEqual({ id: slip.id, serial: slip.serial, serviceId: 'sole-trader', materials: marks, at: slip.at });
  });

  it('keeps a slip the printer did not confirm, unsynced, with the reason', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { db, slips } = start();
    const slip = await slips.open('sole-trader', marks);
    expect(await slips.recordPrint(slip.id, { outcome: 'paper-out', paperNearEnd: false })).toMatchObject({ state: 'unprinted', lastPrintError: 'paper-out' });
    expect(await db.outbox.count()).toBe(0);
    // Its serial stays used: the next slip does not reuse it.
    expect((await slips.open('sole-trader', marks)).serial).toBe('GZ-3F4A5B-20261125-002');
  });
});
