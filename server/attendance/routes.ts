import type { FastifyInstance, FastifyReply } from 'fastify';
import { daysOfMonth } from '../../core/attendance/bulletin.ts';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { addDays } from '../../core/calendar/calendar-day.ts';
import { epochAtWallTime } from '../../core/calendar/wall-clock.ts';
import { hallApi } from '../../core/http/contract.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import { answering } from '../staff/routes.ts';
import { absencesBetween, addAbsence, cancelAbsence, endAbsence } from './absences.ts';
import { buildDayReport, buildMonthlyBulletin } from './bulletin.ts';
import type { AttendanceDeps } from './bulletin.ts';
import { bulletinCsv } from './bulletin-csv.ts';
import type { BulletinLevel } from './bulletin-csv.ts';
import { bulletinXlsx } from './bulletin-xlsx.ts';
import { checkInOnline } from './checkins.ts';
import { departmentSchedules, listWorkSchedules, putWorkSchedule, setDepartmentSchedule } from './schedules.ts';
import { endSpotCheck, spotCheckResults, spotChecksBetween, startSpotCheck } from './spot-checks.ts';

/** The hall days of a month as instants [from, to), on the hall's clock. */
export async function monthSpan(ctx: Pick<RouteContext, 'db'>, month: string): Promise<{ from: number; to: number }> {
  const { timeZone } = await readHallState(ctx.db);
  const days = daysOfMonth(month);
  return { from: epochAtWallTime(days[0]!, '00:00', timeZone), to: epochAtWallTime(addDays(days.at(-1)!, 1), '00:00', timeZone) };
}

export function sendCsv(reply: FastifyReply, filename: string, body: string): string {
  reply.type('text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${filename}"`);
  return body;
}

/**
 * Attendance: a kiosk's check-in decided as it happens; for admins, schedules, leave and outings,
 * spot checks, the daily view and the monthly bulletin.
 */
export function registerAttendanceRoutes(app: FastifyInstance, ctx: RouteContext, deps: AttendanceDeps): void {
  const { db, clock } = ctx;
  const serve = contractRoutes(app, ctx);

  serve(hallApi.attendanceCheckin, async ({ device, body }) => checkInOnline({ db, clock, calendars: deps.calendars }, device.id, body.checkin));

  serve(hallApi.adminWorkSchedules, async () => ({
    schedules: await listWorkSchedules(db),
    departments: await departmentSchedules(db),
  }));

  serve(hallApi.adminWorkScheduleSave, async ({ params: { id }, body }) => {
    const rules = await deps.calendars.rulesInForce();
    return { schedule: await answering(() => putWorkSchedule(db, clock, rules, id, body)) };
  });

  serve(hallApi.adminDepartmentSchedule, async ({ params: { departmentId }, body }) => {
    await answering(() => setDepartmentSchedule(db, clock, departmentId, body.scheduleId));
    return { departmentId, scheduleId: body.scheduleId };
  });

  serve(hallApi.adminAbsences, async ({ query }) => {
    const span = await monthSpan(ctx, query.month);
    return { absences: await absencesBetween(db, span.from, span.to, query.staffId) };
  });

  serve(hallApi.adminAbsenceAdd, async ({ body, admin }, request) => {
    const { timeZone } = await readHallState(db);
    const absence = await answering(() => addAbsence(db, clock, timeZone, body, admin));
    request.log.info({ absence: absence.id, staff: absence.staffId, kind: absence.kind }, 'absence registered');
    return { absence };
  });

  serve(hallApi.adminAbsenceEnd, async ({ params: { id }, body }) => ({ absence: await answering(() => endAbsence(db, clock, id, body.at)) }));

  serve(hallApi.adminAbsenceCancel, async ({ params: { id } }) => {
    if (!(await cancelAbsence(db, clock, id))) throw new ApiError(404, 'not-found', `no absence ${id}`);
    return { id, cancelled: true as const };
  });

  serve(hallApi.adminSpotChecks, async ({ query }) => {
    const span = await monthSpan(ctx, query.month);
    return { spotChecks: await spotChecksBetween(db, span.from, span.to) };
  });

  serve(hallApi.adminSpotCheckStart, async ({ body, admin }, request) => {
    const check = await answering(() => startSpotCheck(db, clock, body, admin));
    request.log.info({ spotCheck: check.id, department: check.departmentId }, 'spot check started');
    return { spotCheck: check };
  });

  serve(hallApi.adminSpotCheckEnd, async ({ params: { id } }) => ({ spotCheck: await answering(() => endSpotCheck(db, clock, id)) }));

  serve(hallApi.adminSpotCheckResults, async ({ params: { id } }) => answering(() => spotCheckResults(db, id)));

  serve(hallApi.adminAttendanceDay, async ({ query }) => {
    const day = query.day ?? businessDayOf(clock.now(), (await readHallState(db)).timeZone);
    return buildDayReport(deps, day, query.department);
  });

  serve(hallApi.adminBulletin, async ({ query }) => ({ bulletin: await buildMonthlyBulletin(deps, query.month, query.department) }));

  serve(hallApi.adminBulletinCsv, async ({ query }, _request, reply) => {
    const report = await buildMonthlyBulletin(deps, query.month, query.department);
    return sendCsv(reply, bulletinFilename(query.month, query.by), bulletinCsv(report, query.by));
  });

  serve(hallApi.adminBulletinXlsx, async ({ query }, _request, reply) => {
    const report = await buildMonthlyBulletin(deps, query.month, query.department);
    return sendXlsx(reply, `attendance-${query.month}.xlsx`, await bulletinXlsx(report));
  });
}

export function sendXlsx(reply: FastifyReply, filename: string, body: Buffer): Buffer {
  reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  reply.header('content-disposition', `attachment; filename="${filename}"`);
  return body;
}

export function bulletinFilename(month: string, level: BulletinLevel): string {
  return `attendance-${month}-${level}.csv`;
}
