/**
 * The central database, as Kysely sees it. Times are epoch milliseconds in BIGINT columns (the
 * PostgreSQL pool parses them back to numbers); every id is text made by the application, never
 * an auto-increment, so the same rows can be written on either engine.
 */
export interface HallSettingsTable {
  id: number;
  hall_id: string;
  hall_name: string;
  time_zone: string;
  settings_version: number;
  /** random id of this database's history; replaced when the history is known to have forked */
  epoch: string;
  epoch_started_at: number;
  /** signs pull cursors, so a device cannot hand the server a position it never reported */
  cursor_key: string;
  created_at: number;
  /**
   * What the restore witness (server/db/restore-witness.ts) last stamped this database with: on
   * SQLite the lineage its marker file names, on PostgreSQL the database's physical identity.
   * Null until a server that knows the witness first served it.
   */
  restore_stamp: string | null;
  /** SQLite: moved on by every transaction that hands out numbers, mirrored in the marker file */
  restore_generation: number;
  /** where citizens' phones reach this server (core/ticket/live-ticket.ts); null: tickets print no QR */
  public_address: string | null;
}

export interface DevicesTable {
  id: string;
  name: string;
  token_hash: string | null;
  enroll_code_hash: string | null;
  enroll_code_expires_at: number | null;
  enrolled_at: number | null;
  revoked_at: number | null;
  last_seen_at: number | null;
  app_version: string | null;
  created_at: number;
}

export interface AdminUsersTable {
  username: string;
  password_hash: string;
  created_at: number;
}

/** One row per user name with recent failed logins; deleted by a successful one. */
export interface AdminLoginFailuresTable {
  username: string;
  /** consecutive failures, forgotten a day after the last */
  failures: number;
  last_failure_at: number;
  /** 0 when not locked */
  locked_until: number;
  /** the attempt that last counted, so a login can tell whether it was counted or met a lock */
  attempt: string;
}

export interface AdminSessionsTable {
  token_hash: string;
  username: string;
  expires_at: number;
  created_at: number;
}

/** Published catalogs: what kiosks pull. Rows are never changed once written. */
export interface CatalogVersionsTable {
  version: number;
  catalog_json: string;
  /** the service guides published with this version; null when it was published without guides */
  guides_json: string | null;
  /** when it was published (named before drafts existed, when importing was publishing) */
  imported_at: number;
}

/** Imported catalogs with their guides, waiting to be published (or kept as the record of one that was). */
export interface CatalogDraftsTable {
  /** uuid v7: sorts by creation */
  id: string;
  catalog_json: string;
  guides_json: string;
  /** what it was imported from, for the admin: file names or the admin route and user */
  source: string;
  created_at: number;
  published_version: number | null;
}

export interface NumberCountersTable {
  hall_id: string;
  service_id: string;
  business_day: string;
  /**
   * Where the end that moved in the latest allocation was before it (the online end's value, or
   * the top a lease came down from): lets one UPDATE … RETURNING report the block it took
   */
  prev_number: number;
  /** the online end: the highest number /next handed out */
  last_number: number;
  /** the lowest number leased, in the band above the quota; null before the day's first lease */
  lease_floor: number | null;
  /** tickets counted against the quota (限号): numbers /next handed out and offline tickets pushed */
  issued: number;
  /** the top of the day's lease band, fixed at its first lease; null before it */
  lease_ceiling: number | null;
}

/** Which device /next handed each online number to. */
export interface OnlineNumbersTable {
  hall_id: string;
  service_id: string;
  business_day: string;
  sequence: number;
  device_id: string;
}

/** Numbers a restore skipped over: their holders' tickets are accepted without a lease or /next record. */
export interface NumberGapsTable {
  hall_id: string;
  service_id: string;
  business_day: string;
  first_number: number;
  last_number: number;
  created_at: number;
}

export interface NumberLeasesTable {
  id: string;
  device_id: string;
  hall_id: string;
  service_id: string;
  business_day: string;
  first_number: number;
  last_number: number;
  created_at: number;
  /** when the device gave the lease up (it pulled afresh, its records gone); null while held */
  returned_at?: number | null;
}

