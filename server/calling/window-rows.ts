import type { Kysely, Selectable } from 'kysely';
import type { CounterWindow, WindowState, WindowStatus } from '../../core/queue/window.ts';
import { windowProfileSchema } from '../../core/queue/window.ts';
import type { PriorityClass } from '../../core/ticket/ticket.ts';
import { engineOf } from '../db/connect.ts';
import type { CounterWindowsTable, Database } from '../db/schema.ts';

/** A window as the server keeps it: what an admin set, its state now, and its recent calls. */
export interface StoredWindow {
  window: CounterWindow;
  status: WindowStatus;
  /** the priority classes of its latest 叫号 calls, oldest first (the next rule's quota) */
  recentCalls: PriorityClass[];
  version: number;
}

/** The next rule looks at the tail of a window's calls only; the quota is at most 20 (calling-settings.ts). */
const keptCalls = 20;

export function windowOfRow(row: Selectable<CounterWindowsTable>): StoredWindow {
  return {
    window: {
      number: row.number,
      name: row.name,
      departmentId: row.department_id,
      profile: windowProfileSchema.parse(JSON.parse(row.profile_json)),
      hasEvaluator: row.has_evaluator === 1,
    },
    status: {
      state: row.state as WindowState,
      staffId: row.staff_id,
      legId: row.leg_id,
      pause: row.pause_reason === null ? null : { reason: row.pause_reason, since: Number(row.pause_since ?? row.since), note: row.pause_note },
      since: Number(row.since),
    },
    recentCalls: JSON.parse(row.recent_calls_json) as PriorityClass[],
    version: Number(row.version),
  };
}

/**
 * A window's row, locked for the rest of the transaction on PostgreSQL (SQLite's write
 * transaction holds the whole database already): presses at one window take turns.
 */
export async function lockWindow(trx: Kysely<Database>, hallId: string, number: number): Promise<StoredWindow | null> {
  let query = trx.selectFrom('counter_windows').selectAll().where('hall_id', '=', hallId).where('number', '=', number);
  if (engineOf(trx) === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? windowOfRow(row) : null;
}

export async function readWindow(db: Kysely<Database>, hallId: string, number: number): Promise<StoredWindow | null> {
  const row = await db.selectFrom('counter_windows').selectAll().where('hall_id', '=', hallId).where('number', '=', number).executeTakeFirst();
  return row ? windowOfRow(row) : null;
}

export async function readWindows(db: Kysely<Database>, hallId: string): Promise<StoredWindow[]> {
  const rows = await db.selectFrom('counter_windows').selectAll().where('hall_id', '=', hallId).orderBy('number').execute();
  return rows.map(windowOfRow);
}

/**
 * Writes the window's new status; the caller holds its lock. `called`: a 叫号 of a leg of this
 * class, for the quota; `freshDay`: the window opens anew (签到), its earlier calls no longer count.
 */
export async function saveWindowStatus(
  trx: Kysely<Database>,
  hallId: string,
  stored: StoredWindow,
  status: WindowStatus,
  now: number,
  calls: { called?: PriorityClass; freshDay?: boolean } = {},
): Promise<void> {
  const before = calls.freshDay ? [] : stored.recentCalls;
  const recentCalls = calls.called === undefined ? before : [...before, calls.called].slice(-keptCalls);
  await trx
    .updateTable('counter_windows')
    .set({
      state: status.state,
      staff_id: status.staffId,
      leg_id: status.legId,
      pause_reason: status.pause?.reason ?? null,
      pause_note: status.pause?.note ?? null,
      pause_since: status.pause?.since ?? null,
      since: status.since,
      recent_calls_json: JSON.stringify(recentCalls),
      version: stored.version + 1,
      updated_at: now,
    })
    .where('hall_id', '=', hallId)
    .where('number', '=', stored.window.number)
    .execute();
}
