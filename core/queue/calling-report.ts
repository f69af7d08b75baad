import { z } from 'zod';
import { daysOfMonth, monthSchema } from '../attendance/bulletin.ts';
import type { BusinessDay } from '../calendar/business-day.ts';
import { hallLocalTime } from '../calendar/business-day.ts';
import { businessDaySchema } from '../sync/events.ts';
import type { LocalizedText } from '../text/localized.ts';
import type { Leg } from './leg.ts';

/**
 * The hall office's calling reports (叫号统计): per service, window or staff member, per day or per
 * month — served, average and p90 wait, average service time, no-shows, transfers — and the wait by
 * hour of the day. Figures come from the legs alone (a leg is one pass through one window), so a
 * transferred ticket counts once at each window it passed, as the windows' work did.
 */

export const reportDimensions = ['service', 'window', 'staff'] as const;
export type ReportDimension = (typeof reportDimensions)[number];
export const reportPeriods = ['day', 'month'] as const;
export type ReportPeriod = (typeof reportPeriods)[number];

export const reportDimensionNames: { readonly [D in ReportDimension]: LocalizedText } = {
  service: { zh: '按事项', en: 'by service' },
  window: { zh: '按窗口', en: 'by window' },
  staff: { zh: '按工作人员', en: 'by staff member' },
};

/**
 * What a report asks: the days (one day, or a whole month), a row per `by` and per `period`. A
 * month by day gives each group's figures for each day of it.
 */
export const callingReportQuerySchema = z
  .object({
    by: z.enum(reportDimensions).default('service'),
    period: z.enum(reportPeriods).optional(),
    day: businessDaySchema.optional(),
    month: monthSchema.optional(),
  })
  .refine((q) => !(q.day !== undefined && q.month !== undefined), { message: 'give a day or a month, not both' })
  .refine((q) => !(q.day !== undefined && q.period === 'month'), { message: 'a one-day report has rows per day' });
export type CallingReportQuery = z.infer<typeof callingReportQuerySchema>;

/** What a report needs of one leg. */
export interface ReportLeg {
  serviceId: string;
  /** the window that last called it; null when never called */
  window: number | null;
  staffId: string | null;
  businessDay: BusinessDay;
  state: Leg['state'];
  /** when the citizen began waiting for this leg (waitStartOf) */
  waitFrom: number;
  firstCalledAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
}

/**
 * When the wait for a leg began: the ticket's corrected issue time for its first leg; for a
 * transfer's leg the moment of the transfer (it keeps the issue time only to hold its place in
 * the queue, and the wait before the transfer belongs to the first window's figures).
 */
export function waitStartOf(leg: Pick<Leg, 'parentLegId' | 'issuedAt'>, createdAt: number): number {
  return leg.parentLegId === null ? leg.issuedAt : Math.max(leg.issuedAt, createdAt);
}

/**
 * The wait a leg measures, in ms: from waitStartOf to its first call of the last round (a no-show
 * put back waits again, and the citizen's wait is until the call they answered). Null when never
 * called.
 */
export function waitMsOf(leg: Pick<ReportLeg, 'waitFrom' | 'firstCalledAt'>): number | null {
  return leg.firstCalledAt === null ? null : Math.max(0, leg.firstCalledAt - leg.waitFrom);
}

/** 办理时长: from 开始 to 办结, for a finished leg only. */
export function serviceMsOf(leg: Pick<ReportLeg, 'state' | 'startedAt' | 'endedAt'>): number | null {
  if (leg.state !== 'done' || leg.startedAt === null || leg.endedAt === null) return null;
  return Math.max(0, leg.endedAt - leg.startedAt);
}

/** Nearest-rank percentile (the smallest value at least p% of the sample is not above); null for none. */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const mean = (values: readonly number[]): number | null => (values.length === 0 ? null : Math.round(values.reduce((s, v) => s + v, 0) / values.length));

export const reportFiguresSchema = z.object({
  /** legs seen (waiting, called, finished or not) */
  legs: z.int().nonnegative(),
  /** 办结 */
  served: z.int().nonnegative(),
  /** legs called at least once: what the wait figures rest on */
  called: z.int().nonnegative(),
  waitAvgMs: z.int().nonnegative().nullable(),
  waitP90Ms: z.int().nonnegative().nullable(),
  serviceAvgMs: z.int().nonnegative().nullable(),
  /** 过号, as the leg stands now (a no-show reactivated and served counts as served) */
  noShows: z.int().nonnegative(),
  /** 转移 out of this service or window */
  transfers: z.int().nonnegative(),
});
export type ReportFigures = z.infer<typeof reportFiguresSchema>;

