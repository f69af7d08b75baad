import { afterEach, expect, it } from 'vitest';
import { pushRequestSchema } from '../../../core/sync/push.ts';
import type { SyncEvent } from '../../../core/sync/events.ts';
import type { PushResult } from '../../../core/sync/push.ts';
import { CatalogStore } from '../../../server/catalog/catalog-store.ts';
import { openDatabase } from '../../../server/db/connect.ts';
import type { ServerDb } from '../../../server/db/connect.ts';
import { migrateToLatest } from '../../../server/db/migrations.ts';
import { createDevice } from '../../../server/devices/devices.ts';
import { applyPush } from '../../../server/sync/push.ts';
import { describeEngines } from '../support/engines.ts';
import { mixedOutbox, storedState } from '../support/mixed-outbox.ts';
import { leasesFor } from '../support/number-grants.ts';
import type { Ticket } from '../../../core/ticket/ticket.ts';

const ticketsOf = (events: readonly SyncEvent[]): Ticket[] =>
  events.flatMap((e) => {
    const ticket = e.type === 'ticket.issued' ? (e.payload as { ticket?: Ticket } | null)?.ticket : undefined;
    return ticket && typeof ticket.sequence === 'number' ? [ticket] : [];
  });
import { demoCatalog } from '../../support/demo-hall.ts';

// A push applies its events in blocks, several at once, and sends only the events it cannot vouch
// for through the per-event path. Whatever the batch size, the outcome must be the one of applying
// each event on its own: the same statuses and reasons, and the same rows.
describeEngines('sync push: batches apply as event after event', (engine) => {
  const clock = { now: () => Date.parse('2026-03-02T02:00:00Z') };
  const opened: ServerDb[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
  });

  async function pushInBatches(other: SyncEvent[], mine: SyncEvent[], batchSize: number): Promise<{ results: PushResult[]; state: unknown }> {
    const db = openDatabase((await engine.fresh()).target, { poolSize: 2 });
    opened.push(db);
    await migrateToLatest(db, clock);
    const catalogs = new CatalogStore(db.db);
    await catalogs.import(demoCatalog, clock);
    const a = await createDevice(db.db, clock, 'kiosk A');
    const b = await createDevice(db.db, clock, 'kiosk B');
    const deps = { db: db.db, clock, catalogs };
    // Each kiosk's numbers are its own (leased), but every seventh of A's: those must be refused
    // alike, whether the fast path or the per-event path meets them.
    const grant = leasesFor(() => db.db);
    await grant(b.deviceId, ticketsOf(other));
    await grant(a.deviceId, ticketsOf(mine).filter((_, i) => i % 7 !== 3));
    // As the route hands them over: validated by the wire schema.
    const batch = (events: SyncEvent[]) => pushRequestSchema.parse({ sentAt: clock.now() - 3_000, events });
    await applyPush(deps, b.deviceId, batch(other));
    const results: PushResult[] = [];
    for (let at = 0; at < mine.length; at += batchSize) {
      const outcome = await applyPush(deps, a.deviceId, batch(mine.slice(at, at + batchSize)));
      if (outcome.kind !== 'done') throw new Error(`push refused: ${JSON.stringify(outcome)}`);
      results.push(...outcome.results);
    }
    return { results, state: await storedState(db.db, { [a.deviceId]: 'A', [b.deviceId]: 'B' }) };
  }

  it('gives every status, reason and row of event-by-event application, for mixed outboxes', async () => {
    for (const [seed, faultRate] of [
      [1, 0.02],
      [2, 0.2],
      [3, 0.5],
    ] as const) {
      const { other, mine } = mixedOutbox(seed, 300, { faultRate });
      const single = await pushInBatches(other, mine, 1);
      expect(single.results.map((r) => r.seq)).toEqual(mine.map((e) => e.seq));
      expect(new Set(single.results.map((r) => r.status))).toEqual(new Set(['applied', 'dead-lettered']));
      expect(single.results.some((r) => r.reason?.includes('neither in a lease of this device'))).toBe(true);
      for (const batchSize of [300, 29]) {
        const batched = await pushInBatches(other, mine, batchSize);
        expect(batched.results, `seed ${seed}, batches of ${batchSize}`).toEqual(single.results);
        expect(batched.state, `seed ${seed}, batches of ${batchSize}`).toEqual(single.state);
      }
    }
  }, 60_000);
});