export interface TicketsTable {
  id: string;
  device_id: string;
  hall_id: string;
  service_id: string;
  department_id: string;
  business_day: string;
  sequence: number;
  label: string;
  priority: string;
  /** device clock */
  issued_at: number;
  /** server − device clock, as estimated for this ticket */
  clock_offset_ms: number;
  corrected_issued_at: number;
  state: string;
  print_attempts: number;
  last_print_error: string | null;
  void_reason: string | null;
  /** reprints (补打) for a citizen who lost the ticket, each a slip that printed or may have */
  reprint_count: number;
  /** the last reprint, on the server's clock (the device's time corrected by its offset) */
  last_reprinted_at: number | null;
  received_at: number;
  updated_at: number;
  /** SHA-256 (base64url) of the live ticket's token; null for tickets pushed without one */
  live_token_hash: string | null;
  /** the citizen's language at the kiosk (zh, en); null: Chinese */
  language: string | null;
}

export interface DeviceSyncTable {
  device_id: string;
  last_applied_seq: number;
  updated_at: number;
}

export interface DeviceEventsTable {
  device_id: string;
  seq: number;
  event_id: string;
  type: string;
  at: number;
  outcome: 'applied' | 'dead-lettered';
  received_at: number;
}

export interface DeadLettersTable {
  id: string;
  device_id: string;
  /** first and last seq: a range when the server recorded events it lost and the kiosk no longer had */
  seq: number;
  last_seq: number;
  event_id: string | null;
  type: string | null;
  reason: string;
  payload_json: string | null;
  created_at: number;
}

/** Orders roster changes for incremental pulls (one row). */
export interface RosterStateTable {
  id: number;
  revision: number;
}

/** A work schedule; the definition is core/attendance/schedule.ts's workScheduleSchema as JSON. */
export interface WorkSchedulesTable {
  id: string;
  definition_json: string;
  updated_at: number;
}

export interface DepartmentSchedulesTable {
  department_id: string;
  schedule_id: string;
  updated_at: number;
}

/** Staff rows are never deleted: attendance history refers to them. Deactivation removes templates. */
export interface StaffTable {
  id: string;
  name: string;
  department_id: string;
  counter: string | null;
  role: string;
  schedule_id: string | null;
  /** 1 or 0: one integer type on both engines */
  active: number;
  /** the roster revision of the last change */
  revision: number;
  created_at: number;
  updated_at: number;
  deactivated_at: number | null;
}

/** AES-256-GCM sealed, base64; the key is in the server's configuration, never here. */
export interface StaffTemplatesTable {
  staff_id: string;
  finger: number;
  format: string;
  ciphertext: string;
  iv: string;
  auth_tag: string;
  /** which key sealed it (templateKeyId), to tell a wrong key from a damaged record */
  key_id: string;
  revision: number;
  enrolled_by_device: string | null;
  created_at: number;
}

/** Who authorised each stored template (0011-template-audit); personal data stays in staff_templates. */
export interface TemplateAuditTable {
  /** the roster revision the upload took */
  revision: number;
  staff_id: string;
  finger: number;
  device_id: string | null;
  /** 'pin' | 'admin-finger'; null from a kiosk older than the audit */
  authorised_method: string | null;
  /** the admin whose finger opened the kiosk's staff session */
  authorised_staff_id: string | null;
  /** 1 when it replaced a template of the same finger */
  replaced: number;
  at: number;
  /** the enrolment grant the upload was taken under; null before grants, and for uploads made on the server */
  grant_id: string | null;
  /** the admin (admin_users.username) who gave that grant */
  granted_by: string | null;
}

/** An admin's leave for one staff member's fingers to be enrolled at one kiosk until `expires_at`. */
export interface EnrolmentGrantsTable {
  id: string;
  staff_id: string;
  device_id: string;
  granted_by: string;
  created_at: number;
  expires_at: number;
}

/** A kiosk's report that a release did not come up healthy on it; one per kiosk and release. */
export interface UpdateHealthReportsTable {
  channel: string;
  platform: string;
  version: string;
  device_id: string;
  reason: string;
  starts: number;
  reported_at: number;
}

/** A deleted template, so kiosks that pulled it delete it from their readers too. */
export interface StaffTemplateTombstonesTable {
  staff_id: string;
  finger: number;
  revision: number;
  deleted_at: number;
}

export interface CheckinsTable {
  /** the kiosk's UUIDv7 */
  id: string;
  device_id: string;
  staff_id: string;
  kind: string;
  session: string | null;
  spot_check_id: string | null;
  /** device clock */
  at: number;
  clock_offset_ms: number;
  /** what attendance is judged by */
  corrected_at: number;
  received_at: number;
}

