import type { KioskUse } from './update-policy.ts';

/**
 * Whether someone is using the kiosk, judged from the calls its page makes: a print, a PIN, a
 * fingerprint are a person; the page's own background calls (status, sync, the clock) are not.
 * Used to keep restarts (software updates) away from a citizen mid-task.
 */
const backgroundMethods = new Set(['system.info', 'config.get', 'printer.status', 'printer.preview', 'server.request', 'server.status', 'reader.status', 'hall.rules']);
const printMethods = new Set(['printer.print', 'printer.printSlip']);

export class KioskActivity {
  private lastActivityAt: number | null = null;
  private printsInFlight = 0;

  /** Runs one kiosk call, noting it as use when a person caused it. */
  async track<T>(method: unknown, now: () => number, call: () => Promise<T>): Promise<T> {
    const name = typeof method === 'string' ? method : '';
    const person = name !== '' && !backgroundMethods.has(name);
    const printing = printMethods.has(name);
    if (person) this.lastActivityAt = now();
    if (printing) this.printsInFlight += 1;
    try {
      return await call();
    } finally {
      if (printing) this.printsInFlight -= 1;
      // A long call (a fingerprint enrolment, a slow printer) counts as use until it ends.
      if (person) this.lastActivityAt = now();
    }
  }

  use(): KioskUse {
    return { lastActivityAt: this.lastActivityAt, printsInFlight: this.printsInFlight };
  }
}
