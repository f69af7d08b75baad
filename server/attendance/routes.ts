import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { daysOfMonth, monthSchema } from '../../core/attendance/bulletin.ts';
import { checkinRequestSchema, type CheckinAnswer } from '../../core/attendance/checkin.ts';
import { departmentIdSchema, staffIdSchema, workScheduleIdSchema } from '../../core/attendance/roster.ts';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { addDays, isCalendarDay } from '../../core/calendar/calendar-day.ts';
import { epochAtWallTime } from '../../core/calendar/wall-clock.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { ApiError, parseOrThrow } from '../http/api-error.ts';
import { deviceOf, type RouteContext } from '../http/route-context.ts';
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

const monthQuery = z.object({ month: monthSchema, department: departmentIdSchema.optional() });
const csvQuery = monthQuery.extend({ by: z.enum(['person', 'department']).default('person') });
const dayQuery = z.object({ day: z.string().refine(isCalendarDay, 'day must be YYYY-MM-DD').optional(), department: departmentIdSchema.optional() });
const absenceQuery = z.object({ month: monthSchema, staffId: staffIdSchema.optional() });
const idParams = z.object({ id: z.string().min(1).max(64) });
const endAbsenceBody = z.object({ at: z.int().optional() }).default({});
const departmentScheduleBody = z.object({ scheduleId: workScheduleIdSchema.nullable() });

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
  const admin = { preHandler: ctx.requireAdmin };
  const device = { onRequest: ctx.requireDevice };
  const who = (user: string | null) => user ?? 'admin';

  app.post('/api/v1/attendance/checkins', device, async (request): Promise<CheckinAnswer> => {
    const { id: deviceId } = deviceOf(request);
    const body = parseOrThrow(checkinRequestSchema, request.body, 'check-in');
    return checkInOnline({ db, clock, calendars: deps.calendars }, deviceId, body.checkin);
  });

  app.get('/api/v1/admin/work-schedules', admin, async () => ({
    schedules: await listWorkSchedules(db),
    departments: await departmentSchedules(db),
  }));

  app.put<{ Params: { id: string } }>('/api/v1/admin/work-schedules/:id', admin, async (request) => {
    const id = parseOrThrow(workScheduleIdSchema, request.params.id, 'schedule id');
    const rules = await deps.calendars.rulesInForce();
    return { schedule: await answering(() => putWorkSchedule(db, clock, rules, id, request.body)) };
  });

  app.put<{ Params: { departmentId: string } }>('/api/v1/admin/departments/:departmentId/work-schedule', admin, async (request) => {
    const departmentId = parseOrThrow(departmentIdSchema, request.params.departmentId, 'department id');
    const body = parseOrThrow(departmentScheduleBody, request.body, 'department schedule');
    await answering(() => setDepartmentSchedule(db, clock, departmentId, body.scheduleId));
    return { departmentId, scheduleId: body.scheduleId };
  });

  app.get('/api/v1/admin/absences', admin, async (request) => {
    const query = parseOrThrow(absenceQuery, request.query, 'absences');
    const span = await monthSpan(ctx, query.month);
    return { absences: await absencesBetween(db, span.from, span.to, query.staffId) };
  });

  app.post('/api/v1/admin/absences', admin, async (request) => {
    const { timeZone } = await readHallState(db);
    const absence = await answering(() => addAbsence(db, clock, timeZone, request.body, who(request.adminUser)));
    request.log.info({ absence: absence.id, staff: absence.staffId, kind: absence.kind }, 'absence registered');
    return { absence };
  });

  app.post('/api/v1/admin/absences/:id/end', admin, async (request) => {
    const { id } = parseOrThrow(idParams, request.params, 'absence');
    const body = parseOrThrow(endAbsenceBody, request.body ?? {}, 'end absence');
    return { absence: await answering(() => endAbsence(db, clock, id, body.at)) };
  });

  app.delete('/api/v1/admin/absences/:id', admin, async (request) => {
    const { id } = parseOrThrow(idParams, request.params, 'absence');
    if (!(await cancelAbsence(db, clock, id))) throw new ApiError(404, 'not-found', `no absence ${id}`);
    return { id, cancelled: true };
  });

  app.get('/api/v1/admin/spot-checks', admin, async (request) => {
    const query = parseOrThrow(monthQuery, request.query, 'spot checks');
    const span = await monthSpan(ctx, query.month);
    return { spotChecks: await spotChecksBetween(db, span.from, span.to) };
  });

  app.post('/api/v1/admin/spot-checks', admin, async (request) => {
    const check = await answering(() => startSpotCheck(db, clock, request.body, who(request.adminUser)));
    request.log.info({ spotCheck: check.id, department: check.departmentId }, 'spot check started');
    return { spotCheck: check };
  });

  app.post('/api/v1/admin/spot-checks/:id/end', admin, async (request) => {
    const { id } = parseOrThrow(idParams, request.params, 'spot check');
    return { spotCheck: await answering(() => endSpotCheck(db, clock, id)) };
  });

  app.get('/api/v1/admin/spot-checks/:id/results', admin, async (request) => {
    const { id } = parseOrThrow(idParams, request.params, 'spot check');
    return answering(() => spotCheckResults(db, id));
  });

  app.get('/api/v1/admin/attendance/day', admin, async (request) => {
    const query = parseOrThrow(dayQuery, request.query, 'attendance day');
    const day = query.day ?? businessDayOf(clock.now(), (await readHallState(db)).timeZone);
    return buildDayReport(deps, day, query.department);
  });

  app.get('/api/v1/admin/attendance/bulletin', admin, async (request) => {
    const query = parseOrThrow(monthQuery, request.query, 'bulletin');
    return { bulletin: await buildMonthlyBulletin(deps, query.month, query.department) };
  });

  app.get('/api/v1/admin/attendance/bulletin.csv', admin, async (request, reply) => {
    const query = parseOrThrow(csvQuery, request.query, 'bulletin');
    const report = await buildMonthlyBulletin(deps, query.month, query.department);
    return sendCsv(reply, bulletinFilename(query.month, query.by), bulletinCsv(report, query.by));
  });

  app.get('/api/v1/admin/attendance/bulletin.xlsx', admin, async (request, reply) => {
    const query = parseOrThrow(monthQuery, request.query, 'bulletin');
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
