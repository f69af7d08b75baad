import { v7 as uuidv7 } from 'uuid';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { SlipMaterialStatus } from '../../core/guide/disclosure-slip.ts';
import { slipSerial } from '../../core/guide/disclosure-slip.ts';
import type { PrintResult } from '../../core/printing/printing.ts';
import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';
import type { HallKioskDb, StoredSlip } from './hall-kiosk-db.ts';
import { appendOutbox } from './outbox.ts';
import { zoneReader, type HallZone } from '../hall-time.ts';

export interface SlipBookOptions {
  db: HallKioskDb;
  clock: Clock;
  kioskId: string;
  /** the hall's IANA zone, read at each slip: the serial carries the hall's date, whatever the machine's zone */
  timeZone: HallZone;
  /** the current estimate of (server − device) clock, stamped on the outbox event */
  clockOffset?: () => number | undefined;
  /**
   * The privileged side's floor of the day's serials, kept outside the browser profile: every
   * serial is claimed from it first, so a wiped profile never prints one again.
   */
  floor?: Pick<KioskApi['counters'], 'claim'>;
}

/** The largest serial number slipSerial writes. */
const maxSerialNumber = 999_999;
const maxClaims = 3;

/** Claimed before the transaction; the transaction found the counter past it (another window, a midnight): claim again. */
class ClaimOvertaken extends Error {}

/** meta key of the last serial number handed out, and the hall date it belongs to */
export const slipCounterKey = 'slip.serial';

interface SlipCounter {
  day: string;
  last: number;
}

function counterOf(value: unknown): SlipCounter | null {
  if (typeof value !== 'object' || value === null) return null;
  const { day, last } = value as Partial<SlipCounter>;
  return typeof day === 'string' && typeof last === 'number' && Number.isInteger(last) && last >= 0 ? { day, last } : null;
}

/**
 * The kiosk's record of disclosure slips (一次性告知单). Each slip gets its serial in the same
 * transaction that stores it, so two slips can never share one, not even from two windows; a
 * slip is synced as 'disclosure.printed' once the printer confirmed it, in the transaction that
 * marks it printed.
 */
export class SlipBook {
  private readonly options: SlipBookOptions;
  private readonly zone: () => string;

  constructor(options: SlipBookOptions) {
    this.options = options;
    this.zone = zoneReader(options.timeZone);
  }

  /** A new slip with the next serial of the hall's day, stored before anything is printed. */
  async open(serviceId: string, materials: { id: string; status: SlipMaterialStatus }[]): Promise<StoredSlip> {
    const { floor } = this.options;
    if (!floor) return this.store(serviceId, materials, null);
    for (let attempt = 1; ; attempt++) {
      // Claimed before the transaction: IndexedDB commits a transaction that waits on another process.
      const claimed = await this.claimSerial(floor);
      try {
        return await this.store(serviceId, materials, claimed);
      } catch (error) {
        if (!(error instanceof ClaimOvertaken) || attempt >= maxClaims) throw error;
      }
    }
  }

  private async claimSerial(floor: NonNullable<SlipBookOptions['floor']>): Promise<{ businessDay: string; number: number }> {
    const { db, clock } = this.options;
    const businessDay = businessDayOf(clock.now(), this.zone());
    const stored = counterOf((await db.meta.get(slipCounterKey))?.value);
    const next = stored?.day === businessDay ? stored.last + 1 : 1;
    const { number } = await floor.claim({ businessDay, counter: 'slip', atLeast: Math.min(next, maxSerialNumber), atMost: maxSerialNumber });
    if (number === null) throw new RangeError(`no slip serial left on ${businessDay}: ${maxSerialNumber} handed out`);
    return { businessDay, number };
  }

  private async store(serviceId: string, materials: { id: string; status: SlipMaterialStatus }[], claimed: { businessDay: string; number: number } | null): Promise<StoredSlip> {
    const { db, clock, kioskId } = this.options;
    return db.transaction('rw', [db.slips, db.meta], async () => {
      const at = clock.now();
      const businessDay = businessDayOf(at, this.zone());
      const stored = counterOf((await db.meta.get(slipCounterKey))?.value);
      const next = stored?.day === businessDay ? stored.last + 1 : 1;
      if (claimed && (claimed.businessDay !== businessDay || next > claimed.number)) throw new ClaimOvertaken();
      // The serials below the claim were printed before this profile's records began.
      const number = claimed ? claimed.number : next;
      const slip: StoredSlip = {
        id: uuidv7({ msecs: at }),
        serial: slipSerial(kioskId, businessDay, number),
        serviceId,
        materials: materials.map(({ id, status }) => ({ id, status })),
        at,
        businessDay,
        state: 'printing',
      };
      await db.meta.put({ key: slipCounterKey, value: { day: businessDay, last: number } satisfies SlipCounter });
      await db.slips.add(slip);
      return slip;
    });
  }

  /** What the printer said; only a confirmed print is recorded for the hall. */
  async recordPrint(slipId: string, result: PrintResult): Promise<StoredSlip> {
    const { db, clock, kioskId } = this.options;
    return db.transaction('rw', [db.slips, db.outbox, db.meta], async () => {
      const slip = await db.slips.get(slipId);
      if (!slip) throw new Error(`no disclosure slip ${slipId}`);
      if (result.outcome !== 'printed') {
        const failed: StoredSlip = { ...slip, state: 'unprinted', lastPrintError: result.detail ? `${result.outcome}: ${result.detail}` : result.outcome };
        await db.slips.put(failed);
        return failed;
      }
      const printed: StoredSlip = { ...slip, state: 'printed' };
      delete printed.lastPrintError;
      await db.slips.put(printed);
      if (slip.state !== 'printed') {
        const now = clock.now();
        const clockOffsetMs = this.options.clockOffset?.();
        await appendOutbox(
          db,
          { type: 'disclosure.printed', slip: { id: slip.id, serial: slip.serial, serviceId: slip.serviceId, materials: slip.materials, at: slip.at } },
          { id: uuidv7({ msecs: now }), kioskId, at: now, ...(clockOffsetMs === undefined ? {} : { clockOffsetMs }) },
        );
      }
      return printed;
    });
  }

  async slip(slipId: string): Promise<StoredSlip | undefined> {
    return this.options.db.slips.get(slipId);
  }
}
