import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { EnrolmentAuthoriser } from '../../core/attendance/roster.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import { pinSchema, staffSessionMs, type PinCheck } from '../../core/kiosk/kiosk-api.ts';
import type { KioskConfig } from '../../core/kiosk/kiosk-config.ts';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

// ~50 ms per check on kiosk-class hardware: slow enough to make an offline guess of a
// 6-digit PIN from a stolen config expensive, fast enough for the staff screen.
export const defaultScryptParams: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 32;
const saltLength = 16;

export interface PinStore {
  get(): KioskConfig;
  update(change: (config: KioskConfig) => KioskConfig): KioskConfig;
}

export interface PinServiceOptions {
  config: PinStore;
  clock: Clock;
  maxFailures?: number;
  lockoutMs?: number;
  scryptParams?: ScryptParams;
}

export class PinService {
  // Checks run one at a time, so a burst of parallel guesses cannot all start before the
  // failures that should lock them out are counted.
  private queue: Promise<unknown> = Promise.resolve();
  private readonly maxFailures: number;
  private readonly lockoutMs: number;
  private readonly params: ScryptParams;
  private sessionUntil = 0;
  private openedBy: EnrolmentAuthoriser | null = null;
  private demoFingersUntil = 0;

  constructor(private readonly options: PinServiceOptions) {
    this.maxFailures = options.maxFailures ?? 5;
    this.lockoutMs = options.lockoutMs ?? 5 * 60_000;
    this.params = options.scryptParams ?? defaultScryptParams;
  }

  hasPin(): boolean {
    return this.options.config.get().adminPinHash !== null;
  }

  verify(pin: string): Promise<PinCheck> {
    const run = this.queue.then(() => this.verifyNow(pin));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Locked or not, without spending an attempt. */
  status(): PinCheck {
    const retryAfterSeconds = this.retryAfterSeconds(this.options.clock.now());
    return retryAfterSeconds === null ? { ok: true } : { ok: false, retryAfterSeconds };
  }

  /**
   * A finger the privileged side identified (never the renderer's word): an active admin's opens
   * the same session as the PIN; any other counts as a wrong PIN. Queued with the PIN checks, and
   * refused without counting while the lockout lasts.
   */
  admitFinger(adminStaffId: string | null): Promise<PinCheck> {
    const run = this.queue.then(() => {
      const retryAfterSeconds = this.retryAfterSeconds(this.options.clock.now());
      return retryAfterSeconds === null ? this.settle(adminStaffId === null ? null : { method: 'admin-finger', staffId: adminStaffId }) : { ok: false, retryAfterSeconds };
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** True while a staff member who gave the right PIN (or an admin's finger) has not signed out or timed out. */
  signedIn(): boolean {
    return this.options.clock.now() < this.sessionUntil;
  }

  /** Who opened the session now open (the PIN, or which admin's finger); null when none is. */
  authoriser(): EnrolmentAuthoriser | null {
    return this.signedIn() ? this.openedBy : null;
  }

  /**
   * Simulated fingers (a demo kiosk's reader only) stay allowed for the rest of the session even
   * after the staff screen is left: the demonstrator opens it with the PIN, then shows sign-in at
   * the home screen. They must not outlast that, or a script in the page could place an admin's
   * simulated finger and open the staff screen by itself.
   */
  demoFingersAllowed(): boolean {
    return this.options.clock.now() < this.demoFingersUntil;
  }

  signOut(): void {
    this.sessionUntil = 0;
    this.openedBy = null;
  }

  async setPin(pin: string): Promise<void> {
    const valid = pinSchema.parse(pin);
    const stored = await hashPin(valid, this.params);
    this.options.config.update(({ adminPinLockout: _old, ...c }) => ({ ...c, adminPinHash: stored }));
  }

  private lockout(): { failures: number; lockedUntil: number } {
    return this.options.config.get().adminPinLockout ?? { failures: 0, lockedUntil: 0 };
  }

  private saveLockout(failures: number, lockedUntil: number): void {
    this.options.config.update(({ adminPinLockout: _old, ...c }) => (failures === 0 && lockedUntil === 0 ? c : { ...c, adminPinLockout: { failures, lockedUntil } }));
  }

  private retryAfterSeconds(now: number): number | null {
    const { lockedUntil } = this.lockout();
    if (now >= lockedUntil) return null;
    // A clock set back must not stretch a lockout beyond its length.
    return Math.ceil(Math.min(lockedUntil - now, this.lockoutMs) / 1000);
  }

  private async verifyNow(pin: string): Promise<PinCheck> {
    const retryAfterSeconds = this.retryAfterSeconds(this.options.clock.now());
    if (retryAfterSeconds !== null) return { ok: false, retryAfterSeconds };
    const stored = this.options.config.get().adminPinHash;
    const ok = stored !== null && pinSchema.safeParse(pin).success && (await verifyPinHash(pin, stored));
    return this.settle(ok ? { method: 'pin' } : null);
  }

  /** One attempt's outcome, PIN or finger: a session opened by `opener`, or (null) one more failure toward the lockout. */
  private settle(opener: EnrolmentAuthoriser | null): PinCheck {
    const { failures, lockedUntil } = this.lockout();
    if (opener) {
      if (failures > 0 || lockedUntil > 0) this.saveLockout(0, 0);
      this.openedBy = opener;
      this.sessionUntil = this.options.clock.now() + staffSessionMs;
      this.demoFingersUntil = this.sessionUntil;
      return { ok: true };
    }
    // Written before answering: a restart right after a wrong guess must still count it.
    if (failures + 1 >= this.maxFailures) {
      this.saveLockout(0, this.options.clock.now() + this.lockoutMs);
      return { ok: false, retryAfterSeconds: Math.ceil(this.lockoutMs / 1000) };
    }
    this.saveLockout(failures + 1, 0);
    return { ok: false, attemptsLeft: this.maxFailures - failures - 1 };
  }
}

/** 'scrypt$N$r$p$salt$hash' (salt and hash base64): the parameters travel with the hash so they can be raised later. */
export async function hashPin(pin: string, params: ScryptParams = defaultScryptParams): Promise<string> {
  const salt = randomBytes(saltLength);
  const hash = await derive(pin, salt, keyLength, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPinHash(pin: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  if (!parsed) return false;
  const candidate = await derive(pin, parsed.salt, parsed.hash.length, parsed.params);
  return timingSafeEqual(candidate, parsed.hash);
}

function parseStoredHash(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds keep a tampered config from turning a PIN check into a memory or CPU bomb.
  const sane = Number.isInteger(N) && N >= 2 ** 10 && N <= 2 ** 20 && (N & (N - 1)) === 0
    && Number.isInteger(r) && r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 16;
  if (!sane) return null;
  const salt = Buffer.from(parts[4]!, 'base64');
  const hash = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) return null;
  return { params: { N, r, p }, salt, hash };
}

function derive(pin: string, salt: Buffer, length: number, { N, r, p }: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFKC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * On a kiosk with no PIN yet: take the one given by the environment (tests, scripted installs)
 * or make a random 6-digit one. Returns the generated PIN so the shell can show it once; it is
 * never logged.
 */
export async function ensureAdminPin(pins: PinService, fromEnv: string | undefined): Promise<{ generated: string | null }> {
  if (pins.hasPin()) return { generated: null };
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!pinSchema.safeParse(fromEnv).success) throw new Error('HALL_KIOSK_ADMIN_PIN must be 4–12 digits');
    await pins.setPin(fromEnv);
    return { generated: null };
  }
  const generated = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await pins.setPin(generated);
  return { generated };
}
