import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PrintResult, TicketPrintJob } from '../../core/printing/printing.ts';
import { KioskApiService } from '../../main/services/kiosk-api-service.ts';
import { createKioskLogger, RecentLogEntries } from '../../main/services/logger.ts';
import { keptPrintDays, PrintedTickets } from '../../main/services/printed-tickets.ts';

// What this kiosk printed, kept by the privileged side: the record 补打 falls back on when the
// browser profile no longer holds the ticket (issue 13 point 3).

let dir: string;
let now: number;
const clock = { now: () => now };
const logger = createKioskLogger({ stdout: false, level: 'silent' });
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-printed-'));
  now = Date.parse('2026-11-25T01:30:00Z');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const day = '2026-11-25';
const idA = '019abcde-0000-7000-8000-000000000001';
const idB = '019abcde-0000-7000-8000-000000000002';
const jobOf = (label: string, footer = '请妥善保管'): TicketPrintJob => ({
  hallName: '市政务服务中心',
  label,
  serviceName: '社会保障卡申领',
  windows: '21–25号窗口',
  issuedAtText: '2026-11-25 09:30',
  qrPayload: `https://hall.example/t/${label}`,
  footer,
});

describe('the tickets this kiosk printed', () => {
  it('keeps every print in the data dir, newest first, counting reprints, for a new run to read', () => {
    const printed = new PrintedTickets(join(dir, 'printed-tickets'), clock, logger);
    printed.note({ ticketId: idA, businessDay: day }, jobOf('D004'));
    now += 60_000;
    printed.note({ ticketId: idB, businessDay: day }, jobOf('D005'));
    now += 60_000;
    printed.note({ ticketId: idA, businessDay: day }, jobOf('D004', '补打'));

    const reopened = new PrintedTickets(join(dir, 'printed-tickets'), clock, logger);
    const tickets = reopened.ofDay(day);
    expect(tickets.map((t) => [t.label, t.prints, t.job.footer])).toEqual([
      ['D004', 2, '补打'],
      ['D005', 1, '请妥善保管'],
    ]);
    expect(tickets[0]).toMatchObject({ ticketId: idA, businessDay: day, printedAt: now });
    expect(reopened.ofDay('2026-11-26')).toEqual([]);
  });

  it('a ticket voided since stays listed, marked voided; a void that cannot be kept is an error', () => {
    const printed = new PrintedTickets(join(dir, 'printed-tickets'), clock, logger);
    printed.note({ ticketId: idA, businessDay: day }, jobOf('D004'));
    now += 60_000;
    printed.note({ ticketId: idB, businessDay: day }, jobOf('D005'));
    printed.noteVoided({ ticketId: idA, businessDay: day });
    expect(new PrintedTickets(join(dir, 'printed-tickets'), clock, logger).ofDay(day).map((t) => [t.label, t.voided])).toEqual([
      ['D005', false],
      ['D004', true],
    ]);
    // A void of a ticket never printed here adds nothing to the list.
    printed.noteVoided({ ticketId: '019abcde-0000-7000-8000-000000000009', businessDay: day });
    expect(printed.ofDay(day)).toHaveLength(2);

    appendFileSync(join(dir, 'blocked'), '');
    expect(() => new PrintedTickets(join(dir, 'blocked'), clock, logger).noteVoided({ ticketId: idA, businessDay: day })).toThrow(/EEXIST|ENOTDIR/);
  });

  it('skips a line a power cut left half written, and keeps only the last days', () => {
    const printed = new PrintedTickets(join(dir, 'printed-tickets'), clock, logger);
    printed.note({ ticketId: idA, businessDay: day }, jobOf('D004'));
    appendFileSync(join(dir, 'printed-tickets', `${day}.jsonl`), '{"ticketId":"019abcde-0000-7000-8000-0000000');
    expect(printed.ofDay(day).map((t) => t.label)).toEqual(['D004']);

    for (const later of ['2026-11-26', '2026-11-27', '2026-11-28']) printed.note({ ticketId: idB, businessDay: later }, jobOf('D001'));
    expect(readdirSync(join(dir, 'printed-tickets')).sort()).toHaveLength(keptPrintDays);
    expect(printed.ofDay(day)).toEqual([]);
  });

  it('a record that cannot be written is logged and the print still answered', () => {
    const recent = new RecentLogEntries();
    const quiet = createKioskLogger({ stdout: false, recent });
    // A plain file where the directory should be.
    appendFileSync(join(dir, 'blocked'), '');
    const printed = new PrintedTickets(join(dir, 'blocked'), clock, quiet);
    expect(() => printed.note({ ticketId: idA, businessDay: day }, jobOf('D004'))).not.toThrow();
    expect(recent.list()[0]?.message).toMatch(/^could not record a printed ticket/);
  });

  it('the kiosk API records a ticket printed, or maybe printed, with its ref; never a certain failure; and shows the record to signed-in staff only', async () => {
    const printed = new PrintedTickets(join(dir, 'printed-tickets'), clock, logger);
    const outcomes: PrintResult[] = [
      { outcome: 'printed', paperNearEnd: false },
      { outcome: 'paper-out', paperNearEnd: false },
      { outcome: 'unknown', paperNearEnd: false },
    ];
    let signedIn = false;
    const api = new KioskApiService({
      config: () => {
        throw new Error('not used');
      },
      printer: {
        status: async () => ({ state: 'ready', paperNearEnd: false }),
        print: async () => outcomes.shift()!,
        printSlip: async () => ({ outcome: 'printed', paperNearEnd: false }),
        preview: () => null,
        onStatus: () => () => {},
        lastStatus: () => undefined,
      },
      pins: { verify: async () => ({ ok: true }), signedIn: () => signedIn },
      server: { request: async () => ({ status: 200, body: {} }) as never, status: () => ({}) as never },
      printedTickets: printed,
      system: { version: 't', shell: 'host', startedAt: 0 },
      logger,
    });
    expect(await api.handleCall('printer.print', [jobOf('D004'), { ticketId: idA, businessDay: day }])).toMatchObject({ ok: true, result: { outcome: 'printed' } });
    expect(await api.handleCall('printer.print', [jobOf('D005'), { ticketId: idB, businessDay: day }])).toMatchObject({ ok: true, result: { outcome: 'paper-out' } });
    // A job without a ref (a test page, an older page) prints as before and is recorded nowhere.
    expect(await api.handleCall('printer.print', [jobOf('D006')])).toMatchObject({ ok: true, result: { outcome: 'unknown' } });
    expect(await api.handleCall('printer.print', [jobOf('D006'), { ticketId: 'not-a-uuid', businessDay: day }])).toMatchObject({ ok: false, code: 'invalid' });

    expect(await api.handleCall('printer.printedTickets', [{ businessDay: day }])).toMatchObject({ ok: false, code: 'signed-out' });
    signedIn = true;
    const answer = await api.handleCall('printer.printedTickets', [{ businessDay: day }]);
    expect(answer.ok && (answer.result as { tickets: { label: string }[] }).tickets.map((t) => t.label)).toEqual(['D004']);

    signedIn = false;
    expect(await api.handleCall('printer.noteVoided', [{ ticketId: idA, businessDay: day }])).toMatchObject({ ok: false, code: 'signed-out' });
    signedIn = true;
    expect(await api.handleCall('printer.noteVoided', [{ ticketId: idA, businessDay: day }])).toEqual({ ok: true, result: { ok: true } });
    expect(printed.ofDay(day)[0]).toMatchObject({ label: 'D004', voided: true });
  });
});
