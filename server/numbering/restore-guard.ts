import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import { CatalogStore } from '../catalog/catalog-store.ts';
import { HallCalendarStore } from '../calendar/calendar-store.ts';
import type { RestoreMarks, RestoreWitness } from '../db/restore-witness.ts';
import type { Database } from '../db/schema.ts';
import { readHallState, type HallState } from '../hall/hall-settings.ts';
import { dayQuotaOf } from '../../core/numbering/day-quota.ts';
import { skipCounterRows, type NumberingTransaction } from './numbering.ts';

/** How far the counters move on a restore unless told otherwise (also `db:mark-restored`'s default). */
export const defaultRestoreSkip = 100;

export interface Recovery {
  /** false when another process (or request) recovered first: nothing was done twice */
  recovered: boolean;
  epoch: string;
  /** counter rows of today and later that were moved */
  counters: number;
  /** admin sessions ended: a backup brings back sessions logged out since it was taken */
  sessionsEnded: number;
}

/**
 * What a restored backup needs before the next number: a new epoch (every kiosk re-checks what the
 * server holds and re-sends what it lost) and the number counters of today and later moved ahead
 * (numbers handed out since the backup may be in citizens' hands before their tickets are re-sent).
 * Every admin session ends too: the backup holds sessions logged out (or revoked) since it was
 * taken, and nothing tells them apart. One transaction, taken only by the first caller that still
 * sees `fromEpoch`, so several server processes (or requests) that notice the same restore skip once. `marks`, when given, are stamped
 * in the same transaction, so the restore witness vouches for the database from then on.
 */
export async function recoverFromRestore(db: Kysely<Database>, clock: Clock, options: { fromEpoch: string; skip: number; marks?: RestoreMarks }): Promise<Recovery> {
  // Read outside the transaction: the stores cache by head, and the skip only needs the quotas.
  const [catalog, calendar] = await Promise.all([new CatalogStore(db).latest(), new HallCalendarStore(db).latest()]);
  const catalogQuotas = new Map(catalog?.catalog.services.map((s) => [s.id, s.dailyQuota]) ?? []);
  const quotaOf = (serviceId: string) => {
    const quota = catalogQuotas.get(serviceId);
    return quota === undefined ? undefined : dayQuotaOf(calendar?.rules ?? null, serviceId, quota);
  };
  return db.transaction().execute(async (trx) => {
    const epoch = randomUUID();
    const now = clock.now();
    const marks = options.marks ? { restore_stamp: options.marks.stamp, restore_generation: options.marks.generation } : {};
    const updated = await trx.updateTable('hall_settings').set({ epoch, epoch_started_at: now, ...marks }).where('id', '=', 1).where('epoch', '=', options.fromEpoch).executeTakeFirst();
    const hall = await readHallState(trx);
    if (Number(updated.numUpdatedRows) !== 1) return { recovered: false, epoch: hall.epoch, counters: 0, sessionsEnded: 0 };
    const counters = await skipCounterRows(trx, businessDayOf(now, hall.timeZone), options.skip, quotaOf, now);
    const ended = await trx.deleteFrom('admin_sessions').executeTakeFirst();
    return { recovered: true, epoch, counters, sessionsEnded: Number(ended.numDeletedRows) };
  });
}

export interface RestoreGuardOptions {
  /** numbers each counter moves on a restore; default defaultRestoreSkip */
  skip?: number;
  log?: { warn(obj: object, msg: string): void };
}

/**
 * A restored backup must not hand out a number a citizen already holds, and nobody has to
 * remember a command for it. The server finds out by itself, before it answers any /next or
 * lease:
 *  - at start, and before every /next and lease, the restore witness (server/db/restore-witness.ts)
 *    compares what the database holds with what lives outside it;
 *  - at a pull, a kiosk's signed cursor showing the server behind it (server/sync/pull.ts) — the
 *    witness's blind spot, a backup restored together with what the witness keeps.
 * Either way recoverFromRestore runs once. `db:mark-restored` stays for operators.
 */
export class RestoreGuard {
  private readonly skip: number;
  private recovering: Promise<string> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly witness: RestoreWitness | null,
    private readonly options: RestoreGuardOptions = {},
  ) {
    this.skip = options.skip ?? defaultRestoreSkip;
  }

  /** Before the server listens: stamps the database as this server's, recovering first if the witness does not vouch for it. */
  async start(): Promise<void> {
    if (!this.witness) return;
    await this.witness.start(this.db);
    const hall = await readHallState(this.db);
    if (!this.witness.vouchesFor(hall.restoreMarks)) {
      await this.recover(hall, 'the database is older than its restore witness says');
      return;
    }
    const marks = this.witness.claim(hall.restoreMarks);
    await this.db.updateTable('hall_settings').set({ restore_stamp: marks.stamp, restore_generation: marks.generation }).where('id', '=', 1).execute();
    this.witness.claimed(marks);
  }

  /**
   * Before a number or lease is handed out, with the hall row numbering read anyway (no extra
   * query): a database put back while this process ran (a point-in-time recovery, a failover) is
   * recovered from here, before the answer.
   */
  async ensure(hall: HallState): Promise<void> {
    if (!this.witness || this.witness.vouchesFor(hall.restoreMarks)) return;
    await this.recover(hall, 'the database changed under the running server');
  }

  /** A kiosk's cursor showed the server behind it: the new epoch the pull answers with. */
  serverBehindDevice(hall: HallState): Promise<string> {
    return this.recover(hall, "a kiosk's pull cursor is ahead of the database");
  }

  /** Runs a transaction that hands out numbers, with the witness's step in it and after it. */
  readonly transaction: NumberingTransaction = async (work) => {
    const witness = this.witness;
    if (!witness) return this.db.transaction().execute(work);
    let generation = 0;
    const result = await this.db.transaction().execute(async (trx) => {
      generation = await witness.advance(trx);
      return work(trx);
    });
    witness.committed(generation);
    return result;
  };

  /** One recovery at a time in this process; the database's epoch check covers the others. */
  private recover(hall: HallState, reason: string): Promise<string> {
    this.recovering ??= (async () => {
      try {
        const marks = this.witness?.claim(hall.restoreMarks);
        const outcome = await recoverFromRestore(this.db, this.clock, { fromEpoch: hall.epoch, skip: this.skip, ...(marks ? { marks } : {}) });
        if (outcome.recovered) {
          if (marks) this.witness!.claimed(marks);
          this.options.log?.warn({ reason, epoch: outcome.epoch, counters: outcome.counters, skip: this.skip, sessionsEnded: outcome.sessionsEnded }, 'restored database: a new epoch started, number counters moved ahead, admins must log in again');
        } else if (this.witness) {
          // Another process recovered first and stamped it; this witness takes the stamp as its own.
          const now = await readHallState(this.db);
          if (now.restoreMarks.stamp !== null && this.witness.vouchesFor(now.restoreMarks)) this.witness.claimed(now.restoreMarks);
        }
        return outcome.epoch;
      } finally {
        this.recovering = null;
      }
    })();
    return this.recovering;
  }
}
