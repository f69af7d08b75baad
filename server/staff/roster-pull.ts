import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RosterPull } from '../../core/attendance/roster.ts';
import type { PullResponse } from '../../core/sync/pull.ts';
import { openSpotChecks } from '../attendance/spot-checks.ts';
import type { Database } from '../db/schema.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { memberOf, rosterRevision } from './roster.ts';

/**
 * The roster's own pull position: `<revision>.<epoch>.<mac>`. Signed like the main cursor, so a
 * kiosk can only hand back positions this server gave it; an unknown epoch, or a revision ahead
 * of the database (a restored backup), gets the whole roster instead of changes.
 */
function mac(body: string, key: string): string {
  return createHmac('sha256', key).update(`roster:${body}`).digest().subarray(0, 12).toString('base64url');
}

function encodeRosterCursor(revision: number, epoch: string, key: string): string {
  const body = `${revision}.${epoch}`;
  return `${body}.${mac(body, key)}`;
}

function decodeRosterCursor(text: string, key: string): { revision: number; epoch: string } | null {
  const match = /^(\d{1,15})\.([A-Za-z0-9-]{1,64})\.([A-Za-z0-9_-]+)$/.exec(text);
  if (!match) return null;
  const [, revision, epoch, given] = match as unknown as [string, string, string, string];
  const expected = Buffer.from(mac(`${revision}.${epoch}`, key));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  return { revision: Number(revision), epoch };
}

/**
 * What a kiosk must change in its roster and its reader. `reset` is the main pull's verdict that
 * the server's history is not the kiosk's: then the whole roster goes out as well.
 */
export async function rosterForPull(db: Kysely<Database>, cursorText: string | undefined, reset: boolean): Promise<RosterPull> {
  const hall = await readHallState(db);
  // Read before the rows: every change up to it is committed (see nextRosterRevision), and rows
  // that commit meanwhile come again on the next pull, which is harmless.
  const current = await rosterRevision(db);
  const since = cursorText && !reset ? decodeRosterCursor(cursorText, hall.cursorKey) : null;
  const full = !since || since.epoch !== hall.epoch || since.revision > current;
  return { cursor: encodeRosterCursor(current, hall.epoch, hall.cursorKey), full, ...(await rosterChanges(db, full ? null : since.revision)) };
}

/**
 * The roster's rows changed after revision `after` (null: the whole roster, and no tombstones,
 * since a whole answer replaces what the kiosk holds). The caller reads the current revision
 * before calling, so every change up to it is in the answer.
 */
export async function rosterChanges(db: Kysely<Database>, after: number | null): Promise<Pick<RosterPull, 'members' | 'templates' | 'removedTemplates'>> {
  const since = after ?? -1;
  const members = await db
    .selectFrom('staff')
    .select(['id', 'name', 'department_id', 'counter', 'role', 'schedule_id', 'active'])
    .where('revision', '>', since)
    .orderBy('id')
    .execute();
  const templates = await db.selectFrom('staff_templates').select(['staff_id', 'finger', 'revision']).where('revision', '>', since).orderBy('revision').execute();
  // A tombstone a later re-enrolment of the same finger overrides is not news to anyone.
  const removed =
    after === null
      ? []
      : await db
          .selectFrom('staff_template_tombstones as t')
          .select(['t.staff_id', 't.finger'])
          .distinct()
          .where('t.revision', '>', since)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('staff_templates as s')
                  .select('s.finger')
                  .whereRef('s.staff_id', '=', 't.staff_id')
                  .whereRef('s.finger', '=', 't.finger')
                  .whereRef('s.revision', '>', 't.revision'),
              ),
            ),
          )
          .orderBy('t.staff_id')
          .orderBy('t.finger')
          .execute();
  return {
    members: members.map(memberOf),
    templates: templates.map((t) => ({ staffId: t.staff_id, finger: Number(t.finger), revision: Number(t.revision) })),
    removedTemplates: removed.map((r) => ({ staffId: r.staff_id, finger: Number(r.finger) })),
  };
}

/** What a pull carries for staff sign-in: the roster's changes and the spot checks open now. */
export async function staffPullFields(db: Kysely<Database>, now: number, staffCursor: string | undefined, reset: boolean): Promise<Pick<PullResponse, 'staff' | 'spotChecks'>> {
  return { staff: await rosterForPull(db, staffCursor, reset), spotChecks: await openSpotChecks(db, now) };
}
