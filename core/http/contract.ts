import { z } from 'zod';
import { departmentIdSchema, fingerIndexSchema, staffIdSchema, staffMemberSchema, templateDownloadSchema, templateUploadSchema, workScheduleIdSchema } from '../attendance/roster.ts';
import { workScheduleSchema } from '../attendance/schedule.ts';
import type { WorkScheduleInput } from '../attendance/schedule.ts';
import type { hallRulesSchema } from '../calendar/calendar-rules.ts';
import { deviceStatusReportSchema } from '../kiosk/device-status.ts';
import { updateHealthReportSchema } from '../kiosk/software-update.ts';
import { leaseRequestSchema, leaseResponseSchema, nextNumberRequestSchema, nextNumberResponseSchema } from '../numbering/numbers.ts';
import { enrollRequestSchema, enrollResponseSchema } from '../sync/enrollment.ts';
import { pullQuerySchema, pullResponseSchema } from '../sync/pull.ts';
import { privilegedPullQuerySchema, privilegedPullResponseSchema } from '../sync/privileged-pull.ts';
import { checkinAnswerSchema, checkinRequestSchema } from '../attendance/checkin.ts';
import { pushRequestSchema, pushResponseSchema } from '../sync/push.ts';
import { queueResponseSchema } from '../ticket/calling-order.ts';
import { queueStateSchema } from '../ticket/queue-state.ts';
import {
  adminLegPressSchema,
  callingSettingsAnswerSchema,
  counterPinAnswerSchema,
  counterPinBodySchema,
  counterPressRequestSchema,
  counterSessionSchema,
  counterSetupSchema,
  counterSignInSchema,
  counterSignOutSchema,
  pressResultSchema,
  windowAnswerSchema,
  windowDefinitionSchema,
  windowListingSchema,
  windowNumberSchema,
  windowQueueSchema,
} from '../queue/counter-api.ts';
import { callingSettingsSchema } from '../queue/calling-settings.ts';
import { callingReportQuerySchema, callingReportSchema } from '../queue/calling-report.ts';
import { counterAuditQuerySchema, counterAuditSchema } from '../queue/counter-audit.ts';
import { hallEventSchema, hallEventsQuerySchema } from '../queue/hall-events.ts';
import { liveTicketViewSchema } from '../queue/live-ticket-view.ts';
import { liveTokenSchema } from '../ticket/live-ticket.ts';
import { displayEnrollSchema, displayIdentitySchema, displayNoticeSchema, displayStateSchema, displaySummarySchema, newDisplayAnswerSchema, newDisplaySchema } from '../display/display.ts';
import {
  absenceListingSchema,
  absenceQuerySchema,
  adminLoginSchema,
  adminSessionSchema,
  adminStatusSchema,
  bulletinCsvQuerySchema,
  bulletinReportSchema,
  catalogExportQuerySchema,
  catalogExportSchema,
  catalogImportAnswerSchema,
  catalogImportQuerySchema,
  catalogUploadSchema,
  dayQuerySchema,
  dayReportSchema,
  deadLetterQuerySchema,
  deadLetterSchema,
  departmentScheduleSchema,
  deviceSummarySchema,
  endAbsenceSchema,
  enrolmentGrantRequestSchema,
  enrolmentGrantSchema,
  kioskStatusSchema,
  monthQuerySchema,
  newAbsenceSchema,
  newDeviceAnswerSchema,
  newDeviceSchema,
  newSpotCheckSchema,
  newStaffSchema,
  recordIdSchema,
  spotCheckListingSchema,
  spotCheckResultsSchema,
  staffListQuerySchema,
  staffListingSchema,
  staffPatchSchema,
  storedHallCalendarSchema,
  hallSettingsAnswerSchema,
  hallSettingsChangeSchema,
  templateAuditEntrySchema,
  templateAuditQuerySchema,
  workSchedulesSchema,
} from './admin-api.ts';
import { route } from './route-contract.ts';
import type { RouteSpec } from './route-contract.ts';

