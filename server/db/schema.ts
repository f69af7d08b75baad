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

export interface AdminSessionsTable {
  token_hash: string;
  username: string;
  expires_at: number;
  created_at: number;
}

export interface CatalogVersionsTable {
  version: number;
  catalog_json: string;
  imported_at: number;
}

export interface NumberCountersTable {
  hall_id: string;
  service_id: string;
  business_day: string;
  /** the value before the latest allocation: lets one UPDATE … RETURNING report the block it took */
  prev_number: number;
  last_number: number;
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
  received_at: number;
  updated_at: number;
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

export interface Database {
  hall_settings: HallSettingsTable;
  devices: DevicesTable;
  admin_users: AdminUsersTable;
  admin_sessions: AdminSessionsTable;
  catalog_versions: CatalogVersionsTable;
  number_counters: NumberCountersTable;
  number_leases: NumberLeasesTable;
  tickets: TicketsTable;
  device_sync: DeviceSyncTable;
  device_events: DeviceEventsTable;
  dead_letters: DeadLettersTable;
}
