import type { Kysely } from 'kysely';
import { addDays } from '../../core/calendar/calendar-day.ts';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { epochAtWallTime } from '../../core/calendar/wall-clock.ts';
import type { CallingReport, CallingReportQuery, ReportLeg } from '../../core/queue/calling-report.ts';
import { buildCallingReport, monthSpan, waitStartOf } from '../../core/queue/calling-report.ts';
import type { CounterAudit, CounterAuditQuery } from '../../core/queue/counter-audit.ts';
import { counterAuditPageSize } from '../../core/queue/counter-audit.ts';
import type { LegState } from '../../core/queue/leg.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { Database } from '../db/schema.ts';
import { readHallState } from '../hall/hall-settings.ts';

/**
 * The queries behind the calling reports and the counter audit; every figure is core's
 * (core/queue/calling-report.ts). A report reads the legs of its days once: a month of a busy hall
 * is tens of thousands of small rows, well within one query.
 */

export interface ReportDeps {
  db: Kysely<Database>;
  catalogs: CatalogStore;
}

/** The days a report covers and its rows' period. */
export function reportSpan(query: CallingReportQuery, today: BusinessDay): { from: BusinessDay; to: BusinessDay; period: 'day' | 'month' } {
  if (query.day !== undefined) return { from: query.day, to: query.day, period: 'day' };
  const { from, to } = monthSpan(query.month ?? today.slice(0, 7));
  return { from, to, period: query.period ?? 'month' };
}

export async function readCallingReport(deps: ReportDeps, query: CallingReportQuery, now: number): Promise<CallingReport> {
  const { db } = deps;
  const hall = await readHallState(db);
  const span = reportSpan(query, businessDayOf(now, hall.timeZone));
  const rows = await db
    .selectFrom('ticket_legs')
    .select(['service_id', 'window_number', 'staff_id', 'business_day', 'state', 'parent_leg_id', 'issued_at', 'created_at', 'first_called_at', 'started_at', 'ended_at'])
    .where('hall_id', '=', hall.hallId)
    .where('business_day', '>=', span.from)
    .where('business_day', '<=', span.to)
    .execute();
  const legs: ReportLeg[] = rows.map((r) => ({
    serviceId: r.service_id,
    window: r.window_number,
    staffId: r.staff_id,
    businessDay: r.business_day,
    state: r.state as LegState,
    waitFrom: waitStartOf({ parentLegId: r.parent_leg_id, issuedAt: Number(r.issued_at) }, Number(r.created_at)),
    firstCalledAt: r.first_called_at === null ? null : Number(r.first_called_at),
    startedAt: r.started_at === null ? null : Number(r.started_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
  }));
  return buildCallingReport({ legs, by: query.by, period: span.period, from: span.from, to: span.to, timeZone: hall.timeZone, names: await reportNames(deps, query.by, hall.hallId) });
}

/** The names a report's rows show: services in Chinese from the catalog, windows and staff from their tables. */
async function reportNames(deps: ReportDeps, by: CallingReportQuery['by'], hallId: string): Promise<Record<string, string>> {
  switch (by) {
    case 'service': {
      const catalog = await deps.catalogs.latest();
      return Object.fromEntries((catalog?.catalog.services ?? []).map((s) => [s.id, s.name.zh]));
    }
    case 'window': {
      const windows = await deps.db.selectFrom('counter_windows').select(['number', 'name']).where('hall_id', '=', hallId).execute();
      return Object.fromEntries(windows.map((w) => [String(w.number), w.name]));
    }
    case 'staff': {
      const staff = await deps.db.selectFrom('staff').select(['id', 'name']).execute();
      return Object.fromEntries(staff.map((s) => [s.id, s.name]));
    }
  }
}

/**
 * One page of the counter audit of a hall day, oldest first (the order the day happened in),
 * filtered by window and staff; the ticket's number comes from the leg the press acted on.
 */
export async function readCounterAudit(db: Kysely<Database>, query: CounterAuditQuery, now: number, pageSize = counterAuditPageSize): Promise<CounterAudit> {
  const hall = await readHallState(db);
  const day = query.day ?? businessDayOf(now, hall.timeZone);
  const from = epochAtWallTime(day, '00:00', hall.timeZone);
  const to = epochAtWallTime(addDays(day, 1), '00:00', hall.timeZone);
  let filtered = db.selectFrom('counter_actions as a').where('a.hall_id', '=', hall.hallId).where('a.at', '>=', from).where('a.at', '<', to);
  if (query.window !== undefined) filtered = filtered.where('a.window_number', '=', query.window);
  if (query.staff !== undefined) filtered = filtered.where('a.staff_id', '=', query.staff);
  const counted = await filtered.select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  const rows = await filtered
    .leftJoin('ticket_legs as l', (join) => join.onRef('l.hall_id', '=', 'a.hall_id').onRef('l.id', '=', 'a.leg_id'))
    .select(['a.id', 'a.at', 'a.window_number', 'a.staff_id', 'a.admin_user', 'a.action', 'a.from_state', 'a.to_state', 'a.outcome', 'a.refusal', 'l.label', 'l.service_id'])
    .orderBy('a.at')
    .orderBy('a.id')
    .limit(pageSize)
    .offset((query.page - 1) * pageSize)
    .execute();
  return {
    day,
    page: query.page,
    pageSize,
    total: Number(counted.n),
    entries: rows.map((r) => ({
      id: r.id,
      at: Number(r.at),
      window: r.window_number,
      staffId: r.staff_id,
      admin: r.admin_user,
      action: r.action,
      label: r.label ?? null,
      serviceId: r.service_id ?? null,
      fromState: r.from_state,
      toState: r.to_state,
      outcome: r.outcome,
      refusal: r.refusal,
    })),
  };
}
