import { Dexie } from 'dexie';
import type { Table } from 'dexie';
import type { Catalog } from '../../core/catalog.ts';
import type { NumberReserve } from '../../core/number-reserve.ts';
import type { Ticket } from '../../core/ticket.ts';
import type { OutboxEntry } from './outbox.ts';

export interface CachedCatalog {
  key: 'current';
  catalog: Catalog;
  savedAt: number;
}

/** A reserve as the kiosk stores it: leased ones came from the hall server's counter. */
export type StoredReserve = NumberReserve & {
  /** from the hall server; a kiosk with a server issues offline from these only */
  leased?: boolean;
};

export interface MetaEntry {
  key: string;
  value: unknown;
}

export interface HallKioskDbOptions {
  name?: string;
  /** tests pass fake-indexeddb's factory and key range here */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

export const hallKioskDbName = 'hall-kiosk';

/**
 * The kiosk's business data. Synced tables are keyed by UUIDv7 strings made on the device, never
 * by auto-increment, so records from many kiosks merge on the server without renumbering.
 */
export class HallKioskDb extends Dexie {
  declare catalog: Table<CachedCatalog, 'current'>;
  declare tickets: Table<Ticket, string>;
  declare outbox: Table<OutboxEntry, string>;
  declare reserves: Table<StoredReserve, string>;
  declare meta: Table<MetaEntry, string>;

  constructor(options: HallKioskDbOptions = {}) {
    super(options.name ?? hallKioskDbName, {
      ...(options.indexedDB && options.IDBKeyRange ? { indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange } : {}),
      // Chrome's default "relaxed" durability may lose a committed transaction on power loss; a
      // ticket that was handed out must survive a power cut.
      chromeTransactionDurability: 'strict',
    });
    // Never edit a shipped version: add version(n + 1) with its upgrade so kiosks in the field migrate.
    this.version(1).stores({
      catalog: 'key',
      tickets: 'id, businessDay, state, [serviceId+businessDay]',
      outbox: 'id, &seq',
      reserves: 'id, [serviceId+businessDay]',
      meta: 'key',
    });
    // Acknowledged events stay a while (a restored server may need them again): each entry says
    // whether it still waits for the server, and the sync engine reads the waiting ones in order.
    this.version(2)
      .stores({ outbox: 'id, &seq, [state+seq]' })
      .upgrade((tx) =>
        tx
          .table('outbox')
          .toCollection()
          .modify((entry: { state?: string }) => {
            entry.state = 'pending';
          }),
      );
  }
}
