import { mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Keys whose values never reach a log line, at any depth. Citizens' names, ID numbers and phone
 * numbers are personal information; PINs and tokens are credentials.
 */
export const redactedKeys = ['pin', 'token', 'deviceToken', 'name', 'idNumber', 'phone', 'authorization', 'adminPinHash', 'cookie'] as const;
const redactedLower = new Set(redactedKeys.map((k) => k.toLowerCase()));
const censor = '[redacted]';

export interface KioskLoggerOptions {
  /** Directory for kiosk.log; omit to log to stdout only. */
  logDir?: string;
  /** Also write to stdout (the shells do; tests usually do not). */
  stdout?: boolean;
  level?: pino.LevelWithSilent;
  /** Size at which kiosk.log is moved to kiosk.log.1 and a new file started. */
  maxFileBytes?: number;
}

export function createKioskLogger(options: KioskLoggerOptions): Logger {
  const level = options.level ?? 'info';
  const streams: pino.StreamEntry[] = [];
  if (options.stdout ?? true) streams.push({ level: 'trace', stream: process.stdout });
  if (options.logDir) streams.push({ level: 'trace', stream: new RotatingLogFile(join(options.logDir, 'kiosk.log'), options.maxFileBytes ?? 10 * 1024 * 1024) });
  return pino(
    {
      level,
      base: { pid: process.pid },
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
  if (typeof value !== 'object' || value === null) return value;
  // Errors go to pino's serializer intact (their `name` is the error class, not a person).
  if (value instanceof Error || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = redactedLower.has(key.toLowerCase()) ? censor : redactDeep(v, seen);
  return out;
}

/** Synchronous writes (a kiosk logs little, and lines must survive a crash) with one previous file kept. */
class RotatingLogFile implements DestinationStream {
  private readonly destination: ReturnType<typeof pino.destination>;
  private size: number;

  constructor(private readonly file: string, private readonly maxBytes: number) {
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
    try {
      renameSync(this.file, `${this.file}.1`);
    } catch {
      // A missing file has nothing to rotate; a failed rename only means the file keeps growing.
    }
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
