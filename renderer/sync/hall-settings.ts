import type { HallSettings } from '../../core/sync/pull.ts';
import type { HallKioskDb } from '../db/hall-kiosk-db.ts';
import { readSyncMeta } from '../db/sync-meta.ts';

/** The hall as the kiosk shows and prints it, and the zone its business day is counted in. */
export interface HallIdentity {
  name: string;
  timeZone: string;
}

/**
 * The hall's name and time zone: the hall server's settings once a pull brought them (cached in
 * Dexie meta as `hall.settings` by the pull), the kiosk's local config before that.
 */
export class KioskHall {
  private hall: HallIdentity;
  private address: string | null = null;

  constructor(local: HallIdentity) {
    this.hall = { name: local.name, timeZone: local.timeZone };
  }

  /** Takes the settings the last pull cached, if any. */
  async load(db: HallKioskDb): Promise<HallIdentity> {
    return this.apply(await readSyncMeta(db, 'hall.settings'));
  }

  /** Takes pulled settings; nothing pulled keeps what the kiosk has. */
  apply(settings: HallSettings | null | undefined): HallIdentity {
    if (settings) {
      this.hall = { name: settings.hallName, timeZone: settings.timeZone };
      this.address = settings.publicAddress ?? null;
    }
    return this.hall;
  }

  /**
   * Where citizens' phones reach the hall server (core/ticket/live-ticket.ts), as the last pull
   * said; null — tickets print no QR — until one says, and for a kiosk with no hall server.
   */
  publicAddress(): string | null {
    return this.address;
  }

  current(): HallIdentity {
    return this.hall;
  }

  /** For the ticket issuer: the zone of the business day, read at each issue. */
  readonly timeZone = (): string => this.hall.timeZone;
}
