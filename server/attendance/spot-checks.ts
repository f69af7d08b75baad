import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { OpenSpotCheck } from '../../core/attendance/checkin.ts';
import { newSpotCheckSchema } from '../../core/http/admin-api.ts';
import type { SpotCheckWindow } from '../../core/attendance/rules.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { Database, SpotChecksTable } from '../db/schema.ts';
import { StaffError, describeIssues } from '../staff/roster.ts';

const minuteMs = 60_000;

export interface SpotCheckListing extends SpotCheckWindow {
  /** when a supervisor ended it; null if it ran its course (or still runs) */
  endedAt: number | null;
  startedBy: string;
  note: string | null;
}

function listingOf(r: SpotChecksTable): SpotCheckListing {
  const endsAt = Number(r.ends_at);
  const endedAt = r.ended_at === null ? null : Number(r.ended_at);
  return { id: r.id, departmentId: r.department_id, startedAt: Number(r.started_at), endsAt: endedAt === null ? endsAt : Math.min(endsAt, endedAt), endedAt, startedBy: r.started_by, note: r.note };
}

/** 不定期抽查: opens now; kiosks see it on their next pull and offer spot-check mode. */
export async function startSpotCheck(db: Kysely<Database>, clock: Clock, input: unknown, startedBy: string): Promise<SpotCheckListing> {
  const parsed = newSpotCheckSchema.safeParse(input ?? {});
  if (!parsed.success) throw new StaffError(describeIssues(parsed.error));
  const now = clock.now();
  const row: SpotChecksTable = {
    id: uuidv7({ msecs: now }),
    department_id: parsed.data.departmentId,
    started_at: now,
    ends_at: now + parsed.data.minutes * minuteMs,
    ended_at: null,
    started_by: startedBy,
    note: parsed.data.note,
  };
  await db.insertInto('spot_checks').values(row).execute();
  return listingOf(row);
}

export async function endSpotCheck(db: Kysely<Database>, clock: Clock, id: string): Promise<SpotCheckListing> {
  const now = clock.now();
  const row = await db.selectFrom('spot_checks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new StaffError(`no spot check ${id}`, 'not-found');
  if (row.ended_at === null && Number(row.ends_at) > now) {
    await db.updateTable('spot_checks').set({ ended_at: now }).where('id', '=', id).where('ended_at', 'is', null).execute();
    return listingOf({ ...row, ended_at: now });
  }
  return listingOf(row);
}

export async function openSpotChecks(db: Kysely<Database>, now: number): Promise<OpenSpotCheck[]> {
  const rows = await db.selectFrom('spot_checks').selectAll().where('ended_at', 'is', null).where('ends_at', '>', now).where('started_at', '<=', now).orderBy('started_at').execute();
  return rows.map((r) => ({ id: r.id, departmentId: r.department_id, startedAt: Number(r.started_at), endsAt: Number(r.ends_at) }));
}

export async function spotChecksBetween(db: Kysely<Database>, from: number, to: number): Promise<SpotCheckListing[]> {
  const rows = await db.selectFrom('spot_checks').selectAll().where('started_at', '>=', from).where('started_at', '<', to).orderBy('started_at').execute();
  return rows.map(listingOf);
}

/** One person's answer to a spot check: the kiosk check-in that named it. */
export interface SpotCheckResponse {
  checkinId: string;
  staffId: string;
  name: string;
  departmentId: string;
  /** 'spot-check', or 'sign-in' for someone who arrived during the check */
  kind: string;
  /** corrected to the server's clock */
  at: number;
  deviceId: string;
}

/** A spot check and who answered it at a kiosk, first answer first. */
export async function spotCheckResults(db: Kysely<Database>, id: string): Promise<{ spotCheck: SpotCheckListing; responses: SpotCheckResponse[] }> {
  const row = await db.selectFrom('spot_checks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new StaffError(`no spot check ${id}`, 'not-found');
  const answers = await db
    .selectFrom('checkins')
    .innerJoin('staff', 'staff.id', 'checkins.staff_id')
    .select(['checkins.id as checkinId', 'checkins.staff_id as staffId', 'staff.name as name', 'staff.department_id as departmentId', 'checkins.kind as kind', 'checkins.corrected_at as at', 'checkins.device_id as deviceId'])
    .where('checkins.spot_check_id', '=', id)
    .orderBy('checkins.corrected_at')
    .execute();
  return { spotCheck: listingOf(row), responses: answers.map((a) => ({ ...a, at: Number(a.at) })) };
}
