import { randomBytes, randomUUID } from 'node:crypto';
import { Migrator } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { defaultHallTimeZone } from '../../core/business-day.ts';
import type { Clock } from '../../core/clock.ts';
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
