import type { BusinessDay } from '../../core/calendar/business-day.ts';
import type { Catalog, ServiceItem } from '../../core/catalog/catalog.ts';
import { leaseSizing } from '../../core/numbering/lease-band.ts';
import { leaseResponseSchema, maxLeaseCount, reserveFromLease } from '../../core/numbering/numbers.ts';
import type { HallKioskDb, StoredReserve } from '../db/hall-kiosk-db.ts';
import type { ServerLink } from './server-link.ts';
import { expectSuccess, SyncFailure } from './sync-failure.ts';
import { serverRequestOf } from '../../core/http/central-server-request.ts';
import { hallApi } from '../../core/http/contract.ts';

/**
 * Numbers still to hand out from the leased reserves of `held` for one service and day. Leased
 * numbers lie above the quota (core/numbering/lease-band.ts): every one left counts.
 */
function numbersLeftOf(held: readonly StoredReserve[], service: ServiceItem, day: BusinessDay): number {
  return held
    .filter((r) => r.leased && r.serviceId === service.id && r.businessDay === day)
    .reduce((sum, r) => sum + Math.max(0, r.last - r.next + 1), 0);
}

/**
 * Keeps a leased reserve for each service on each of `days` (today, and the next day so a kiosk
 * that is offline at opening can still issue) so the kiosk can go on issuing offline. A service
 * whose lease was refused (quota used up, service unknown, day not open) is not asked again for
 * that day: `refused` holds "serviceId@day" keys and lives as long as the engine. The reserves
 * are read once: a round that needs no lease costs one query, not one per service.
 */
export async function topUpLeases(db: HallKioskDb, link: ServerLink, catalog: Catalog, days: readonly BusinessDay[], refused: Set<string>): Promise<number> {
  let leased = 0;
  const held = await db.reserves.toArray();
  for (const day of days) {
    for (const service of catalog.services) {
      const key = `${service.id}@${day}`;
      if (refused.has(key)) continue;
      const { keepAtLeast, leaseCount } = leaseSizing(service.dailyQuota, maxLeaseCount);
      if (numbersLeftOf(held, service, day) >= keepAtLeast) continue;
      const reply = await link.send(serverRequestOf(hallApi.numbersLease, { body: { serviceId: service.id, day, count: leaseCount } }));
      if (reply.status === 409 || reply.status === 404) {
        refused.add(key);
        continue;
      }
      const answer = expectSuccess(reply, `lease ${service.id}`);
      const parsed = leaseResponseSchema.safeParse(answer.body);
      if (!parsed.success) throw new SyncFailure('protocol', 'lease: the server answered with an unexpected body');
      const { lease } = parsed.data;
      await db.transaction('rw', db.reserves, async () => {
        if (!(await db.reserves.get(lease.id))) await db.reserves.add({ ...reserveFromLease(lease), leased: true });
      });
      leased += lease.last - lease.first + 1;
    }
  }
  return leased;
}
