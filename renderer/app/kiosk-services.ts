import { createContext, use } from 'react';
import type { Catalog } from '../../core/catalog.ts';
import type { Clock } from '../../core/clock.ts';
import type { KioskApi } from '../../core/kiosk-api.ts';
import type { PublicKioskConfig } from '../../core/kiosk-config.ts';
import type { TicketIssuer } from '../db/ticket-issuer.ts';
import type { SyncEngine } from '../sync/sync-engine.ts';

/** What every screen may use, made once at start-up. */
export interface KioskServices {
  kiosk: KioskApi;
  config: PublicKioskConfig;
  issuer: TicketIssuer;
  catalog: Catalog;
  clock: Clock;
  /** the sync with the hall server; present (and idle) on a standalone kiosk too */
  sync: Pick<SyncEngine, 'status' | 'kick'>;
}

export const KioskServicesContext = createContext<KioskServices | null>(null);

export function useKioskServices(): KioskServices {
  const services = use(KioskServicesContext);
  if (!services) throw new Error('useKioskServices outside KioskServicesContext');
  return services;
}
