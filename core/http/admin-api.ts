import { z } from 'zod';
import type { MonthlyBulletin } from '../attendance/bulletin.ts';
import { monthSchema } from '../attendance/bulletin.ts';
import { departmentIdSchema, enrolmentAuthoriserSchema, staffIdSchema, staffMemberSchema, staffRoles, workScheduleIdSchema } from '../attendance/roster.ts';
import type { DayAttendance, SpotCheckOutcome } from '../attendance/rules.ts';
import { absenceKinds, absenceSchema, workScheduleSchema } from '../attendance/schedule.ts';
import { hallRulesSchema } from '../calendar/calendar-rules.ts';
import { isCalendarDay } from '../calendar/calendar-day.ts';
import { catalogSchema } from '../catalog/catalog.ts';
import { serviceGuidesSchema } from '../guide/service-guide.ts';
import { kioskAlertKinds } from '../kiosk/device-status.ts';
import { printerStates } from '../printing/printing.ts';
import { businessDaySchema } from '../sync/events.ts';

/**
 * The bodies of the hall office's API (/api/v1/admin/…, core/http/contract.ts): what the admin
 * sends and what comes back. The server's stores check the same input schemas, so the CLI and
 * the API refuse alike.
 */

/** A flag in a query string. */
const flag = z.enum(['true', 'false', '1', '0']);
export const isSet = (value: z.infer<typeof flag> | undefined): boolean => value === 'true' || value === '1';

export const adminLoginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
export const adminSessionSchema = z.object({ token: z.string(), expiresAt: z.int() });

// ---- the hall's settings (what every kiosk pulls) ----

/** A change: only the keys given change. The server checks the values (a refusal names the key). */
export const hallSettingsChangeSchema = z
  .object({
    hallName: z.string().min(1).max(60).optional(),
    timeZone: z.string().min(1).max(64).optional(),
    /** null clears it: tickets then print no QR (core/ticket/live-ticket.ts) */
    publicAddress: z.string().max(300).nullable().optional(),
  })
  .strict();
export const hallSettingsAnswerSchema = z.object({
  hallName: z.string(),
  timeZone: z.string(),
  publicAddress: z.string().nullable(),
  version: z.int(),
});

// ---- devices ----

export const newDeviceSchema = z.object({ name: z.string().trim().min(1).max(80) });
export const newDeviceAnswerSchema = z.object({
  deviceId: z.string(),
  name: z.string(),
  /** shown once to the admin; only its hash is stored */
  enrollmentCode: z.string(),
  expiresAt: z.int(),
});
export const deviceSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  enrolled: z.boolean(),
  revokedAt: z.int().nullable(),
  lastSeenAt: z.int().nullable(),
  appVersion: z.string().nullable(),
  lastAppliedSeq: z.int(),
  deadLetters: z.int(),
});
export const deadLetterQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional(), deviceId: z.string().max(64).optional() });
export const deadLetterSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  seq: z.int(),
  lastSeq: z.int(),
  eventId: z.string().nullable(),
  type: z.string().nullable(),
  reason: z.string(),
  payload: z.unknown(),
  createdAt: z.int(),
});

/** A kiosk as the hall office sees it: its latest report and what needs looking at. */
export const kioskStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(['active', 'awaiting-enrollment', 'revoked']),
  lastSeenAt: z.int().nullable(),
  appVersion: z.string().nullable(),
  deadLetters: z.int(),
  report: z
    .object({
      reportedAt: z.int(),
      uptimeSeconds: z.number(),
      pendingEvents: z.int(),
      lastSyncError: z.string().nullable(),
      printer: z.object({ state: z.enum(printerStates), paperNearEnd: z.boolean(), detail: z.string().nullable() }).nullable(),
      backlog: z.object({ since: z.int(), startPending: z.int() }).nullable(),
      reader: z.object({ state: z.enum(['connected', 'disconnected']) }).nullable(),
      storage: z.object({ usedBytes: z.number(), quotaBytes: z.number() }).nullable(),
      diskFreeBytes: z.number().nullable(),
      lastError: z.string().nullable(),
      runtimeVersions: z.string().nullable(),
    })
    .nullable(),
  alerts: z.array(z.enum(kioskAlertKinds)),
});