export function reportFigures(legs: readonly ReportLeg[]): ReportFigures {
  const waits = legs.map(waitMsOf).filter((w): w is number => w !== null);
  const services = legs.map(serviceMsOf).filter((s): s is number => s !== null);
  return {
    legs: legs.length,
    served: legs.filter((l) => l.state === 'done').length,
    called: waits.length,
    waitAvgMs: mean(waits),
    waitP90Ms: nearestRank(waits, 90),
    serviceAvgMs: mean(services),
    noShows: legs.filter((l) => l.state === 'no-show').length,
    transfers: legs.filter((l) => l.state === 'transferred').length,
  };
}

export const reportRowSchema = reportFiguresSchema.extend({
  /** YYYY-MM-DD or YYYY-MM */
  period: z.string(),
  /** the service id, the window number as text, or the staff id */
  key: z.string(),
});
export type ReportRow = z.infer<typeof reportRowSchema>;

export const hourBucketSchema = z.object({
  /** 0–23, the hall's wall clock when the wait began */
  hour: z.int().min(0).max(23),
  called: z.int().nonnegative(),
  waitAvgMs: z.int().nonnegative().nullable(),
  waitP90Ms: z.int().nonnegative().nullable(),
});
export type HourBucket = z.infer<typeof hourBucketSchema>;

export const callingReportSchema = z.object({
  by: z.enum(reportDimensions),
  period: z.enum(reportPeriods),
  from: businessDaySchema,
  to: businessDaySchema,
  timeZone: z.string(),
  rows: z.array(reportRowSchema),
  total: reportFiguresSchema,
  byHour: z.array(hourBucketSchema).length(24),
  /** display names: services by id, windows by number (as text), staff by id */
  names: z.record(z.string(), z.string()),
});
export type CallingReport = z.infer<typeof callingReportSchema>;

/** The group a leg counts in; null when it has none (a leg never called has no window nor staff). */
export function groupKeyOf(leg: ReportLeg, by: ReportDimension): string | null {
  switch (by) {
    case 'service':
      return leg.serviceId;
    case 'window':
      return leg.window === null ? null : String(leg.window);
    case 'staff':
      return leg.staffId;
  }
}

export function periodKeyOf(day: BusinessDay, period: ReportPeriod): string {
  return period === 'day' ? day : day.slice(0, 7);
}

/** Windows sort by number, the rest by their text. */
function compareKeys(by: ReportDimension, a: string, b: string): number {
  if (by === 'window') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The rows of a report, in period then group order, and the total over every leg given (legs
 * without a group for `by` count in the total only). Legs outside [from, to] are left out.
 */
export function buildCallingReport(input: {
  legs: readonly ReportLeg[];
  by: ReportDimension;
  period: ReportPeriod;
  from: BusinessDay;
  to: BusinessDay;
  timeZone: string;
  names?: Record<string, string>;
}): CallingReport {
  const legs = input.legs.filter((l) => l.businessDay >= input.from && l.businessDay <= input.to);
  const groups = new Map<string, { period: string; key: string; legs: ReportLeg[] }>();
  for (const leg of legs) {
    const key = groupKeyOf(leg, input.by);
    if (key === null) continue;
    const period = periodKeyOf(leg.businessDay, input.period);
    const id = `${period}\u0000${key}`;
    const group = groups.get(id) ?? { period, key, legs: [] };
    group.legs.push(leg);
    groups.set(id, group);
  }
  const rows = [...groups.values()]
    .sort((a, b) => (a.period !== b.period ? (a.period < b.period ? -1 : 1) : compareKeys(input.by, a.key, b.key)))
    .map((g) => ({ period: g.period, key: g.key, ...reportFigures(g.legs) }));
  return {
    by: input.by,
    period: input.period,
    from: input.from,
    to: input.to,
    timeZone: input.timeZone,
    rows,
    total: reportFigures(legs),
    byHour: waitByHour(legs, input.timeZone),
    names: input.names ?? {},
  };
}

/** The wait of the legs called, by the hour of the hall's day their wait began. */
export function waitByHour(legs: readonly ReportLeg[], timeZone: string): HourBucket[] {
  const waits: number[][] = Array.from({ length: 24 }, () => []);
  for (const leg of legs) {
    const wait = waitMsOf(leg);
    if (wait === null) continue;
    const hour = Number(hallLocalTime(leg.waitFrom, timeZone).time.slice(0, 2)) % 24;
    waits[hour]!.push(wait);
  }
  return waits.map((w, hour) => ({ hour, called: w.length, waitAvgMs: mean(w), waitP90Ms: nearestRank(w, 90) }));
}

/** The first and last day of a month, YYYY-MM. */
export function monthSpan(month: string): { from: BusinessDay; to: BusinessDay } {
  const days = daysOfMonth(month);
  return { from: days[0]!, to: days.at(-1)! };
}

/** Minutes with one decimal, as the reports show a duration ("—" for none). */
export function minutesText(ms: number | null): string {
  return ms === null ? '—' : (ms / 60_000).toFixed(1);
}
