import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigService } from '../../main/services/config-service.ts';
import { ensureAdminPin, hashPin, PinService, verifyPinHash, type ScryptParams } from '../../main/services/pin-service.ts';
import { TestClock } from '../support/test-clock.ts';

// Cheap parameters keep the lockout tests fast; the format and the verification path are the same.
const fast: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

let dir: string;
let config: ConfigService;
let clock: TestClock;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-pin-'));
  config = ConfigService.open({
    openStore: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' }),
    file: join(dir, 'config.json'),
    newKioskId: () => 'kiosk-pin-test',
  });
  clock = new TestClock(Date.UTC(2024, 0, 8, 1, 0, 0), { ticking: false });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('PIN hashing', () => {
  it("stores 'scrypt$N$r$p$salt$hash' with a fresh salt each time", async () => {
    const a = await hashPin('924617');
    const b = await hashPin('924617');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPinHash('924617', a)).toBe(true);
    expect(await verifyPinHash('924618', a)).toBe(false);
  });

  it('refuses malformed or absurd stored parameters instead of computing them', async () => {
    const good = await hashPin('1234', fast);
    const [, , r, p, salt, hash] = good.split('$');
    expect(await verifyPinHash('1234', `scrypt$${2 ** 30}$${r}$${p}$${salt}$${hash}`)).toBe(false);
    expect(await verifyPinHash('1234', 'plaintext:1234')).toBe(false);
    expect(await verifyPinHash('1234', `bcrypt$1024$${r}$${p}$${salt}$${hash}`)).toBe(false);
  });

  it('never writes the PIN itself into the config file', async () => {
    const pins = new PinService({ config, clock, scryptParams: fast });
    await pins.setPin('924617');
    const text = readFileSync(config.path, 'utf8');
    expect(text).not.toContain('924617');
    expect(config.get().adminPinHash).toMatch(/^scrypt\$/);
    expect(await pins.verify('924617')).toEqual({ ok: true });
  });
});

describe('PIN lockout', () => {
  it('locks after 5 failures for 5 minutes, even for the right PIN, then unlocks', async () => {
    const pins = new PinService({ config, clock, scryptParams: fast });
    await pins.setPin('2468');
    for (let i = 0; i < 4; i++) expect(await pins.verify('1111')).toEqual({ ok: false, attemptsLeft: 4 - i });
    expect(await pins.verify('1111')).toEqual({ ok: false, retryAfterSeconds: 300 });

    clock.advance(60_000);
    expect(await pins.verify('2468')).toEqual({ ok: false, retryAfterSeconds: 240 });

    clock.advance(4 * 60_000 - 1);
    expect((await pins.verify('2468')).ok).toBe(false);
    clock.advance(1);
    expect(await pins.verify('2468')).toEqual({ ok: true });
  });

  it('counts parallel guesses: a burst cannot slip past the lockout', async () => {
    const pins = new PinService({ config, clock, scryptParams: fast });
    await pins.setPin('2468');
    const guesses = await Promise.all(['0000', '0001', '0002', '0003', '0004', '0005', '2468'].map((g) => pins.verify(g)));
    expect(guesses.filter((g) => g.ok)).toHaveLength(0);
    expect(guesses.at(-1)?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('a success resets the failure count', async () => {
    const pins = new PinService({ config, clock, scryptParams: fast });
    await pins.setPin('2468');
    for (let i = 0; i < 4; i++) await pins.verify('1111');
    expect(await pins.verify('2468')).toEqual({ ok: true });
    for (let i = 0; i < 4; i++) expect(await pins.verify('1111')).toEqual({ ok: false, attemptsLeft: 4 - i });
  });

  it('rejects non-digit input without unlocking anything', async () => {
    const pins = new PinService({ config, clock, scryptParams: fast });
    await pins.setPin('2468');
    expect(await pins.verify('2468 ')).toEqual({ ok: false, attemptsLeft: 4 });
  });

  it('survives a restart: a new service on the same config file is still locked, and counts earlier failures', async () => {
    const pins = new PinService({ config, clock, scryptParams: fast });
    await pins.setPin('2468');
    for (let i = 0; i < 3; i++) await pins.verify('1111');

    const reopen = () =>
      ConfigService.open({
        openStore: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' }),
        file: join(dir, 'config.json'),
        newKioskId: () => 'unused',
      });
    const afterRestart = new PinService({ config: reopen(), clock, scryptParams: fast });
    expect(await afterRestart.verify('1111')).toEqual({ ok: false, attemptsLeft: 1 });
    expect(await afterRestart.verify('1111')).toEqual({ ok: false, retryAfterSeconds: 300 });

    clock.advance(100_000);
    const afterSecondRestart = new PinService({ config: reopen(), clock, scryptParams: fast });
    expect(afterSecondRestart.status()).toEqual({ ok: false, retryAfterSeconds: 200 });
    expect(await afterSecondRestart.verify('2468')).toEqual({ ok: false, retryAfterSeconds: 200 });
    clock.advance(200_000);
    expect(afterSecondRestart.status()).toEqual({ ok: true });
    expect(await afterSecondRestart.verify('2468')).toEqual({ ok: true });
    expect(reopen().get().adminPinLockout).toBeUndefined();
  });

  it('a clock set back does not stretch the lockout beyond its length', async () => {
    const pins = new PinService({ config, clock, scryptParams: fast });
    await pins.setPin('2468');
    for (let i = 0; i < 5; i++) await pins.verify('1111');
    clock.advance(-(24 * 3600_000));
    expect(pins.status()).toEqual({ ok: false, retryAfterSeconds: 300 });
  });

  it('a right PIN opens a staff session that ends on sign-out or after 15 minutes', async () => {
    const pins = new PinService({ config, clock, scryptParams: fast });
    await pins.setPin('2468');
    expect(pins.signedIn()).toBe(false);
    await pins.verify('1111');
    expect(pins.signedIn()).toBe(false);
    await pins.verify('2468');
    expect(pins.signedIn()).toBe(true);
    clock.advance(15 * 60_000);
    expect(pins.signedIn()).toBe(false);
    await pins.verify('2468');
    pins.signOut();
    expect(pins.signedIn()).toBe(false);
  });
});

describe('first-start PIN', () => {
  it('takes HALL_KIOSK_ADMIN_PIN when no PIN is set, and only then', async () => {
    const pins = new PinService({ config, clock, scryptParams: fast });
    expect(await ensureAdminPin(pins, '135790')).toEqual({ generated: null });
    expect(await pins.verify('135790')).toEqual({ ok: true });
    await ensureAdminPin(pins, '000000');
    expect(await pins.verify('135790')).toEqual({ ok: true });
  });

  it('generates a 6-digit PIN when none is given', async () => {
    const pins = new PinService({ config, clock, scryptParams: fast });
    const { generated } = await ensureAdminPin(pins, undefined);
    expect(generated).toMatch(/^\d{6}$/);
    expect(await pins.verify(generated!)).toEqual({ ok: true });
  });

  it('refuses a malformed HALL_KIOSK_ADMIN_PIN', async () => {
    const pins = new PinService({ config, clock, scryptParams: fast });
    await expect(ensureAdminPin(pins, '12ab')).rejects.toThrow(/HALL_KIOSK_ADMIN_PIN/);
    expect(pins.hasPin()).toBe(false);
  });
});