/**
 * Every route of the hall server, the one place its paths are written (lint refuses a literal
 * '/api/v1' anywhere else). The server registers each from here (server/http/contract-routes.ts);
 * the kiosk builds its requests from here (`requestOf(hallApi.numbersNext, { body })`), and the
 * page's allow-list (core/http/central-server-request.ts) is the entries with `page`.
 *
 * Responses carry `serverTime` (epoch ms) beside what the schemas list; errors are
 * core/sync/errors.ts's `{ error: { code, message, … } }`.
 */

/** What the page may put in a URL: no dots or escapes, so no parser can make "%2e%2e" a step up the path. */
const serviceIdText = '[A-Za-z0-9_-]{1,64}';
/** Cursors are base64url with a dot, left as they are by encodeURIComponent. */
const cursorText = '[A-Za-z0-9_.%-]{1,2048}';

const templateParams = { staffId: staffIdSchema, finger: fingerIndexSchema };
/** An id the server made (a device, an absence, a spot check): looked up, never trusted for more. */
const opaqueId = z.string().min(1).max(100);

/** A work schedule without its id, which the path gives; checked in full (refinements too) by the store. */
const workScheduleFieldsSchema = z.custom<Omit<WorkScheduleInput, 'id'>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'a work schedule is a JSON object');

/**
 * The hall's rules as core/calendar/calendar-rules.ts has them (`revision` is the server's to
 * set). Only typed here: the store checks them in full and refuses with every problem at once.
 */
const hallRulesUploadSchema = z.custom<z.input<typeof hallRulesSchema>>(() => true);

const api = '/api/v1';
const admin = `${api}/admin`;

