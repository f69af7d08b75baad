import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CounterFloorError, CounterFloors, keptDays } from '../../main/services/counter-floors.ts';
import { KioskApiService } from '../../main/services/kiosk-api-service.ts';
import { createKioskLogger } from '../../main/services/logger.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-floors-'));
  file = join(dir, 'day-counters.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const day = '2026-11-25';
const ticketA = (atLeast: number, atMost = 200) => ({ businessDay: day, counter: 'ticket:A', atLeast, atMost });

describe('the day counters kept by the privileged side', () => {
  it('hands out each number once, above everything handed out before, and a new run (or a wiped page) carries on from the file', () => {
    const floors = new CounterFloors(file);
    expect(floors.claim(ticketA(1))).toBe(1);
    expect(floors.claim(ticketA(2))).toBe(2);
    // A page whose own counter is ahead (the file was lost once) is followed.
    expect(floors.claim(ticketA(7))).toBe(7);
    expect(floors.claim({ businessDay: day, counter: 'slip', atLeast: 1, atMost: 999_999 })).toBe(1);

    // A fresh browser profile starts its counters at 1 again: the file says where the day is.
    const reopened = new CounterFloors(file);
    expect(reopened.claim(ticketA(1))).toBe(8);
    expect(reopened.claim({ businessDay: day, counter: 'slip', atLeast: 1, atMost: 999_999 })).toBe(2);
    expect(reopened.claim({ businessDay: day, counter: 'ticket:B', atLeast: 1, atMost: 150 })).toBe(1);
    expect(reopened.claim({ businessDay: '2026-11-26', counter: 'ticket:A', atLeast: 1, atMost: 200 })).toBe(1);
  });

  it('takes nothing past the quota, and keeps only the last days', () => {
    const floors = new CounterFloors(file);
    expect(floors.claim(ticketA(1, 2))).toBe(1);
    expect(floors.claim(ticketA(1, 2))).toBe(2);
    expect(floors.claim(ticketA(1, 2))).toBeNull();
    expect(floors.claim(ticketA(1, 2))).toBeNull();
    // A refused claim moved nothing: with a higher quota the next number is 3.
    expect(floors.claim(ticketA(1, 3))).toBe(3);

    for (const d of ['2026-11-26', '2026-11-27', '2026-11-28']) floors.claim({ businessDay: d, counter: 'ticket:A', atLeast: 1, atMost: 200 });
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { version: number; days: Record<string, unknown> };
    expect(kept.version).toBe(1);
    expect(Object.keys(kept.days)).toHaveLength(keptDays);
    expect(kept.days[day]).toBeUndefined();
  });

  it('refuses every claim, naming the file and what to do, when the file is damaged; and leaves it as it found it', () => {
    writeFileSync(file, '{"version": 1, "days": {"2026-11-25": {"ticket:A": 4');
    const floors = new CounterFloors(file);
    expect(() => floors.claim(ticketA(1))).toThrow(CounterFloorError);
    expect(() => floors.claim(ticketA(1))).toThrow(new RegExp(`the day counters file ${file} cannot be used \\(it is not JSON: .*\\).*Staff: move the file aside`));
    expect(readFileSync(file, 'utf8')).toBe('{"version": 1, "days": {"2026-11-25": {"ticket:A": 4');

    writeFileSync(file, JSON.stringify({ version: 1, days: { [day]: { 'ticket:A': -3 } } }));
    expect(() => new CounterFloors(file).claim(ticketA(1))).toThrow(/cannot be used \(it is not a counter file: days\.2026-11-25\.ticket:A: /);
  });

  it('hands out nothing when the file cannot be written, and the number is still free once it can', () => {
    // Something in the way of the file being written (as root, permissions would not stop it).
    mkdirSync(`${file}.tmp`);
    const floors = new CounterFloors(file);
    expect(() => floors.claim(ticketA(1))).toThrow(CounterFloorError);
    expect(() => floors.claim(ticketA(1))).toThrow(new RegExp(`cannot keep the day counters in ${file}: EISDIR.*no number is handed out until it can`));

    rmSync(`${file}.tmp`, { recursive: true });
    expect(floors.claim(ticketA(1))).toBe(1);
  });

  it('the kiosk API refuses a counter or a number out of range before anything is kept', async () => {
    const floors = new CounterFloors(file);
    const api = new KioskApiService({
      config: () => {
        throw new Error('not used');
      },
      printer: { status: async () => ({ state: 'ready', paperNearEnd: false }), print: async () => ({ outcome: 'printed', paperNearEnd: false }), printSlip: async () => ({ outcome: 'printed', paperNearEnd: false }), preview: () => null, onStatus: () => () => {}, lastStatus: () => undefined },
      pins: { verify: async () => ({ ok: false }) },
      server: { request: async () => ({ status: 200, body: {} }) as never, status: () => ({}) as never },
      counters: floors,
      system: { version: 't', shell: 'host', startedAt: 0 },
      logger: createKioskLogger({ stdout: false, level: 'silent' }),
    });
    expect(await api.handleCall('counters.claim', [ticketA(1)])).toEqual({ ok: true, result: { number: 1 } });
    expect(await api.handleCall('counters.claim', [{ ...ticketA(1), counter: 'ticket:../../etc' }])).toMatchObject({ ok: false, code: 'invalid' });
    expect(await api.handleCall('counters.claim', [{ ...ticketA(1), businessDay: 'today' }])).toMatchObject({ ok: false, code: 'invalid' });
    expect(await api.handleCall('counters.claim', [ticketA(0)])).toMatchObject({ ok: false, code: 'invalid' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, days: { [day]: { 'ticket:A': 1 } } });
  });
});
