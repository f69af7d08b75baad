import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { CallingSettings } from '../../core/queue/calling-settings.ts';
import type { LegView, PressRefusal, PressResult, WindowView } from '../../core/queue/counter-api.ts';
import type { LegState } from '../../core/queue/leg.ts';
import type { CounterWindow, WindowStatus } from '../../core/queue/window.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import { uniqueViolation } from '../db/constraint-errors.ts';
import type { Database } from '../db/schema.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { CallingEvents } from './calling-events.ts';
import { readHallForCalling } from './calling-settings-store.ts';
import type { StoredLeg } from './leg-rows.ts';

/**
 * One press — at a window, or an admin's on a leg — as one transaction: the caller's lock, the
 * idempotency check, the moves, the hall events and the audit row, all committed together or not
 * at all. A press whose key was seen before changes nothing and gets the first answer again.
 */

export interface CallingDeps {
  db: Kysely<Database>;
  clock: Clock;
  catalogs: CatalogStore;
  /** told after each commit that wrote hall events, so this process's stream reads them at once */
  committed?: () => void;
}

/** A press that cannot be answered with a refusal of the domain: no such window or leg, a key reused… */
export class CallingError extends Error {
  override readonly name = 'CallingError';

  constructor(
    readonly status: 400 | 404 | 409 | 503,
    readonly code: 'not-found' | 'idempotency-key-reused' | 'invalid-body' | 'overloaded',
    message: string,
  ) {
    super(message);
  }
}

/** Thrown inside a press when a row moved under it: the transaction rolls back and runs again. */
export class RetryPress extends Error {
  override readonly name = 'RetryPress';
}

export type PressOutcome = { ok: true; result: PressResult } | { ok: false; refusal: PressRefusal; replayed: boolean };

/** Who pressed, as the audit records it; a replayed key must come from the same press. */
export interface Presser {
  window: number | null;
  staffId: string | null;
  admin: string | null;
  action: string;
}

export interface PressTx {
  trx: Kysely<Database>;
  hallId: string;
  now: number;
  today: BusinessDay;
  settings: CallingSettings;
  events: CallingEvents;
}

export type Acted =
  | {
      kind: 'done';
      /** the window afterwards; null for an admin's press on a leg no window holds */
      window: { window: CounterWindow; status: WindowStatus } | null;
      leg: StoredLeg | null;
      /** the leg's state before the press */
      from: LegState | null;
      created: StoredLeg | null;
    }
  | { kind: 'refused'; refusal: string; reason: LocalizedText; window: { window: CounterWindow; status: WindowStatus } | null; leg: StoredLeg | null };

export function legView(leg: StoredLeg): LegView {
  return {
    id: leg.id,
    ticketId: leg.ticketId,
    parentLegId: leg.parentLegId,
    label: leg.label,
    serviceId: leg.serviceId,
    priority: leg.priority,
    state: leg.state,
    issuedAt: leg.issuedAt,
    pinnedWindow: leg.pinnedWindow,
    window: leg.window,
    calls: leg.calls,
    firstCalledAt: leg.firstCalledAt,
    lastCalledAt: leg.lastCalledAt,
    startedAt: leg.startedAt,
    endedAt: leg.endedAt,
    recycled: leg.recycled,
  };
}

export function windowView(window: CounterWindow, status: WindowStatus): WindowView {
  return { ...window, state: status.state, staffId: status.staffId, legId: status.legId, pause: status.pause, since: status.since };
}

async function previousPress(db: Kysely<Database>, hallId: string, key: string) {
  return db
    .selectFrom('counter_actions')
    .select(['window_number', 'staff_id', 'admin_user', 'action', 'outcome', 'response_json'])
    .where('hall_id', '=', hallId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

function replay(previous: NonNullable<Awaited<ReturnType<typeof previousPress>>>, who: Presser): PressOutcome {
  if (previous.window_number !== who.window || previous.staff_id !== who.staffId || previous.admin_user !== who.admin || previous.action !== who.action) {
    throw new CallingError(409, 'idempotency-key-reused', 'this idempotency key was already used for a different press: make a new key for each press');
  }
  const answer = JSON.parse(previous.response_json) as PressResult | PressRefusal;
  return previous.outcome === 'done' ? { ok: true, result: { ...(answer as PressResult), replayed: true } } : { ok: false, refusal: answer as PressRefusal, replayed: true };
}

/** PostgreSQL's deadlock_detected: one of the transactions is rolled back and may simply run again. */
const isDeadlock = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '40P01';

/**
 * Runs a press. `lock` takes the rows the press serializes on (the window's) before the key is
 * looked up, so a press sent twice at once waits for the first and then finds its key.
 */
export async function runPress(
  deps: CallingDeps,
  key: string,
  who: Presser,
  lock: (tx: PressTx) => Promise<void>,
  act: (tx: PressTx) => Promise<Acted>,
): Promise<PressOutcome> {
  for (let attempt = 1; ; attempt++) {
    let wroteEvents = false;
    try {
      const outcome = await deps.db.transaction().execute(async (trx) => {
        const hall = await readHallForCalling(trx);
        const now = deps.clock.now();
        const tx: PressTx = { trx, hallId: hall.hallId, now, today: businessDayOf(now, hall.timeZone), settings: hall.settings, events: new CallingEvents(now) };
        await lock(tx);
        const previous = await previousPress(trx, tx.hallId, key);
        if (previous) return replay(previous, who);
        const acted = await act(tx);
        let outcome: PressOutcome;
        if (acted.kind === 'done') {
          const written = await tx.events.write(trx, tx.hallId, tx.today, tx.settings);
          wroteEvents = written.length > 0;
          outcome = {
            ok: true,
            result: {
              action: who.action,
              window: acted.window && windowView(acted.window.window, acted.window.status),
              leg: acted.leg && legView(acted.leg),
              created: acted.created && legView(acted.created),
              lastEventId: written.at(-1)?.id ?? null,
              replayed: false,
            },
          };
        } else {
          outcome = { ok: false, refusal: { refusal: acted.refusal, reason: acted.reason }, replayed: false };
        }
        await trx
          .insertInto('counter_actions')
          .values({
            hall_id: tx.hallId,
            id: uuidv7({ msecs: now }),
            idempotency_key: key,
            window_number: who.window,
            staff_id: who.staffId,
            admin_user: who.admin,
            action: who.action,
            leg_id: acted.leg?.id ?? null,
            from_state: acted.kind === 'done' ? acted.from : (acted.leg?.state ?? null),
            to_state: acted.kind === 'done' ? (acted.leg?.state ?? null) : null,
            created_leg_id: acted.kind === 'done' ? (acted.created?.id ?? null) : null,
            outcome: acted.kind,
            refusal: acted.kind === 'refused' ? acted.refusal : null,
            at: now,
            response_json: JSON.stringify(outcome.ok ? outcome.result : outcome.refusal),
          })
          .execute();
        return outcome;
      });
      if (wroteEvents) deps.committed?.();
      return outcome;
    } catch (error) {
      // The same key pressed at another window (or by another admin) at the same moment: its row won.
      if (uniqueViolation(error) !== null) {
        const hallId = (await readHallState(deps.db)).hallId;
        const previous = await previousPress(deps.db, hallId, key);
        if (previous) return replay(previous, who);
      }
      if ((isDeadlock(error) || error instanceof RetryPress) && attempt < 5) continue;
      throw error;
    }
  }
}
