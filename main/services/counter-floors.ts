import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { z } from 'zod';
import type { CounterClaim } from '../../core/kiosk/kiosk-api.ts';
import { counterNameSchema } from '../../core/kiosk/kiosk-api.ts';
import { businessDaySchema } from '../../core/sync/events.ts';

/**
 * The highest number this kiosk handed out per business day and counter (a standalone kiosk's
 * ticket numbers per prefix, every kiosk's disclosure slip serials), kept in the data dir. The
 * page numbers from its own database; this floor is what keeps a wiped browser profile from
 * handing out A001 or GZ-…-001 a second time the same day.
 */

const fileSchema = z.object({
  version: z.literal(1),
  days: z.record(businessDaySchema, z.record(counterNameSchema, z.int().nonnegative())),
});
type FloorFile = z.infer<typeof fileSchema>;

/** A claim refused because the floor cannot be trusted or kept: no number is handed out. */
export class CounterFloorError extends Error {
  override readonly name = 'CounterFloorError';
}

/** The days kept: today and the days before it a kiosk may still be catching up on. */
export const keptDays = 3;

export class CounterFloors {
  private days: FloorFile['days'] = {};
  /** why the file on disk cannot be used; every claim fails with it until someone looks */
  private readonly damaged: string | null = null;

  /** `file`: where to keep the floors; null keeps them for this run only (tests, a shell without a data dir) */
  constructor(private readonly file: string | null) {
    if (!file) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // nothing handed out yet
      this.damaged = `cannot read it: ${(error as Error).message}`;
      return;
    }
    let parsed: ReturnType<typeof fileSchema.safeParse>;
    try {
      parsed = fileSchema.safeParse(JSON.parse(text));
    } catch (error) {
      this.damaged = `it is not JSON: ${(error as Error).message}`;
      return;
    }
    if (parsed.success) this.days = parsed.data.days;
    else this.damaged = `it is not a counter file: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).slice(0, 3).join('; ')}`;
  }

  /**
   * The number to hand out: at least `atLeast` (what the page's own counter says is next) and
   * above every number handed out before, kept on disk before it is answered. Null when that
   * would be above `atMost` (the day's 限号): nothing is taken then.
   */
  claim({ businessDay, counter, atLeast, atMost }: CounterClaim): number | null {
    if (this.damaged) {
      throw new CounterFloorError(
        `the day counters file ${this.file} cannot be used (${this.damaged}): without it a wiped browser profile could repeat a number, so none is handed out. ` +
          'Staff: move the file aside and reload the kiosk; the page carries on from its own counters.',
      );
    }
    const floor = this.days[businessDay]?.[counter] ?? 0;
    const number = Math.max(atLeast, floor + 1);
    if (number > atMost) return null;
    const days = prune({ ...this.days, [businessDay]: { ...this.days[businessDay], [counter]: number } });
    this.save(days);
    this.days = days;
    return number;
  }

  private save(days: FloorFile['days']): void {
    if (!this.file) return;
    const text = `${JSON.stringify({ version: 1, days } satisfies FloorFile)}\n`;
    const temporary = `${this.file}.tmp`;
    try {
      // Written aside, flushed and renamed: a power cut leaves the old floors or the new ones.
      const fd = openSync(temporary, 'w', 0o600);
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.file);
    } catch (error) {
      throw new CounterFloorError(`cannot keep the day counters in ${this.file}: ${(error as Error).message}; no number is handed out until it can`, { cause: error });
    }
  }
}

function prune(days: FloorFile['days']): FloorFile['days'] {
  const kept = Object.keys(days).sort().slice(-keptDays);
  return Object.fromEntries(kept.map((day) => [day, days[day]!]));
}
