import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../core/calendar/clock.ts';
import type { PrintedTicket, PrintedTicketRef } from '../../core/kiosk/kiosk-api.ts';
import { printedTicketRefSchema } from '../../core/kiosk/kiosk-api.ts';
import type { TicketPrintJob } from '../../core/printing/printing.ts';
import { ticketPrintJobSchema } from '../../core/printing/printing.ts';
import type { Logger } from './logger.ts';

/**
 * What this kiosk printed, per business day, kept by the privileged side in the data dir: the
 * page's own records live in its browser profile, and a wiped profile must not make staff answer
 * 本机今日没有 D004 号票 for a ticket this kiosk printed (补打). One line per print, appended, so a
 * power cut costs at most the line being written; nothing personal is in a ticket job.
 */

const printLineSchema = printedTicketRefSchema.extend({ job: ticketPrintJobSchema, at: z.int().nonnegative() });
const voidLineSchema = printedTicketRefSchema.extend({ voided: z.literal(true), at: z.int().nonnegative() });
const lineSchema = z.union([printLineSchema, voidLineSchema]);
type Line = z.infer<typeof lineSchema>;

/** Days kept: today and the days before it a kiosk may still be asked about. */
export const keptPrintDays = 3;
const dayFile = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

export class PrintedTickets {
  /** this run's lines when there is no data dir */
  private readonly memory = new Map<string, Line[]>();

  /** `dir`: where to keep the day files; null keeps them for this run only */
  constructor(
    private readonly dir: string | null,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Records one print of a ticket. Never throws: the ticket is on paper whatever the disk says. */
  note(ref: PrintedTicketRef, job: TicketPrintJob): void {
    this.append({ ...ref, job, at: this.clock.now() });
  }

  /** Staff voided the ticket: it is not to be reprinted from this record either. Throws when that cannot be kept. */
  noteVoided(ref: PrintedTicketRef): void {
    this.append({ ...ref, voided: true, at: this.clock.now() }, { throwing: true });
  }

  private append(line: Line, options: { throwing?: boolean } = {}): void {
    if (!this.dir) {
      this.memory.set(line.businessDay, [...(this.memory.get(line.businessDay) ?? []), line]);
      return;
    }
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      appendFileSync(join(this.dir, `${line.businessDay}.jsonl`), `${JSON.stringify(line)}\n`, { mode: 0o600 });
      this.prune();
    } catch (error) {
      if (options.throwing) throw error;
      this.logger.error({ err: error }, 'could not record a printed ticket; a wiped page will not find it for a reprint');
    }
  }

  /** The day's printed tickets, newest print first, each with its last job and its number of prints. */
  ofDay(businessDay: string): PrintedTicket[] {
    const byTicket = new Map<string, PrintedTicket>();
    const voided = new Set<string>();
    for (const line of this.lines(businessDay)) {
      if ('voided' in line) {
        voided.add(line.ticketId);
        continue;
      }
      const before = byTicket.get(line.ticketId);
      byTicket.set(line.ticketId, { ticketId: line.ticketId, businessDay: line.businessDay, label: line.job.label, job: line.job, printedAt: line.at, prints: (before?.prints ?? 0) + 1, voided: false });
    }
    for (const id of voided) {
      const ticket = byTicket.get(id);
      if (ticket) ticket.voided = true;
    }
    return [...byTicket.values()].sort((a, b) => b.printedAt - a.printedAt);
  }

  private lines(businessDay: string): Line[] {
    if (!this.dir) return this.memory.get(businessDay) ?? [];
    let text: string;
    try {
      text = readFileSync(join(this.dir, `${businessDay}.jsonl`), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const lines: Line[] = [];
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      // A line cut short by a power cut is the only damage appending can do: it is skipped.
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        continue;
      }
      const line = lineSchema.safeParse(parsed);
      if (line.success && line.data.businessDay === businessDay) lines.push(line.data);
    }
    return lines;
  }

  private prune(): void {
    const days = readdirSync(this.dir!).flatMap((f) => dayFile.exec(f)?.[1] ?? []).sort();
    for (const day of days.slice(0, -keptPrintDays)) rmSync(join(this.dir!, `${day}.jsonl`), { force: true });
  }
}
