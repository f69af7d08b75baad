import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { ServiceItem } from '../../../core/catalog/catalog.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { TicketIssuer } from '../../../renderer/db/ticket-issuer.ts';
import { demoCatalog } from '../../support/demo-hall.ts';
import { TestClock } from '../../support/test-clock.ts';

export const hallZone = 'Asia/Shanghai';
export const kioskId = 'kiosk-entrance-1';

export function demoService(id: string): ServiceItem {
  const service = demoCatalog.services.find((s) => s.id === id);
  if (!service) throw new Error(`no demo service ${id}`);
  return service;
}

/** One simulated device: its own IndexedDB, which survives "restarts" (new Dexie + new issuer). */
export class KioskDevice {
  readonly indexedDB = new IDBFactory();
  readonly clock: TestClock;
  private readonly opened: HallKioskDb[] = [];

  constructor(startIso: string) {
    this.clock = new TestClock(startIso, { ticking: false });
  }

  openDb(): HallKioskDb {
    const db = new HallKioskDb({ indexedDB: this.indexedDB, IDBKeyRange });
    this.opened.push(db);
    return db;
  }

  /** What a start of the kiosk app does: open the database and make a fresh issuer. */
  start(): { db: HallKioskDb; issuer: TicketIssuer } {
    const db = this.openDb();
    return { db, issuer: new TicketIssuer({ db, clock: this.clock, kioskId, timeZone: hallZone }) };
  }

  close(): void {
    for (const db of this.opened) db.close();
  }
}
