import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { PrivilegedPullResponse } from '../../core/sync/privileged-pull.ts';
import type { HallCalendarStore } from '../calendar/calendar-store.ts';
import type { Database } from '../db/schema.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { rosterRevision } from '../staff/roster.ts';
import { rosterChanges } from '../staff/roster-pull.ts';
import { decodeSigned, encodeSigned } from './cursor.ts';

/**
 * Where a kiosk's privileged side is in the roster and the hall calendar. `k` keeps a page's pull
 * cursor (signed with the same key) from passing for one of these.
 */
const privilegedCursorSchema = z.object({
  k: z.literal('privileged'),
  /** server epoch */
  e: z.string().min(1).max(64),
  /** roster revision the kiosk has */
  s: z.int().nonnegative(),
  /** hall calendar revision the kiosk has (0: none) */
  r: z.int().nonnegative(),
});

/**
 * The privileged pull: the roster's changes and the hall calendar when it changed. A cursor this
 * server did not make, of another epoch, or ahead of the database (a restored backup) gets the
 * whole roster and the latest calendar: the kiosk's privileged side then holds exactly what the
 * server holds.
 */
export async function privilegedPull(db: Kysely<Database>, calendars: HallCalendarStore, cursorText: string | undefined): Promise<Omit<PrivilegedPullResponse, 'serverTime'>> {
  const hall = await readHallState(db);
  // Read before the rows: every change up to these is committed, and rows that commit meanwhile
  // come again on the next pull, which is harmless.
  const roster = await rosterRevision(db);
  const rulesRevision = (await calendars.latestRevision()) ?? 0;
  const since = cursorText === undefined ? null : decodeSigned(cursorText, hall.cursorKey, privilegedCursorSchema);
  const full = !since || since.e !== hall.epoch || since.s > roster || since.r > rulesRevision;
  // Before the hall saved a calendar, a full answer carries the rules the server judges by
  // (revision 0): a kiosk has no calendar of its own to fall back on.
  const rules = rulesRevision > 0 ? (full || since.r < rulesRevision ? await calendars.latest() : null) : full ? { revision: 0, rules: await calendars.rulesInForce() } : null;
  // A calendar saved between the two reads is the one sent, so the cursor names that one.
  const cursor = encodeSigned({ k: 'privileged', e: hall.epoch, s: roster, r: rules?.revision ?? rulesRevision }, hall.cursorKey);
  return {
    staff: { cursor, full, ...(await rosterChanges(db, full ? null : since.s)) },
    hallRules: rules?.rules ?? null,
    cursor,
  };
}
