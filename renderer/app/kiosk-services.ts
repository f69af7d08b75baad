import { createContext, use } from 'react';
import type { Catalog } from '../../core/catalog/catalog.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { PublicKioskConfig } from '../../core/kiosk/kiosk-config.ts';
import type { ServiceGuide } from '../../core/guide/service-guide.ts';
import type { CheckinBook } from '../attendance/checkin-book.ts';
import type { CatalogSource } from '../db/catalog-cache.ts';
import type { IssuedTally } from '../db/issued-tally.ts';
import type { LoadedHallRules } from '../sync/hall-rules.ts';
import type { SlipBook } from '../db/slip-book.ts';
import type { TicketIssuer } from '../db/ticket-issuer.ts';
import type { IssueTicket } from '../tickets/issue-ticket.ts';
import type { ServiceFinder } from '../search/service-finder.ts';
import type { QueueStateStore } from '../sync/queue-state-store.ts';
import type { SyncEngine } from '../sync/sync-engine.ts';

/** What every screen may use, made once at start-up. */
export interface KioskServices {
  kiosk: KioskApi;
  config: PublicKioskConfig;
  issuer: TicketIssuer;
  /** 确认取号: issue, print and everything in between (tickets/issue-ticket.ts) */
  issueTicket: IssueTicket;
  catalog: Catalog;
  /** the guides (办事指南) of the catalog's services, by service id; a service may have none */
  guides: Readonly<Record<string, ServiceGuide>>;
  /** search over `catalog` and `guides` */
  finder: ServiceFinder;
  /** disclosure slips: serials, records, their outbox events */
  slips: SlipBook;
  clock: Clock;
  /** the kiosk clock corrected by the hall server's offset: what the hall calendar is read by */
  hallClock: Clock;
  /** the hall calendar: the last one pulled, or the file of a kiosk with no hall server; closed all year when neither */
  hallRules: HallRules;
  /** where the catalog and calendar came from; 'none' for either and the kiosk offers nothing, saying why */
  content: { catalog: CatalogSource; hallRules: LoadedHallRules['source'] };
  /** the day's numbers per service, for showing a service as full (额满) */
  tally: IssuedTally;
  /** the sync with the hall server; present (and idle) on a standalone kiosk too */
  sync: Pick<SyncEngine, 'status' | 'kick'>;
  /** the hall server's live queue counts, for "前面还有N人"; never known on a standalone kiosk */
  queue: Pick<QueueStateStore, 'latest'>;
  /** the hall's public address as last pulled (the live ticket's QR), read at each use; null: no QR */
  publicAddress: () => string | null;
  /** staff fingerprint check-ins (who touched comes from the privileged side); absent, the sign-in screen says the reader is unavailable */
  checkins?: CheckinBook;
}

export const KioskServicesContext = createContext<KioskServices | null>(null);

export function useKioskServices(): KioskServices {
  const services = use(KioskServicesContext);
  if (!services) throw new Error('useKioskServices outside KioskServicesContext');
  return services;
}
