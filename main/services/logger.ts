import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Keys whose values never reach a log line, at any depth. Citizens' names, ID numbers and phone
 * numbers are personal information; PINs and tokens are credentials.
 */
export const redactedKeys = [
  'pin', 'token', 'deviceToken', 'name', 'idNumber', 'idCard', 'phone', 'mobile', 'address',
  'authorization', 'adminPinHash', 'cookie', 'template', 'templates', 'fingerprint',
] as const;
const redactedLower = new Set(redactedKeys.map((k) => k.toLowerCase()));
const censor = '[redacted]';

/**
 * Personal numbers that can hide inside free text (an error message quoting a request, say):
 * resident ID numbers (18 characters, the last may be X) and mainland mobile numbers.
 */
const personalNumberPatterns: ReadonlyArray<[RegExp, string]> = [
  [/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g, '[id-number]'],
  [/(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g, '[phone]'],
];

export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of personalNumberPatterns) out = out.replace(pattern, replacement);
  return out;
}

export interface KioskLoggerOptions {
  /** Directory for kiosk.log; omit to log to stdout only. */
  logDir?: string;
  /** Also write to stdout (the shells do; tests usually do not). */
  stdout?: boolean;
  level?: pino.LevelWithSilent;
  /** Size at which kiosk.log is moved to kiosk.log.1 and a new file started. */
  maxFileBytes?: number;
  /** How many full files to keep beside kiosk.log (kiosk.log.1 newest … kiosk.log.N oldest). */
  keepFiles?: number;
  /** Also keeps the latest warnings and errors in memory, for the maintenance screen. */
  recent?: RecentLogEntries;
}

export function createKioskLogger(options: KioskLoggerOptions): Logger {
  const level = options.level ?? 'info';
  const streams: pino.StreamEntry[] = [];
  if (options.stdout ?? true) streams.push({ level: 'trace', stream: process.stdout });
  if (options.logDir) streams.push({ level: 'trace', stream: new RotatingLogFile(join(options.logDir, kioskLogFileName), options.maxFileBytes ?? 10 * 1024 * 1024, options.keepFiles ?? defaultKeepFiles) });
  if (options.recent) streams.push({ level: 'warn', stream: options.recent });
  return pino(
    {
      level,
      base: { pid: process.pid },
      hooks: {
        // The message is free text: scrub personal numbers from it as from every string value.
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>);
        },
      },
      formatters: {
        log: (object) => redactDeep(object) as Record<string, unknown>,
        bindings: (bindings) => redactDeep(bindings) as Record<string, unknown>,
      },
    },
    pino.multistream(streams),
  );
}

/**
 * Redaction by key name rather than pino's path list: paths only reach the depth they spell out,
 * and a personal field nested one level deeper than anticipated would slip through.
 */
export function redactDeep(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || value === null) return value;
  // Errors keep their shape for pino's serializer (their `name` is the error class, not a
  // person); only the message can carry personal text.
  if (value instanceof Error) {
    if (seen.has(value)) return value;
    seen.add(value);
    const scrubbed = Object.create(Object.getPrototypeOf(value) as object) as Error;
    for (const key of Object.getOwnPropertyNames(value)) (scrubbed as unknown as Record<string, unknown>)[key] = (value as unknown as Record<string, unknown>)[key];
    scrubbed.message = scrubText(value.message);
    if (value.stack) scrubbed.stack = scrubText(value.stack);
    return scrubbed;
  }
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = redactedLower.has(key.toLowerCase()) ? censor : redactDeep(v, seen);
  return out;
}

export const kioskLogFileName = 'kiosk.log';
const defaultKeepFiles = 4;

/** The log files in a log directory, oldest first (kiosk.log.N … kiosk.log.1, kiosk.log). */
export function kioskLogFiles(logDir: string): string[] {
  const rotated = readdirSync(logDir)
    .map((f) => ({ f, n: /^kiosk\.log\.(\d+)$/.exec(f)?.[1] }))
    .filter((e): e is { f: string; n: string } => e.n !== undefined)
    .sort((a, b) => Number(b.n) - Number(a.n))
    .map((e) => join(logDir, e.f));
  const current = join(logDir, kioskLogFileName);
  return existsSync(current) ? [...rotated, current] : rotated;
}

/**
 * Synchronous writes (a kiosk logs little, and lines must survive a crash), keeping a fixed
 * number of full files so months unattended cannot fill the disk. pino-roll does the same
 * asynchronously, which would lose the last lines before a crash.
 */
class RotatingLogFile implements DestinationStream {
  private readonly destination: ReturnType<typeof pino.destination>;
  private size: number;

  constructor(private readonly file: string, private readonly maxBytes: number, private readonly keep: number) {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    this.size = fileSize(file);
    if (this.size >= maxBytes) this.rotate();
    // Logs name kiosks, services and failures: for the kiosk account and its administrators only.
    this.destination = pino.destination({ dest: file, sync: true, mkdir: true, mode: 0o600 });
  }

  write(line: string): void {
    this.destination.write(line);
    this.size += Buffer.byteLength(line);
    if (this.size >= this.maxBytes) {
      this.rotate();
      this.destination.reopen();
    }
  }

  private rotate(): void {
    // A missing file has nothing to move; a failed rename only means the file keeps growing.
    const move = (from: string, to: string) => {
      try {
        renameSync(from, to);
      } catch {
        // see above
      }
    };
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let n = this.keep - 1; n >= 1; n--) move(`${this.file}.${n}`, `${this.file}.${n + 1}`);
    move(this.file, `${this.file}.1`);
    this.size = 0;
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export interface RecentLogEntry {
  at: number;
  level: 'warn' | 'error' | 'fatal';
  message: string;
}

const levelNames: Record<number, RecentLogEntry['level']> = { 40: 'warn', 50: 'error', 60: 'fatal' };

/** The latest warnings and errors, already redacted, kept in memory for the maintenance screen and the heartbeat. */
export class RecentLogEntries implements DestinationStream {
  private readonly entries: RecentLogEntry[] = [];

  constructor(private readonly capacity = 20) {}

  write(line: string): void {
    try {
      const parsed = JSON.parse(line) as { time?: number; level?: number; msg?: string; err?: { message?: string } };
      const level = levelNames[parsed.level ?? 0];
      if (!level) return;
      const detail = parsed.err?.message ? `: ${parsed.err.message}` : '';
      this.entries.unshift({ at: parsed.time ?? 0, level, message: `${parsed.msg ?? ''}${detail}`.slice(0, 300) });
      this.entries.length = Math.min(this.entries.length, this.capacity);
    } catch {
      // not a log line
    }
  }

  /** newest first */
  list(): RecentLogEntry[] {
    return [...this.entries];
  }
}
