import { randomBytes, randomUUID } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { defaultHallTimeZone } from '../../core/calendar/business-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { ServerDb } from './connect.ts';

export const defaultHallName = '市政务服务中心';

/**
 * Migrations live in code, not in files found at run time, so the server bundles and runs the
 * same way everywhere. Never edit a shipped migration: add the next one. Each uses only types
 * and statements both engines share (text, bigint, integer; no engine-specific defaults).
 */
function migrations(clock: Clock): Record<string, Migration> {
  return {
    '0001-initial': {
      // A migration sees the schema as it was when written, not today's Database type.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('hall_settings')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('hall_name', 'text', (c) => c.notNull())
          .addColumn('time_zone', 'text', (c) => c.notNull())
          .addColumn('settings_version', 'bigint', (c) => c.notNull())
          .addColumn('epoch', 'text', (c) => c.notNull())
          .addColumn('epoch_started_at', 'bigint', (c) => c.notNull())
          .addColumn('cursor_key', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        const now = clock.now();
        await db
          .insertInto('hall_settings')
          .values({ id: 1, hall_id: 'hall', hall_name: defaultHallName, time_zone: defaultHallTimeZone, settings_version: 1, epoch: randomUUID(), epoch_started_at: now, cursor_key: randomBytes(32).toString('base64url'), created_at: now })
          .execute();

        await db.schema
          .createTable('devices')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.unique())
          .addColumn('enroll_code_hash', 'text', (c) => c.unique())
          .addColumn('enroll_code_expires_at', 'bigint')
          .addColumn('enrolled_at', 'bigint')
          .addColumn('revoked_at', 'bigint')
          .addColumn('last_seen_at', 'bigint')
          .addColumn('app_version', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('admin_users')
          .addColumn('username', 'text', (c) => c.primaryKey())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('admin_sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().references('admin_users.username').onDelete('cascade'))
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('catalog_versions')
          .addColumn('version', 'bigint', (c) => c.primaryKey())
          .addColumn('catalog_json', 'text', (c) => c.notNull())
          .addColumn('imported_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('number_counters')
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text', (c) => c.notNull())
          .addColumn('business_day', 'text', (c) => c.notNull())
          .addColumn('prev_number', 'bigint', (c) => c.notNull())
          .addColumn('last_number', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('number_counters_pk', ['hall_id', 'service_id', 'business_day'])
          .execute();
        await db.schema
          .createTable('number_leases')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text', (c) => c.notNull())
          .addColumn('business_day', 'text', (c) => c.notNull())
          .addColumn('first_number', 'bigint', (c) => c.notNull())
          .addColumn('last_number', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('number_leases_device_day').on('number_leases').columns(['device_id', 'business_day']).execute();

        await db.schema
          .createTable('tickets')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text', (c) => c.notNull())
          .addColumn('department_id', 'text', (c) => c.notNull())
          .addColumn('business_day', 'text', (c) => c.notNull())
          .addColumn('sequence', 'bigint', (c) => c.notNull())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('priority', 'text', (c) => c.notNull())
          .addColumn('issued_at', 'bigint', (c) => c.notNull())
          .addColumn('clock_offset_ms', 'bigint', (c) => c.notNull())
          .addColumn('corrected_issued_at', 'bigint', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('print_attempts', 'integer', (c) => c.notNull())
          .addColumn('last_print_error', 'text')
          .addColumn('void_reason', 'text')
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        // The hall's promise: one number, one citizen, per day — enforced by the database itself.
        await db.schema.createIndex('tickets_number_unique').on('tickets').columns(['hall_id', 'service_id', 'business_day', 'sequence']).unique().execute();
        await db.schema.createIndex('tickets_label_unique').on('tickets').columns(['hall_id', 'business_day', 'label']).unique().execute();
        await db.schema.createIndex('tickets_queue').on('tickets').columns(['hall_id', 'service_id', 'business_day', 'state']).execute();

        await db.schema
          .createTable('device_sync')
          .addColumn('device_id', 'text', (c) => c.primaryKey().references('devices.id'))
          .addColumn('last_applied_seq', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('device_events')
          .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('event_id', 'text', (c) => c.notNull().unique())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('device_events_pk', ['device_id', 'seq'])
          .execute();
        await db.schema
          .createTable('dead_letters')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('last_seq', 'bigint', (c) => c.notNull())
          .addColumn('event_id', 'text')
          .addColumn('type', 'text')
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('payload_json', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('dead_letters_created').on('dead_letters').columns(['created_at']).execute();
      },
    },
    '0002-catalog-guides-and-drafts': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // Null for versions published before guides existed, and for catalogs published without them.
        await db.schema.alterTable('catalog_versions').addColumn('guides_json', 'text').execute();
        // An import is reviewed before kiosks see it: it waits here until it is published.
        await db.schema
          .createTable('catalog_drafts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('catalog_json', 'text', (c) => c.notNull())
          .addColumn('guides_json', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('published_version', 'bigint')
          .execute();
        await db.schema.createIndex('catalog_drafts_created').on('catalog_drafts').columns(['created_at']).execute();
      },
    },
    '0003-staff-and-attendance': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // One counter orders every roster change (staff, templates, deletions) for incremental pulls.
        await db.schema
          .createTable('roster_state')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('revision', 'bigint', (c) => c.notNull())
          .execute();
        await db.insertInto('roster_state').values({ id: 1, revision: 0 }).execute();

        await db.schema
          .createTable('work_schedules')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('definition_json', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('department_schedules')
          .addColumn('department_id', 'text', (c) => c.primaryKey())
          .addColumn('schedule_id', 'text', (c) => c.notNull().references('work_schedules.id'))
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('staff')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('department_id', 'text', (c) => c.notNull())
          .addColumn('counter', 'text')
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('schedule_id', 'text', (c) => c.references('work_schedules.id'))
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('revision', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('deactivated_at', 'bigint')
          .execute();
        await db.schema.createIndex('staff_revision').on('staff').columns(['revision']).execute();

        // Encrypted (AES-256-GCM, key outside the database); see server/staff/template-cipher.ts.
        await db.schema
          .createTable('staff_templates')
          .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
          .addColumn('finger', 'integer', (c) => c.notNull())
          .addColumn('format', 'text', (c) => c.notNull())
          .addColumn('ciphertext', 'text', (c) => c.notNull())
          .addColumn('iv', 'text', (c) => c.notNull())
          .addColumn('auth_tag', 'text', (c) => c.notNull())
          .addColumn('key_id', 'text', (c) => c.notNull())
          .addColumn('revision', 'bigint', (c) => c.notNull())
          .addColumn('enrolled_by_device', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('staff_templates_pk', ['staff_id', 'finger'])
          .execute();
        await db.schema.createIndex('staff_templates_revision').on('staff_templates').columns(['revision']).execute();
        await db.schema
          .createTable('staff_template_tombstones')
          .addColumn('staff_id', 'text', (c) => c.notNull())
          .addColumn('finger', 'integer', (c) => c.notNull())
          .addColumn('revision', 'bigint', (c) => c.notNull())
          .addColumn('deleted_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('staff_template_tombstones_pk', ['staff_id', 'finger', 'revision'])
          .execute();
        await db.schema.createIndex('staff_template_tombstones_revision').on('staff_template_tombstones').columns(['revision']).execute();

        await db.schema
          .createTable('checkins')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
          .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('session', 'text')
          .addColumn('spot_check_id', 'text')
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('clock_offset_ms', 'bigint', (c) => c.notNull())
          .addColumn('corrected_at', 'bigint', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('checkins_staff_time').on('checkins').columns(['staff_id', 'corrected_at']).execute();
        await db.schema.createIndex('checkins_time').on('checkins').columns(['corrected_at']).execute();

        await db.schema
          .createTable('spot_checks')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('department_id', 'text')
          .addColumn('started_at', 'bigint', (c) => c.notNull())
          .addColumn('ends_at', 'bigint', (c) => c.notNull())
          .addColumn('ended_at', 'bigint')
          .addColumn('started_by', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .execute();
        await db.schema.createIndex('spot_checks_started').on('spot_checks').columns(['started_at']).execute();

        await db.schema
          .createTable('absences')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('from_at', 'bigint', (c) => c.notNull())
          .addColumn('until_at', 'bigint', (c) => c.notNull())
          .addColumn('note', 'text')
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('cancelled_at', 'bigint')
          .execute();
        await db.schema.createIndex('absences_staff_time').on('absences').columns(['staff_id', 'from_at']).execute();
      },
    },
    '0004-disclosure-slips': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('disclosure_slips')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
          .addColumn('serial', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text', (c) => c.notNull())
          .addColumn('materials_json', 'text', (c) => c.notNull())
          .addColumn('missing_count', 'integer', (c) => c.notNull())
          .addColumn('to_correct_count', 'integer', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('clock_offset_ms', 'bigint', (c) => c.notNull())
          .addColumn('corrected_at', 'bigint', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .execute();
        // The supervision line is given a serial over the phone and looks the slip up by it.
        await db.schema.createIndex('disclosure_slips_serial').on('disclosure_slips').columns(['serial']).execute();
        await db.schema.createIndex('disclosure_slips_service_time').on('disclosure_slips').columns(['service_id', 'corrected_at']).execute();
      },
    },
    '0005-device-status': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // The latest status report of each kiosk, for the hall office's status page; one row per device.
        await db.schema
          .createTable('device_status')
          .addColumn('device_id', 'text', (c) => c.primaryKey().references('devices.id'))
          .addColumn('app_version', 'text', (c) => c.notNull())
          .addColumn('uptime_seconds', 'bigint', (c) => c.notNull())
          .addColumn('pending_events', 'bigint', (c) => c.notNull())
          .addColumn('last_sync_error', 'text')
          .addColumn('printer_state', 'text')
          .addColumn('paper_near_end', 'integer', (c) => c.notNull())
          .addColumn('printer_detail', 'text')
          .addColumn('backlog_since', 'bigint')
          .addColumn('backlog_start_pending', 'bigint')
          .addColumn('reported_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    '0006-device-heartbeat': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // The heartbeat's further facts: the reader, storage, the last error and the runtime.
        for (const [name, type] of [
          ['reader_state', 'text'],
          ['storage_used_bytes', 'bigint'],
          ['storage_quota_bytes', 'bigint'],
          ['disk_free_bytes', 'bigint'],
          ['last_error', 'text'],
          ['runtime_versions', 'text'],
        ] as const) {
          await db.schema.alterTable('device_status').addColumn(name, type).execute();
        }
      },
    },
    '0007-hall-calendar': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // Every saved revision stays: the primary key lets two concurrent saves not both win.
        await db.schema
          .createTable('hall_calendar')
          .addColumn('revision', 'bigint', (c) => c.primaryKey())
          .addColumn('rules_json', 'text', (c) => c.notNull())
          .addColumn('saved_at', 'bigint', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0008-leases-from-the-top': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // Leases come down from the top of the quota so online numbers start at 1 (server/numbering/numbering.ts);
        // the blocks leased before came from the bottom, below last_number, where they stay.
        await db.schema.alterTable('number_counters').addColumn('lease_floor', 'bigint').execute();
      },
    },
    '0009-ticket-reprints': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // 补打: how many more slips of a ticket may be in the hall, and when the last was made.
        await db.schema.alterTable('tickets').addColumn('reprint_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('tickets').addColumn('last_reprinted_at', 'bigint').execute();
      },
    },
    '0010-session-tallies': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // Online numbers handed out per session, for the calendar's per-session 限号 (server/numbering/issue-rules.ts).
        await db.schema
          .createTable('session_tallies')
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text', (c) => c.notNull())
          .addColumn('business_day', 'text', (c) => c.notNull())
          .addColumn('session_id', 'text', (c) => c.notNull())
          .addColumn('issued', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('session_tallies_pk', ['hall_id', 'service_id', 'business_day', 'session_id'])
          .execute();
      },
    },
    '0011-template-audit': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // Who enrolled whom (server/staff/templates.ts): one row per stored template, keyed by the
        // roster revision the upload took, so a replaced template keeps its history.
        await db.schema
          .createTable('template_audit')
          .addColumn('revision', 'bigint', (c) => c.primaryKey())
          .addColumn('staff_id', 'text', (c) => c.notNull())
          .addColumn('finger', 'integer', (c) => c.notNull())
          .addColumn('device_id', 'text')
          .addColumn('authorised_method', 'text')
          .addColumn('authorised_staff_id', 'text')
          .addColumn('replaced', 'integer', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('template_audit_staff').on('template_audit').columns(['staff_id', 'revision']).execute();
      },
    },
    '0016-admin-login-lockout': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // Failed admin logins per user name (server/admin/admin-users.ts): in the database, so every
        // server process counts the same guesses and honours the same lock.
        await db.schema
          .createTable('admin_login_failures')
          .addColumn('username', 'text', (c) => c.primaryKey())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
          .addColumn('locked_until', 'bigint', (c) => c.notNull())
          .addColumn('attempt', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0017-restore-witness': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // How a server tells, before it hands out a number, that its database is an older copy
        // put back (server/db/restore-witness.ts, server/numbering/restore-guard.ts).
        await db.schema.alterTable('hall_settings').addColumn('restore_stamp', 'text').execute();
        await db.schema.alterTable('hall_settings').addColumn('restore_generation', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
    '0018-enrolment-grants': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // An admin's leave, given in a server session, for one staff member's fingers to be
        // enrolled at one kiosk for a short while (server/staff/enrolment-grants.ts).
        await db.schema
          .createTable('enrolment_grants')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
          .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
          .addColumn('granted_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('enrolment_grants_staff_device').on('enrolment_grants').columns(['staff_id', 'device_id', 'expires_at']).execute();
        await db.schema.alterTable('template_audit').addColumn('grant_id', 'text').execute();
        await db.schema.alterTable('template_audit').addColumn('granted_by', 'text').execute();
      },
    },
    '0019-update-health-reports': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // One row per kiosk that found a release unhealthy: a release is withdrawn only when
        // enough different kiosks said so (server/updates/health-reports.ts).
        await db.schema
          .createTable('update_health_reports')
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('starts', 'integer', (c) => c.notNull())
          .addColumn('reported_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('update_health_reports_pk', ['channel', 'platform', 'version', 'device_id'])
          .execute();
      },
    },
    '0020-counter-calling': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // Counter calling (server/calling/): the hall's windows, the legs tickets take through
        // them, every press at a window, the counter staff's PINs and sessions, and the hall event
        // log (server/events/). hall_id leads every key, so a distributed PostgreSQL can shard by it.
        await db.schema
          .createTable('counter_windows')
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('number', 'integer', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('department_id', 'text', (c) => c.notNull())
          .addColumn('profile_json', 'text', (c) => c.notNull())
          .addColumn('has_evaluator', 'integer', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('staff_id', 'text')
          .addColumn('leg_id', 'text')
          .addColumn('pause_reason', 'text')
          .addColumn('pause_note', 'text')
          .addColumn('pause_since', 'bigint')
          .addColumn('since', 'bigint', (c) => c.notNull())
          .addColumn('recent_calls_json', 'text', (c) => c.notNull())
          .addColumn('version', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('counter_windows_pk', ['hall_id', 'number'])
          .execute();

        await db.schema
          .createTable('ticket_legs')
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('ticket_id', 'text', (c) => c.notNull())
          .addColumn('parent_leg_id', 'text')
          .addColumn('department_id', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text', (c) => c.notNull())
          .addColumn('business_day', 'text', (c) => c.notNull())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('priority', 'text', (c) => c.notNull())
          .addColumn('issued_at', 'bigint', (c) => c.notNull())
          .addColumn('order_at', 'bigint', (c) => c.notNull())
          .addColumn('order_tie', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('pinned_window', 'integer')
          .addColumn('window_number', 'integer')
          .addColumn('staff_id', 'text')
          .addColumn('calls', 'integer', (c) => c.notNull())
          .addColumn('first_called_at', 'bigint')
          .addColumn('last_called_at', 'bigint')
          .addColumn('started_at', 'bigint')
          .addColumn('ended_at', 'bigint')
          .addColumn('recycled', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('ticket_legs_pk', ['hall_id', 'id'])
          .execute();
        // 叫号 reads a day's waiting legs of some services; the kiosks' counts group them by service.
        await db.schema.createIndex('ticket_legs_queue').on('ticket_legs').columns(['hall_id', 'business_day', 'state', 'service_id']).execute();
        await db.schema.createIndex('ticket_legs_ticket').on('ticket_legs').columns(['hall_id', 'ticket_id']).execute();

        // The audit of every press; the idempotency key makes a repeated press return the first answer.
        await db.schema
          .createTable('counter_actions')
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('idempotency_key', 'text', (c) => c.notNull())
          .addColumn('window_number', 'integer')
          .addColumn('staff_id', 'text')
          .addColumn('admin_user', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('leg_id', 'text')
          .addColumn('from_state', 'text')
          .addColumn('to_state', 'text')
          .addColumn('created_leg_id', 'text')
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('refusal', 'text')
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('response_json', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('counter_actions_pk', ['hall_id', 'id'])
          .execute();
        await db.schema.createIndex('counter_actions_key').on('counter_actions').columns(['hall_id', 'idempotency_key']).unique().execute();
        await db.schema.createIndex('counter_actions_time').on('counter_actions').columns(['hall_id', 'at']).execute();

        await db.schema
          .createTable('counter_credentials')
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
          .addColumn('pin_hash', 'text', (c) => c.notNull())
          .addColumn('set_by', 'text', (c) => c.notNull())
          .addColumn('set_at', 'bigint', (c) => c.notNull())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
          .addColumn('locked_until', 'bigint', (c) => c.notNull())
          .addColumn('attempt', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('counter_credentials_pk', ['hall_id', 'staff_id'])
          .execute();
        await db.schema
          .createTable('counter_sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('staff_id', 'text', (c) => c.notNull())
          .addColumn('window_number', 'integer', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('counter_sessions_window').on('counter_sessions').columns(['hall_id', 'window_number']).execute();

        // One counter row per hall, incremented inside each transaction that writes events: the
        // row lock orders those transactions, so ids are handed out in commit order (a sequence
        // or bigserial would not be, with several processes committing at once).
        await db.schema
          .createTable('hall_event_counters')
          .addColumn('hall_id', 'text', (c) => c.primaryKey())
          .addColumn('last_id', 'bigint', (c) => c.notNull())
          .addColumn('pruned_through', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('hall_events')
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('id', 'bigint', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('business_day', 'text', (c) => c.notNull())
          .addColumn('department_id', 'text')
          .addColumn('data_json', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('hall_events_pk', ['hall_id', 'id'])
          .execute();
        await db.schema.createIndex('hall_events_day').on('hall_events').columns(['hall_id', 'business_day']).execute();

        await db.schema
          .createTable('calling_settings')
          .addColumn('hall_id', 'text', (c) => c.primaryKey())
          .addColumn('settings_json', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    '0021-quota-counts-tickets': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        // A quota (限号) counts tickets, not reserved numbers (server/numbering/numbering.ts): the
        // counter keeps how many count against it, and leases come from a band above the quota.
        await db.schema.alterTable('number_counters').addColumn('issued', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('number_counters').addColumn('lease_ceiling', 'bigint').execute();
        // Until now every online number counted; the offline tickets below the floor counted as numbers taken.
        await db.updateTable('number_counters').set({ issued: sql`last_number` }).execute();
        // A lease its kiosk gave up (it started over with no records): still its numbers, no longer held.
        await db.schema.alterTable('number_leases').addColumn('returned_at', 'bigint').execute();
        // Which device /next gave each online number to: a pushed ticket must hold a number of its own device.
        await db.schema
          .createTable('online_numbers')
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text', (c) => c.notNull())
          .addColumn('business_day', 'text', (c) => c.notNull())
          .addColumn('sequence', 'bigint', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('online_numbers_pk', ['hall_id', 'service_id', 'business_day', 'sequence'])
          .execute();
        // Numbers a restore skipped: handed out before the restore to a device the server no longer knows.
        await db.schema
          .createTable('number_gaps')
          .addColumn('hall_id', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text', (c) => c.notNull())
          .addColumn('business_day', 'text', (c) => c.notNull())
          .addColumn('first_number', 'bigint', (c) => c.notNull())
          .addColumn('last_number', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('number_gaps_day').on('number_gaps').columns(['hall_id', 'service_id', 'business_day']).execute();
      },
    },
    // Numbered with room below it: other branches of the same week add 0021 and 0022.
    '0023-live-tickets': {
      async up(db) {
        // Where citizens' phones reach the server; null: tickets print no QR.
        await db.schema.alterTable('hall_settings').addColumn('public_address', 'text').execute();
        // The live ticket's token, hashed (SHA-256, base64url): the token itself is on the paper only.
        await db.schema.alterTable('tickets').addColumn('live_token_hash', 'text').execute();
        await db.schema.alterTable('tickets').addColumn('language', 'text').execute();
        // Not unique: a token comes from a kiosk, and a second ticket with it must not block that kiosk's pushes.
        await db.schema.createIndex('tickets_live_token').on('tickets').columns(['hall_id', 'live_token_hash']).execute();
      },
    },
    '0024-displays': {
      async up(db) {
        // Screens are devices of their own role (issue 16): a kiosk's token never reads as a
        // display's, nor the other way round, so they are not rows of `devices`.
        await db.schema
          .createTable('displays')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('window_number', 'integer')
          .addColumn('zone_json', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.unique())
          .addColumn('enroll_code_hash', 'text', (c) => c.unique())
          .addColumn('enroll_code_expires_at', 'bigint')
          .addColumn('enrolled_at', 'bigint')
          .addColumn('revoked_at', 'bigint')
          .addColumn('last_seen_at', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('display_notice')
          .addColumn('hall_id', 'text', (c) => c.primaryKey())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
  };
}

class InCodeMigrations implements MigrationProvider {
  constructor(private readonly clock: Clock) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.clock);
  }
}

/**
 * Safe to run from several server processes at once, on either engine: they take turns, and all
 * but the first find nothing left to do. A database already migrated by a newer server (a
 * migration unknown here) is refused by Kysely.
 */
export async function migrateToLatest(database: ServerDb, clock: Clock): Promise<void> {
  const migrator = new Migrator({ db: database.db, provider: new InCodeMigrations(clock) });
  const { error, results } = await database.exclusively(() => migrator.migrateToLatest());
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