// ---- catalog ----

export const catalogImportQuerySchema = z.object({ publish: flag.optional() });
export const catalogExportQuerySchema = z.object({ draft: flag.optional() });
/** One problem of a refused import, at its cell or JSON path; a refusal lists them all (`issues`). */
export const importIssueSchema = z.object({ where: z.string(), field: z.string().optional(), message: z.string() });
/**
 * `{catalog, guides}` as JSON, or an .xlsx workbook: the server reads either and answers a
 * refusal with every problem, so the body's shape is checked there, not here.
 */
export const catalogUploadSchema = z.unknown();
const changeCountSchema = z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()) });
export const catalogImportAnswerSchema = z.object({
  importId: z.string(),
  publishedVersion: z.int().nullable(),
  departments: z.int(),
  services: z.int(),
  guides: z.int(),
  /** what kiosks would show differently, for review before publishing */
  changes: z.object({ departments: changeCountSchema, services: changeCountSchema, guides: changeCountSchema, synonyms: changeCountSchema }),
});
export const catalogExportSchema = z.union([
  /** ?draft=true: the latest import */
  z.object({ importId: z.string(), publishedVersion: z.int().nullable(), catalog: catalogSchema, guides: serviceGuidesSchema }),
  z.object({ version: z.int(), catalog: catalogSchema, guides: serviceGuidesSchema }),
]);
export const importRecordSchema = z.object({ id: z.string(), createdAt: z.int(), source: z.string(), publishedVersion: z.int().nullable() });
export const adminStatusSchema = z.object({
  hallName: z.string(),
  timeZone: z.string(),
  epoch: z.string(),
  settingsVersion: z.int(),
  catalogVersion: z.int().nullable(),
  latestImport: importRecordSchema.nullable(),
});

// ---- hall calendar ----

export const storedHallCalendarSchema = z.object({
  /** 0: nothing saved yet, these are the rules kiosks ship with */
  revision: z.int().nonnegative(),
  savedAt: z.int().nullable(),
  source: z.string(),
  rules: hallRulesSchema,
});

// ---- staff and templates ----

const personName = z.string().trim().min(1).max(40);
const counterName = z.string().trim().min(1).max(40).nullable();

export const newStaffSchema = z.object({
  /** 工号; a UUIDv7 is made when absent */
  id: staffIdSchema.optional(),
  name: personName,
  departmentId: departmentIdSchema,
  counter: counterName.default(null),
  role: z.enum(staffRoles).default('staff'),
  scheduleId: workScheduleIdSchema.nullable().default(null),
});
export type NewStaff = z.input<typeof newStaffSchema>;

export const staffPatchSchema = z
  .object({
    name: personName.optional(),
    departmentId: departmentIdSchema.optional(),
    counter: counterName.optional(),
    role: z.enum(staffRoles).optional(),
    scheduleId: workScheduleIdSchema.nullable().optional(),
    /** only `true` (reactivate): deactivating deletes templates and has its own operation */
    active: z.literal(true).optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing to change');
export type StaffPatch = z.input<typeof staffPatchSchema>;

export const staffListQuerySchema = z.object({ department: z.string().max(64).optional(), inactive: z.enum(['0', '1']).optional() });
export const staffListingSchema = staffMemberSchema.extend({
  /** fingers with an enrolled template: metadata only, the templates never leave through admin routes */
  fingers: z.array(z.int()),
  deactivatedAt: z.int().nullable(),
});
export const templateAuditQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) });
export const templateAuditEntrySchema = z.object({
  revision: z.int(),
  staffId: z.string(),
  finger: z.int(),
  deviceId: z.string().nullable(),
  /** null: uploaded by a kiosk older than the audit */
  authorisedBy: enrolmentAuthoriserSchema.nullable(),
  replaced: z.boolean(),
  at: z.int(),
});

// ---- attendance ----

