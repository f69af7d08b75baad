import { hallLocalTime } from '../../core/business-day.ts';

/**
 * When a kiosk may check for, and install, a new version. Installing restarts the app: it must
 * never happen under a citizen's finger or in the middle of a ticket, and by default only in the
 * hall's quiet hours, when even the 24-hour area is nearly empty. Pure: time is passed in.
 */
export interface UpdatePolicyOptions {
  /** the hall's zone: the quiet hours are its wall-clock times */
  timeZone: string;
  /** HH:MM–HH:MM in the hall's zone; may cross midnight (e.g. 23:30–05:00) */
  quietHours: { from: string; to: string };
  /** nobody has used the kiosk for this long */
  idleBeforeInstallMs: number;
  checkIntervalMs: number;
  /** spread so a hall's kiosks do not all ask the server at the same second */
  checkJitterMs: number;
}

export const defaultUpdatePolicy: Omit<UpdatePolicyOptions, 'timeZone'> = {
  quietHours: { from: '01:00', to: '05:00' },
  idleBeforeInstallMs: 5 * 60_000,
  checkIntervalMs: 4 * 3_600_000,
  checkJitterMs: 30 * 60_000,
};

export interface KioskUse {
  /** the last call a person caused (a tap that printed, a PIN, a fingerprint); null if none yet */
  lastActivityAt: number | null;
  printsInFlight: number;
}

export type InstallVerdict = { install: true } | { install: false; reason: 'printing' | 'in-use' | 'not-quiet-time' };

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

export function checkPolicyOptions(options: UpdatePolicyOptions): UpdatePolicyOptions {
  for (const [name, value] of Object.entries(options.quietHours)) {
    if (!hhmm.test(value)) throw new Error(`update quiet hours: ${name} "${value}" is not HH:MM`);
  }
  if (options.quietHours.from === options.quietHours.to) throw new Error('update quiet hours: from and to are the same time');
  for (const key of ['idleBeforeInstallMs', 'checkIntervalMs', 'checkJitterMs'] as const) {
    if (!Number.isFinite(options[key]) || options[key] < 0) throw new Error(`update policy: ${key} must be a non-negative number`);
  }
  return options;
}

/** Whether the hall's wall clock at `now` is inside the quiet hours (from inclusive, to exclusive). */
export function isQuietTime(now: number, options: Pick<UpdatePolicyOptions, 'timeZone' | 'quietHours'>): boolean {
  const time = hallLocalTime(now, options.timeZone).time.slice(0, 5);
  const { from, to } = options.quietHours;
  return from < to ? time >= from && time < to : time >= from || time < to;
}

/**
 * `urgent`: the running version was found unhealthy and the feed offers the one before it. Then
 * the quiet hours are not waited for (a broken kiosk serves nobody), but a print in progress and
 * a person at the screen still are.
 */
export function installVerdict(now: number, use: KioskUse, options: UpdatePolicyOptions, urgent = false): InstallVerdict {
  if (use.printsInFlight > 0) return { install: false, reason: 'printing' };
  if (use.lastActivityAt !== null && now - use.lastActivityAt < options.idleBeforeInstallMs) return { install: false, reason: 'in-use' };
  if (!urgent && !isQuietTime(now, options)) return { install: false, reason: 'not-quiet-time' };
  return { install: true };
}

/** The next check after one at `now`; `random` in [0, 1) is injected so tests can pin it. */
export function nextCheckAt(now: number, options: Pick<UpdatePolicyOptions, 'checkIntervalMs' | 'checkJitterMs'>, random: number): number {
  return now + options.checkIntervalMs + Math.floor(random * options.checkJitterMs);
}