export const hallApi = {
  // ---- anyone ----
  time: route({
    method: 'GET',
    path: `${api}/time`,
    caller: 'public',
    summary: 'server time',
    response: z.object({ serverTime: z.int() }),
    page: {},
  }),
  devicesEnroll: route({
    method: 'POST',
    path: `${api}/devices/enroll`,
    caller: 'public',
    summary: 'enrollment',
    body: enrollRequestSchema,
    response: enrollResponseSchema,
  }),
  /**
   * a hall screen's page exchanges its one-time code (once): the answer sets the display's token
   * as an HttpOnly cookie scoped to `displayApiPrefix`, never in the body or a URL
   */
  displaysEnroll: route({ method: 'POST', path: `${api}/displays/enroll`, caller: 'public', summary: 'display enrollment', body: displayEnrollSchema, response: displayIdentitySchema }),

  // ---- a hall screen (display token) ----
  /** what the screen shows now; its stream carries on from `lastEventId` */
  displayState: route({ method: 'GET', path: `${api}/display/state`, caller: 'display', summary: 'display state', response: displayStateSchema }),
  /** the hall event stream of the screen's zone (its window, for a 窗口屏): calls, windows, waiting counts */
  displayEvents: route({
    method: 'GET',
    path: `${api}/display/events`,
    caller: 'display',
    summary: 'display events',
    query: z.object({ lastEventId: z.string().max(20).optional() }),
    response: { kind: 'event-stream', contentType: 'text/event-stream', events: hallEventSchema },
  }),

  /** the kiosks' software (electron-updater's generic provider); nothing secret, each file checked by its SHA-512 */
  updateFile: route({
    method: 'GET',
    path: '/updates/:channel/:file',
    caller: 'public',
    summary: 'update file',
    params: { channel: z.string().min(1).max(100), file: z.string().min(1).max(100) },
    response: { kind: 'file', contentType: 'text/yaml or application/octet-stream' },
  }),
  adminLogin: route({
    method: 'POST',
    path: `${admin}/login`,
    caller: 'public',
    summary: 'login',
    body: adminLoginSchema,
    response: adminSessionSchema,
  }),

  // ---- kiosks ----
  syncPush: route({
    method: 'POST',
    path: `${api}/sync/push`,
    caller: 'device',
    summary: 'push',
    body: pushRequestSchema,
    response: pushResponseSchema,
    page: {},
  }),
  syncPull: route({
    method: 'GET',
    path: `${api}/sync/pull`,
    caller: 'device',
    summary: 'pull',
    query: pullQuerySchema,
    response: pullResponseSchema,
    // The page's pull leaves the roster to the privileged side, so it sends no staff cursor.
    page: { query: { cursor: cursorText, for: 'page' } },
  }),
  numbersNext: route({
    method: 'POST',
    path: `${api}/numbers/next`,
    caller: 'device',
    summary: 'next number',
    body: nextNumberRequestSchema,
    response: nextNumberResponseSchema,
    page: {},
  }),
  numbersLease: route({
    method: 'POST',
    path: `${api}/numbers/lease`,
    caller: 'device',
    summary: 'lease',
    body: leaseRequestSchema,
    response: leaseResponseSchema,
    page: {},
  }),
  /** the privileged side's own pull: the roster, which templates exist, the hall rules (core/sync/privileged-pull.ts) */
  syncPrivilegedPull: route({
    method: 'GET',
    path: `${api}/sync/privileged-pull`,
    caller: 'device',
    summary: 'privileged pull',
    query: privilegedPullQuerySchema,
    response: privilegedPullResponseSchema,
  }),
  /** a staff check-in, decided by the server with every kiosk's check-ins (core/attendance/checkin-decision.ts) */
  attendanceCheckin: route({
    method: 'POST',
    path: `${api}/attendance/checkins`,
    caller: 'device',
    summary: 'check-in',
    body: checkinRequestSchema,
    response: checkinAnswerSchema,
    page: {},
  }),
  /** the live queue counts as server-sent events: the privileged side's own stream, not the page's */
  queueStream: route({
    method: 'GET',
    path: `${api}/queue/stream`,
    caller: 'device',
    summary: 'queue stream',
    response: { kind: 'event-stream', contentType: 'text/event-stream', events: queueStateSchema },
  }),
  queue: route({
    method: 'GET',
    path: `${api}/queue/:serviceId`,
    caller: 'device',
    summary: 'queue',
    params: { serviceId: z.string().min(1).max(100) },
    response: queueResponseSchema,
    page: { params: { serviceId: serviceIdText } },
  }),
  /** the kiosk's report for the hall office (core/kiosk/device-status.ts) */
  devicesStatus: route({
    method: 'POST',
    path: `${api}/devices/status`,
    caller: 'device',
    summary: 'status report',
    body: deviceStatusReportSchema,
    response: z.object({ recorded: z.literal(true) }),
    page: {},
  }),
  /** a software update that did not come up healthy (core/kiosk/software-update.ts); sent by the privileged side */
  updatesHealth: route({
    method: 'POST',
    path: `${api}/updates/health`,
    caller: 'device',
    summary: 'update health report',
    body: updateHealthReportSchema,
    // kiosks: how many enrolled kiosks reported this release; quorum: how many withdraw it for the hall
    response: z.object({ withdrawn: z.boolean(), known: z.boolean(), offered: z.string().nullable().optional(), kiosks: z.int().optional(), quorum: z.int().optional() }),
  }),
  /**
   * Fingerprint templates (core/attendance/roster.ts): the enrolling kiosk's privileged side
   * uploads, every kiosk's privileged side downloads into its own reader; never the page's, which
   * could otherwise put any finger on the server under an admin's id.
   */
  templateUpload: route({
    method: 'PUT',
    path: `${api}/staff/:staffId/templates/:finger`,
    caller: 'device',
    summary: 'template upload',
    params: templateParams,
    body: templateUploadSchema,
    response: z.object({ staffId: z.string(), finger: z.int(), revision: z.int(), replaced: z.boolean() }),
  }),
  templateDownload: route({
    method: 'GET',
    path: `${api}/staff/:staffId/templates/:finger`,
    caller: 'device',
    summary: 'template',
    params: templateParams,
    response: templateDownloadSchema,
  }),
  templatePage: route({
    method: 'GET',
    path: `${api}/staff/templates`,
    caller: 'device',
    summary: 'templates',
    query: z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(100) }),
    response: z.object({ templates: z.array(templateDownloadSchema), next: z.int().nullable() }),
  }),
  /** always refused: a kiosk's token proves which kiosk asks, not that an admin stands at it */
  templateDeleteByDevice: route({
    method: 'DELETE',
    path: `${api}/staff/:staffId/templates/:finger`,
    caller: 'device',
    summary: 'template delete',
    // Whatever it names, the answer is the same refusal.
    params: { staffId: z.string(), finger: z.string() },
    response: z.never(),
  }),

  // ---- counters (窗口叫号端): a window's staff, by the session of their sign-in ----
  /** staff number and the PIN an admin set; 429 counter-locked after repeated wrong PINs */
  counterSignIn: route({
    method: 'POST',
    path: `${api}/counter/sign-in`,
    caller: 'public',
    summary: 'counter sign-in',
    body: counterSignInSchema,
    response: counterSessionSchema,
  }),
  /** every press with an idempotency key; a refusal is 409 counter-refused with the reason in both languages */
  counterPress: route({
    method: 'POST',
    path: `${api}/counter/press`,
    caller: 'counter',
    summary: 'counter press',
    body: counterPressRequestSchema,
    response: pressResultSchema,
  }),
  counterSignOut: route({
    method: 'POST',
    path: `${api}/counter/sign-out`,
    caller: 'counter',
    summary: 'counter sign-out',
    body: counterSignOutSchema,
    response: pressResultSchema,
  }),
  /** what 叫号 would take next, in order; the held and suspended legs; today's counts */
  counterQueue: route({ method: 'GET', path: `${api}/counter/queue`, caller: 'counter', summary: 'counter queue', response: windowQueueSchema }),
  /** the hall's services (names, and where 转移 may send) and pause reasons: what the desk reads once */
  counterSetup: route({ method: 'GET', path: `${api}/counter/setup`, caller: 'counter', summary: 'counter setup', response: counterSetupSchema }),

  // ---- every signed-in client ----
  /** the hall event stream (SSE; Last-Event-ID resumes it): calls, leg and window changes, queue counts */
  hallEvents: route({
    method: 'GET',
    path: `${api}/events`,
    caller: 'signed-in',
    summary: 'hall events',
    query: hallEventsQuerySchema,
    response: { kind: 'event-stream', contentType: 'text/event-stream', events: hallEventSchema },
  }),

  // ---- a citizen's phone (the live ticket: the token is the only key) ----
  /** one ticket's place in the queue, by the token its QR carries (core/ticket/live-ticket.ts) */
  liveTicket: route({
    method: 'GET',
    path: `${api}/live/:token`,
    caller: 'public',
    summary: 'live ticket',
    params: { token: liveTokenSchema },
    response: liveTicketViewSchema,
  }),
  /** the same view as server-sent events, sent again whenever the hall event stream moves it */
  liveTicketEvents: route({
    method: 'GET',
    path: `${api}/live/:token/events`,
    caller: 'public',
    summary: 'live ticket events',
    params: { token: liveTokenSchema },
    response: { kind: 'event-stream', contentType: 'text/event-stream', events: liveTicketViewSchema },
  }),

  // ---- the hall office (admin session) ----
  adminLogout: route({ method: 'POST', path: `${admin}/logout`, caller: 'admin', summary: 'logout', response: z.object({ loggedOut: z.literal(true) }) }),
  adminStatus: route({ method: 'GET', path: `${admin}/status`, caller: 'admin', summary: 'status', response: adminStatusSchema }),
  adminDevices: route({ method: 'GET', path: `${admin}/devices`, caller: 'admin', summary: 'devices', response: z.object({ devices: z.array(deviceSummarySchema) }) }),
  adminDeviceCreate: route({ method: 'POST', path: `${admin}/devices`, caller: 'admin', summary: 'new device', body: newDeviceSchema, response: newDeviceAnswerSchema }),
  adminDeviceRevoke: route({
    method: 'POST',
    path: `${admin}/devices/:id/revoke`,
    caller: 'admin',
    summary: 'revoke device',
    params: { id: opaqueId },
    response: z.object({ deviceId: z.string(), revoked: z.literal(true) }),
  }),
  adminDeadLetters: route({ method: 'GET', path: `${admin}/dead-letters`, caller: 'admin', summary: 'dead letters', query: deadLetterQuerySchema, response: z.object({ deadLetters: z.array(deadLetterSchema) }) }),
  adminDisplays: route({ method: 'GET', path: `${admin}/displays`, caller: 'admin', summary: 'displays', response: z.object({ displays: z.array(displaySummarySchema) }) }),
  adminDisplayCreate: route({ method: 'POST', path: `${admin}/displays`, caller: 'admin', summary: 'new display', body: newDisplaySchema, response: newDisplayAnswerSchema }),
  adminDisplayRevoke: route({
    method: 'POST',
    path: `${admin}/displays/:id/revoke`,
    caller: 'admin',
    summary: 'revoke display',
    params: { id: opaqueId },
    response: z.object({ displayId: z.string(), revoked: z.literal(true) }),
  }),
  /** the line every hall screen shows under the calls (empty: none) */
  adminDisplayNotice: route({ method: 'PUT', path: `${admin}/display-notice`, caller: 'admin', summary: 'display notice', body: displayNoticeSchema, response: z.object({ text: z.string() }) }),
  adminKiosks: route({ method: 'GET', path: `${admin}/kiosks`, caller: 'admin', summary: 'kiosks', response: z.object({ kiosks: z.array(kioskStatusSchema) }) }),

  /** keeps the import as a draft (201), or publishes it at once with ?publish=true (200) */
  adminCatalogImport: route({
    method: 'POST',
    path: `${admin}/catalog/imports`,
    caller: 'admin',
    summary: 'catalog import',
    query: catalogImportQuerySchema,
    body: catalogUploadSchema,
    response: catalogImportAnswerSchema,
  }),
  adminCatalogReplace: route({ method: 'PUT', path: `${admin}/catalog`, caller: 'admin', summary: 'catalog import and publish', body: catalogUploadSchema, response: catalogImportAnswerSchema }),
  adminCatalogPublish: route({ method: 'POST', path: `${admin}/catalog/publish`, caller: 'admin', summary: 'catalog publish', response: z.object({ version: z.int(), importId: z.string() }) }),
  adminCatalog: route({ method: 'GET', path: `${admin}/catalog`, caller: 'admin', summary: 'catalog export', query: catalogExportQuerySchema, response: catalogExportSchema }),

  adminHallSettings: route({ method: 'GET', path: `${admin}/hall-settings`, caller: 'admin', summary: 'hall settings', response: hallSettingsAnswerSchema }),
  /** the hall's name, time zone and public address (the live ticket's QR); kiosks get them on their next pull */
  adminHallSettingsSave: route({
    method: 'PUT',
    path: `${admin}/hall-settings`,
    caller: 'admin',
    summary: 'hall settings save',
    body: hallSettingsChangeSchema,
    response: hallSettingsAnswerSchema,
  }),

  adminHallCalendar: route({ method: 'GET', path: `${admin}/hall-calendar`, caller: 'admin', summary: 'hall calendar', response: storedHallCalendarSchema }),
  /** a refusal lists every problem at its JSON path (`issues`) */
  adminHallCalendarSave: route({
    method: 'PUT',
    path: `${admin}/hall-calendar`,
    caller: 'admin',
    summary: 'hall calendar save',
    body: hallRulesUploadSchema,
    response: z.object({ revision: z.int(), savedAt: z.int() }),
  }),

  adminStaffList: route({
    method: 'GET',
    path: `${admin}/staff`,
    caller: 'admin',
    summary: 'staff list',
    query: staffListQuerySchema,
    response: z.object({ templatesEnabled: z.boolean(), staff: z.array(staffListingSchema) }),
  }),
  adminStaff: route({ method: 'GET', path: `${admin}/staff/:id`, caller: 'admin', summary: 'staff', params: { id: staffIdSchema }, response: z.object({ staff: staffListingSchema }) }),
  adminStaffAdd: route({ method: 'POST', path: `${admin}/staff`, caller: 'admin', summary: 'add staff', body: newStaffSchema, response: z.object({ staff: staffMemberSchema }) }),
  adminStaffUpdate: route({
    method: 'PATCH',
    path: `${admin}/staff/:id`,
    caller: 'admin',
    summary: 'update staff',
    params: { id: staffIdSchema },
    body: staffPatchSchema,
    response: z.object({ staff: staffMemberSchema }),
  }),
  adminWindows: route({ method: 'GET', path: `${admin}/windows`, caller: 'admin', summary: 'windows', response: windowListingSchema }),
  /** creates window N or changes its name, department, work profile and evaluator; a window in use keeps its state */
  adminWindow: route({
    method: 'PUT',
    path: `${admin}/windows/:number`,
    caller: 'admin',
    summary: 'window',
    params: { number: windowNumberSchema },
    body: windowDefinitionSchema,
    response: windowAnswerSchema,
  }),
  adminCounterPin: route({
    method: 'PUT',
    path: `${admin}/staff/:id/counter-pin`,
    caller: 'admin',
    summary: 'counter PIN',
    params: { id: staffIdSchema },
    body: counterPinBodySchema,
    response: counterPinAnswerSchema,
  }),
  /** 恢复 a no-show, 作废, 过号重排 from outside any window, audited with the admin */
  adminLegAction: route({
    method: 'POST',
    path: `${admin}/legs/:legId/actions`,
    caller: 'admin',
    summary: 'leg action',
    params: { legId: z.string().min(1).max(64) },
    body: adminLegPressSchema,
    response: pressResultSchema,
  }),
  adminCallingSettings: route({ method: 'GET', path: `${admin}/calling-settings`, caller: 'admin', summary: 'calling settings', response: callingSettingsAnswerSchema }),
  adminCallingSettingsSave: route({
    method: 'PUT',
    path: `${admin}/calling-settings`,
    caller: 'admin',
    summary: 'calling settings',
    body: callingSettingsSchema,
    response: callingSettingsAnswerSchema,
  }),
  /** 叫号统计: per service, window or staff member, per day or month, with the wait by hour of the day */
  adminCallingReport: route({ method: 'GET', path: `${admin}/calling/report`, caller: 'admin', summary: 'calling report', query: callingReportQuerySchema, response: z.object({ report: callingReportSchema }) }),
  adminCallingReportCsv: route({
    method: 'GET',
    path: `${admin}/calling/report.csv`,
    caller: 'admin',
    summary: 'calling report',
    query: callingReportQuerySchema,
    response: { kind: 'csv', contentType: 'text/csv; charset=utf-8' },
  }),
  adminCallingReportXlsx: route({
    method: 'GET',
    path: `${admin}/calling/report.xlsx`,
    caller: 'admin',
    summary: 'calling report',
    query: callingReportQuerySchema,
    response: { kind: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  }),
  /** 叫号记录: every counter action of a hall day, by window and staff, a page at a time */
  adminCounterAudit: route({ method: 'GET', path: `${admin}/calling/audit`, caller: 'admin', summary: 'counter audit', query: counterAuditQuerySchema, response: counterAuditSchema }),
  adminStaffDeactivate: route({
    method: 'POST',
    path: `${admin}/staff/:id/deactivate`,
    caller: 'admin',
    summary: 'deactivate staff',
    params: { id: staffIdSchema },
    response: z.object({ staff: staffMemberSchema, templatesDeleted: z.int() }),
  }),
  adminTemplateDelete: route({
    method: 'DELETE',
    path: `${admin}/staff/:staffId/templates/:finger`,
    caller: 'admin',
    summary: 'template delete',
    params: templateParams,
    response: z.object({ staffId: z.string(), finger: z.int(), deleted: z.literal(true) }),
  }),
  /** who enrolled whom, when, from which kiosk: the hall's answer to 代签 disputes */
  adminStaffTemplateAudit: route({
    method: 'GET',
    path: `${admin}/staff/:id/template-audit`,
    caller: 'admin',
    summary: 'template audit',
    params: { id: staffIdSchema },
    response: z.object({ audit: z.array(templateAuditEntrySchema) }),
  }),
  /** leave for one kiosk to enrol one staff member's fingers for a while: the server takes no template upload without it */
  adminEnrolmentGrant: route({
    method: 'POST',
    path: `${admin}/staff/:id/enrolment-grants`,
    caller: 'admin',
    summary: 'enrolment grant',
    params: { id: staffIdSchema },
    body: enrolmentGrantRequestSchema,
    response: z.object({ grant: enrolmentGrantSchema }),
  }),
  adminTemplateAudit: route({ method: 'GET', path: `${admin}/template-audit`, caller: 'admin', summary: 'template audit', query: templateAuditQuerySchema, response: z.object({ audit: z.array(templateAuditEntrySchema) }) }),

  adminWorkSchedules: route({ method: 'GET', path: `${admin}/work-schedules`, caller: 'admin', summary: 'work schedules', response: workSchedulesSchema }),
  /** the schedule's fields; the path names it. The store also checks it against the hall calendar. */
  adminWorkScheduleSave: route({
    method: 'PUT',
    path: `${admin}/work-schedules/:id`,
    caller: 'admin',
    summary: 'work schedule',
    params: { id: workScheduleIdSchema },
    body: workScheduleFieldsSchema,
    response: z.object({ schedule: workScheduleSchema }),
  }),
  adminDepartmentSchedule: route({
    method: 'PUT',
    path: `${admin}/departments/:departmentId/work-schedule`,
    caller: 'admin',
    summary: 'department schedule',
    params: { departmentId: departmentIdSchema },
    body: departmentScheduleSchema,
    response: z.object({ departmentId: z.string(), scheduleId: z.string().nullable() }),
  }),
  adminAbsences: route({ method: 'GET', path: `${admin}/absences`, caller: 'admin', summary: 'absences', query: absenceQuerySchema, response: z.object({ absences: z.array(absenceListingSchema) }) }),
  adminAbsenceAdd: route({ method: 'POST', path: `${admin}/absences`, caller: 'admin', summary: 'absence', body: newAbsenceSchema, response: z.object({ absence: absenceListingSchema }) }),
  /** 销假: back early; ends now, or at `at` */
  adminAbsenceEnd: route({
    method: 'POST',
    path: `${admin}/absences/:id/end`,
    caller: 'admin',
    summary: 'end absence',
    params: { id: recordIdSchema },
    body: endAbsenceSchema,
    response: z.object({ absence: absenceListingSchema }),
  }),
  adminAbsenceCancel: route({
    method: 'DELETE',
    path: `${admin}/absences/:id`,
    caller: 'admin',
    summary: 'absence',
    params: { id: recordIdSchema },
    response: z.object({ id: z.string(), cancelled: z.literal(true) }),
  }),
  adminSpotChecks: route({ method: 'GET', path: `${admin}/spot-checks`, caller: 'admin', summary: 'spot checks', query: monthQuerySchema, response: z.object({ spotChecks: z.array(spotCheckListingSchema) }) }),
  /** 不定期抽查: opens now; kiosks see it on their next pull */
  adminSpotCheckStart: route({ method: 'POST', path: `${admin}/spot-checks`, caller: 'admin', summary: 'spot check', body: newSpotCheckSchema, response: z.object({ spotCheck: spotCheckListingSchema }) }),
  adminSpotCheckEnd: route({
    method: 'POST',
    path: `${admin}/spot-checks/:id/end`,
    caller: 'admin',
    summary: 'spot check',
    params: { id: recordIdSchema },
    response: z.object({ spotCheck: spotCheckListingSchema }),
  }),
  adminSpotCheckResults: route({ method: 'GET', path: `${admin}/spot-checks/:id/results`, caller: 'admin', summary: 'spot check', params: { id: recordIdSchema }, response: spotCheckResultsSchema }),
  adminAttendanceDay: route({
    method: 'GET',
    path: `${admin}/attendance/day`,
    caller: 'admin',
    summary: 'attendance day',
    query: dayQuerySchema,
    response: dayReportSchema,
  }),
  adminBulletin: route({ method: 'GET', path: `${admin}/attendance/bulletin`, caller: 'admin', summary: 'bulletin', query: monthQuerySchema, response: z.object({ bulletin: bulletinReportSchema }) }),
  adminBulletinCsv: route({
    method: 'GET',
    path: `${admin}/attendance/bulletin.csv`,
    caller: 'admin',
    summary: 'bulletin',
    query: bulletinCsvQuerySchema,
    response: { kind: 'csv', contentType: 'text/csv; charset=utf-8' },
  }),
  adminBulletinXlsx: route({
    method: 'GET',
    path: `${admin}/attendance/bulletin.xlsx`,
    caller: 'admin',
    summary: 'bulletin',
    query: monthQuerySchema,
    response: { kind: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  }),
} as const satisfies Record<string, RouteSpec>;

export type HallApi = typeof hallApi;
export type HallRoute = HallApi[keyof HallApi];
export type HallRouteName = keyof HallApi;
export const hallRoutes: readonly HallRoute[] = Object.values(hallApi);

/** The display routes' prefix: the path of the display's token cookie, so no other route receives it. */
export const displayApiPrefix = `${api}/display`;

/** The admin API's prefix: every route under it is the hall office's, guarded against cross-site requests. */
export const adminApiPrefix = `${admin}/`;

/**
 * The hall office's HTML pages (forms with a session cookie), served beside the API and outside
 * the JSON contract: no client but a browser on the page calls them.
 */
export const adminPages = [
  { method: 'GET', path: '/admin/login' },
  { method: 'POST', path: '/admin/login' },
  { method: 'POST', path: '/admin/logout' },
  { method: 'GET', path: '/admin/kiosks' },
  { method: 'GET', path: '/admin/displays' },
  { method: 'GET', path: '/admin/attendance' },
  { method: 'GET', path: '/admin/attendance.csv' },
  { method: 'GET', path: '/admin/attendance.xlsx' },
  { method: 'GET', path: '/admin/hall-calendar' },
  { method: 'POST', path: '/admin/hall-calendar' },
  { method: 'GET', path: '/admin/template-audit' },
  /** 开通指纹录入: the page's form for an enrolment grant */
  { method: 'POST', path: '/admin/template-audit/grants' },
  /** 叫号统计 and its downloads; 叫号记录 */
  { method: 'GET', path: '/admin/calling-report' },
  { method: 'GET', path: '/admin/calling-report.csv' },
  { method: 'GET', path: '/admin/calling-report.xlsx' },
  { method: 'GET', path: '/admin/counter-audit' },
] as const;

/**
 * The hall server's web apps (窗口叫号端 and the others to come): each a page at its path, whose
 * built files it loads from under `hallWebFilesPath` (server/http/hall-web.ts serves both).
 */
export const webPages = [
  /** 窗口叫号端: a window's staff at the window PC's browser */
  { method: 'GET', path: '/counter' },
  /** the live ticket: a citizen's phone, from the ticket's QR (core/ticket/live-ticket.ts) */
  { method: 'GET', path: '/t/:token' },
  /** 语音试听: a technician hears the call announcement on a display's PC (server/voice/web/) */
  { method: 'GET', path: '/voice' },
  /** 综合屏 and 窗口屏: one app, which screen it is comes from its enrolment */
  { method: 'GET', path: '/display/hall' },
  { method: 'GET', path: '/display/window/:number' },
] as const;
export const hallWebFilesPath = '/hall-web/';

/**
 * The clip voice's recordings (core/voice/clips.ts), one per clip id: `${voiceClipsPath}qing` is
 * 请. Public like the pages (nothing in them is personal); served by server/voice/voice-clips.ts,
 * the hall's own recordings before the generated pack.
 */
export const voiceClipsPath = '/voice/clips/';