export interface SpotChecksTable {
  id: string;
  /** null: every department */
  department_id: string | null;
  started_at: number;
  /** when it closes unless ended sooner */
  ends_at: number;
  ended_at: number | null;
  started_by: string;
  note: string | null;
}

/** 请假 and 外出 entries; `until_at` moves earlier on 销假. */
export interface AbsencesTable {
  id: string;
  staff_id: string;
  kind: string;
  from_at: number;
  until_at: number;
  note: string | null;
  created_by: string;
  created_at: number;
  cancelled_at: number | null;
}

/** One printed 一次性告知单: what was disclosed for which service, never who asked. */
export interface DisclosureSlipsTable {
  /** the kiosk's UUIDv7 */
  id: string;
  device_id: string;
  /** GZ-<kiosk>-YYYYMMDD-NNN as printed; unique per kiosk per day only while the kiosk keeps its data, so not a key */
  serial: string;
  service_id: string;
  /** [{ id, status }] as the kiosk sent them */
  materials_json: string;
  missing_count: number;
  to_correct_count: number;
  /** device clock */
  at: number;
  clock_offset_ms: number;
  corrected_at: number;
  received_at: number;
}

/** The latest status report of each kiosk (core/kiosk/device-status.ts); replaced by the next one. */
export interface DeviceStatusTable {
  device_id: string;
  app_version: string;
  uptime_seconds: number;
  pending_events: number;
  last_sync_error: string | null;
  /** null when the kiosk could not ask its printer */
  printer_state: string | null;
  /** 1 or 0 */
  paper_near_end: number;
  printer_detail: string | null;
  /** server time since when the pending count has not gone down; null while it is zero */
  backlog_since: number | null;
  backlog_start_pending: number | null;
  /** server clock */
  reported_at: number;
  /** the staff fingerprint reader; null on a kiosk without one or an older kiosk */
  reader_state: string | null;
  /** the renderer's storage (IndexedDB) as the browser estimates it */
  storage_used_bytes: number | null;
  storage_quota_bytes: number | null;
  /** free space where the kiosk keeps its data and logs */
  disk_free_bytes: number | null;
  /** the latest warning or error of the kiosk's log, already redacted there */
  last_error: string | null;
  runtime_versions: string | null;
}

/** Each saved hall calendar (core/calendar/calendar-rules.ts), immutable; kiosks pull the highest revision. */
export interface HallCalendarTable {
  revision: number;
  rules_json: string;
  saved_at: number;
  /** who saved it and how, e.g. "calendar:import rules.json" */
  source: string;
}

/** Online numbers /next handed out in one session of a service's day (per-session 限号). */
export interface SessionTalliesTable {
  hall_id: string;
  service_id: string;
  business_day: string;
  session_id: string;
  issued: number;
}

/** A window (窗口) of the hall: what an admin set (core/queue/window.ts) and its state now. */
export interface CounterWindowsTable {
  hall_id: string;
  number: number;
  name: string;
  department_id: string;
  /** core/queue/window.ts's WindowProfile as JSON */
  profile_json: string;
  /** 1 or 0 */
  has_evaluator: number;
  state: string;
  staff_id: string | null;
  leg_id: string | null;
  pause_reason: string | null;
  pause_note: string | null;
  pause_since: number | null;
  /** when the window entered its state */
  since: number;
  /** the priority classes of the window's latest 叫号 calls today, oldest first, as JSON: the next rule's quota */
  recent_calls_json: string;
  /** raised by every change */
  version: number;
  created_at: number;
  updated_at: number;
}

/** One pass of a ticket through a window (core/queue/leg.ts). The first leg of a ticket has the ticket's id. */
export interface TicketLegsTable {
  hall_id: string;
  id: string;
  ticket_id: string;
  parent_leg_id: string | null;
  department_id: string;
  service_id: string;
  business_day: string;
  label: string;
  priority: string;
  /** the ticket's corrected issue time */
  issued_at: number;
  order_at: number;
  /** the order's tie key, a JSON array of strings */
  order_tie: string;
  state: string;
  pinned_window: number | null;
  window_number: number | null;
  /** who last called it */
  staff_id: string | null;
  calls: number;
  first_called_at: number | null;
  last_called_at: number | null;
  started_at: number | null;
  ended_at: number | null;
  /** 1 or 0 */
  recycled: number;
  created_at: number;
  updated_at: number;
}