export const departmentScheduleSchema = z.object({ scheduleId: workScheduleIdSchema.nullable() });
export const monthQuerySchema = z.object({ month: monthSchema, department: departmentIdSchema.optional() });
export const bulletinCsvQuerySchema = monthQuerySchema.extend({ by: z.enum(['person', 'department']).default('person') });
export const dayQuerySchema = z.object({ day: z.string().refine(isCalendarDay, 'day must be YYYY-MM-DD').optional(), department: departmentIdSchema.optional() });
export const absenceQuerySchema = z.object({ month: monthSchema, staffId: staffIdSchema.optional() });
/** Absences and spot checks are named by the server's ids. */
export const recordIdSchema = z.string().min(1).max(64);

/**
 * 请假 and 外出 entries. An admin types times the way the hall reads them: a whole day
 * ("2026-03-03", the end day included), a wall-clock time on the hall's clock
 * ("2026-03-03 14:00"), or an instant with its zone.
 */
const hallTime = z.union([z.int(), z.string().trim().min(10).max(40)]);
export const newAbsenceSchema = z.object({
  staffId: staffIdSchema,
  kind: z.enum(absenceKinds),
  from: hallTime,
  to: hallTime,
  note: z.string().trim().max(200).nullable().default(null),
});
export const endAbsenceSchema = z.object({ at: z.int().optional() }).default({});
export const absenceListingSchema = absenceSchema.extend({ createdBy: z.string(), createdAt: z.int() });

export const newSpotCheckSchema = z
  .object({
    /** absent or null: every department */
    departmentId: departmentIdSchema.nullable().default(null),
    /** a forgotten spot check closes by itself */
    minutes: z.int().min(1).max(240).default(30),
    note: z.string().trim().max(200).nullable().default(null),
  })
  .default({ departmentId: null, minutes: 30, note: null });
export const spotCheckListingSchema = z.object({
  id: z.string(),
  departmentId: z.string().nullable(),
  startedAt: z.int(),
  endsAt: z.int(),
  /** when a supervisor ended it; null if it ran its course (or still runs) */
  endedAt: z.int().nullable(),
  startedBy: z.string(),
  note: z.string().nullable(),
});
export const spotCheckResultsSchema = z.object({
  spotCheck: spotCheckListingSchema,
  responses: z.array(
    z.object({
      checkinId: z.string(),
      staffId: z.string(),
      name: z.string(),
      departmentId: z.string(),
      kind: z.string(),
      at: z.int(),
      deviceId: z.string(),
    }),
  ),
});

// The attendance reports are computed by core's own rules (core/attendance/rules.ts, bulletin.ts)
// and typed by them; their schemas check the frame and leave the judged details to those types.
export const dayReportSchema = z.object({
  day: businessDaySchema,
  asOf: z.int(),
  people: z.array(
    z.object({
      staffId: z.string(),
      name: z.string(),
      departmentId: z.string(),
      counter: z.string().nullable(),
      attendance: z.custom<DayAttendance>((v) => typeof v === 'object' && v !== null),
      spotChecks: z.array(z.object({ id: z.string(), outcome: z.custom<SpotCheckOutcome>((v) => typeof v === 'string') })),
    }),
  ),
});
export const bulletinReportSchema = z.custom<MonthlyBulletin & { timeZone: string; departmentNames: Record<string, string> }>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { month?: unknown }).month === 'string',
);
export const workSchedulesSchema = z.object({
  schedules: z.array(workScheduleSchema),
  /** department id → the schedule its staff follow */
  departments: z.record(z.string(), z.string()),
});

/** An admin's leave for one kiosk to enrol one staff member's fingers, for a short while (server/staff/enrolment-grants.ts). */
export const defaultGrantMinutes = 30;
export const maxGrantMinutes = 240;

export const enrolmentGrantRequestSchema = z
  .object({
    /** the kiosk the staff member will stand at (GET /api/v1/admin/devices lists them) */
    deviceId: z.string().min(1).max(64),
    minutes: z.int().min(1).max(maxGrantMinutes).default(defaultGrantMinutes),
  })
  .strict();

export const enrolmentGrantSchema = z.object({
  id: z.string(),
  staffId: z.string(),
  deviceId: z.string(),
  grantedBy: z.string(),
  createdAt: z.int(),
  expiresAt: z.int(),
});
export type EnrolmentGrant = z.infer<typeof enrolmentGrantSchema>;