/** Every press at a window, and every admin action on a leg: the audit, and the idempotency record. */
export interface CounterActionsTable {
  hall_id: string;
  /** UUIDv7 */
  id: string;
  /** unique per hall: a press sent again gets `response_json` back and changes nothing */
  idempotency_key: string;
  window_number: number | null;
  staff_id: string | null;
  admin_user: string | null;
  action: string;
  leg_id: string | null;
  from_state: string | null;
  to_state: string | null;
  /** a transfer's new leg */
  created_leg_id: string | null;
  outcome: 'done' | 'refused';
  refusal: string | null;
  at: number;
  response_json: string;
}

/** A counter staff member's PIN or password (scrypt), set by an admin; failures lock it like the admin login. */
export interface CounterCredentialsTable {
  hall_id: string;
  staff_id: string;
  pin_hash: string;
  set_by: string;
  set_at: number;
  failures: number;
  last_failure_at: number;
  /** 0 when not locked */
  locked_until: number;
  /** the attempt that last counted */
  attempt: string;
}

export interface CounterSessionsTable {
  token_hash: string;
  hall_id: string;
  staff_id: string;
  window_number: number;
  expires_at: number;
  created_at: number;
}

/** The hall's last event id; its row lock orders the transactions that write events. */
export interface HallEventCountersTable {
  hall_id: string;
  last_id: number;
  /** events up to this id were pruned: a client asking from below it missed some */
  pruned_through: number;
}

/** The hall event log (core/queue/hall-events.ts), kept for the business day and the one before. */
export interface HallEventsTable {
  hall_id: string;
  id: number;
  kind: string;
  at: number;
  business_day: string;
  department_id: string | null;
  /** the event's `data` as JSON */
  data_json: string;
}

/** The hall's calling rules (core/queue/calling-settings.ts) as JSON; absent: the defaults. */
export interface CallingSettingsTable {
  hall_id: string;
  settings_json: string;
  updated_at: number;
}

export interface Database {
  hall_settings: HallSettingsTable;
  devices: DevicesTable;
  admin_users: AdminUsersTable;
  admin_sessions: AdminSessionsTable;
  admin_login_failures: AdminLoginFailuresTable;
  catalog_versions: CatalogVersionsTable;
  catalog_drafts: CatalogDraftsTable;
  number_counters: NumberCountersTable;
  number_leases: NumberLeasesTable;
  online_numbers: OnlineNumbersTable;
  number_gaps: NumberGapsTable;
  tickets: TicketsTable;
  device_sync: DeviceSyncTable;
  device_events: DeviceEventsTable;
  dead_letters: DeadLettersTable;
  roster_state: RosterStateTable;
  work_schedules: WorkSchedulesTable;
  department_schedules: DepartmentSchedulesTable;
  staff: StaffTable;
  staff_templates: StaffTemplatesTable;
  staff_template_tombstones: StaffTemplateTombstonesTable;
  template_audit: TemplateAuditTable;
  enrolment_grants: EnrolmentGrantsTable;
  update_health_reports: UpdateHealthReportsTable;
  checkins: CheckinsTable;
  spot_checks: SpotChecksTable;
  absences: AbsencesTable;
  disclosure_slips: DisclosureSlipsTable;
  device_status: DeviceStatusTable;
  hall_calendar: HallCalendarTable;
  session_tallies: SessionTalliesTable;
  counter_windows: CounterWindowsTable;
  ticket_legs: TicketLegsTable;
  counter_actions: CounterActionsTable;
  counter_credentials: CounterCredentialsTable;
  counter_sessions: CounterSessionsTable;
  hall_event_counters: HallEventCountersTable;
  hall_events: HallEventsTable;
  calling_settings: CallingSettingsTable;
  displays: DisplaysTable;
  display_notice: DisplayNoticeTable;
}

/** A hall screen (综合屏 / 窗口屏): a device of the display role (server/displays). */
export interface DisplaysTable {
  id: string;
  name: string;
  /** core/display/display.ts DisplayKind */
  kind: string;
  window_number: number | null;
  /** the department ids it shows, as JSON; [] for the whole hall */
  zone_json: string;
  token_hash: string | null;
  enroll_code_hash: string | null;
  enroll_code_expires_at: number | null;
  enrolled_at: number | null;
  revoked_at: number | null;
  last_seen_at: number | null;
  created_at: number;
}

/** The line the hall office sets on every hall screen. */
export interface DisplayNoticeTable {
  hall_id: string;
  text: string;
  updated_at: number;
}
