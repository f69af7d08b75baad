import type { Kysely } from 'kysely';
import type { Backlog, DeviceStatusReport, KioskAlertKind } from '../../core/kiosk/device-status.ts';
import { kioskAlerts, nextBacklog } from '../../core/kiosk/device-status.ts';
import type { PrinterState } from '../../core/printing/printing.ts';
import { printerStates } from '../../core/printing/printing.ts';
import type { Database, DeviceStatusTable } from '../db/schema.ts';
import { listDevices } from './devices.ts';

/** Keeps a kiosk's latest report, and how long its backlog has not shrunk. */
export async function recordDeviceStatus(db: Kysely<Database>, deviceId: string, report: DeviceStatusReport, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('device_status')
      .select(['pending_events', 'backlog_since', 'backlog_start_pending'])
      .where('device_id', '=', deviceId)
      .executeTakeFirst();
    const backlog = nextBacklog(previous ? backlogOf(previous) : null, previous?.pending_events ?? null, report.pendingEvents, now);
    const row: Omit<DeviceStatusTable, 'device_id'> = {
      app_version: report.appVersion,
      uptime_seconds: report.uptimeSeconds,
      pending_events: report.pendingEvents,
      last_sync_error: report.lastSyncError,
      printer_state: report.printer?.state ?? null,
      paper_near_end: report.printer?.paperNearEnd ? 1 : 0,
      printer_detail: report.printer?.detail ?? null,
      backlog_since: backlog?.since ?? null,
      backlog_start_pending: backlog?.startPending ?? null,
      reported_at: now,
      reader_state: report.reader?.state ?? null,
      storage_used_bytes: report.storage?.usedBytes === undefined ? null : Math.round(report.storage.usedBytes),
      storage_quota_bytes: report.storage?.quotaBytes === undefined ? null : Math.round(report.storage.quotaBytes),
      disk_free_bytes: report.diskFreeBytes == null ? null : Math.round(report.diskFreeBytes),
      last_error: report.lastError ?? null,
      runtime_versions: report.runtimeVersions ?? null,
    };
    await trx
      .insertInto('device_status')
      .values({ device_id: deviceId, ...row })
      .onConflict((oc) => oc.column('device_id').doUpdateSet(row))
      .execute();
  });
}

function backlogOf(row: Pick<DeviceStatusTable, 'backlog_since' | 'backlog_start_pending'>): Backlog | null {
  return row.backlog_since === null || row.backlog_start_pending === null ? null : { since: row.backlog_since, startPending: row.backlog_start_pending };
}

export interface KioskStatus {
  id: string;
  name: string;
  state: 'active' | 'awaiting-enrollment' | 'revoked';
  lastSeenAt: number | null;
  /** from the latest report, else from the version header of its requests */
  appVersion: string | null;
  /** dead letters the server holds for this kiosk */
  deadLetters: number;
  /** null until the kiosk sent a report */
  report: {
    reportedAt: number;
    uptimeSeconds: number;
    pendingEvents: number;
    lastSyncError: string | null;
    printer: { state: PrinterState; paperNearEnd: boolean; detail: string | null } | null;
    backlog: Backlog | null;
    reader: { state: 'connected' | 'disconnected' } | null;
    storage: { usedBytes: number; quotaBytes: number } | null;
    diskFreeBytes: number | null;
    lastError: string | null;
    runtimeVersions: string | null;
  } | null;
  alerts: KioskAlertKind[];
}

/** Every kiosk with what the hall office must look at, as of `now`. */
export async function listKioskStatus(db: Kysely<Database>, now: number): Promise<KioskStatus[]> {
  const devices = await listDevices(db);
  const reports = new Map((await db.selectFrom('device_status').selectAll().execute()).map((r) => [r.device_id, r]));
  return devices.map((d) => {
    const row = reports.get(d.id);
    const printerState = row?.printer_state && (printerStates as readonly string[]).includes(row.printer_state) ? (row.printer_state as PrinterState) : null;
    const report: KioskStatus['report'] = row
      ? {
          reportedAt: row.reported_at,
          uptimeSeconds: row.uptime_seconds,
          pendingEvents: row.pending_events,
          lastSyncError: row.last_sync_error,
          printer: printerState ? { state: printerState, paperNearEnd: row.paper_near_end === 1, detail: row.printer_detail } : null,
          backlog: backlogOf(row),
          reader: row.reader_state === 'connected' || row.reader_state === 'disconnected' ? { state: row.reader_state } : null,
          storage: row.storage_used_bytes !== null && row.storage_quota_bytes !== null ? { usedBytes: Number(row.storage_used_bytes), quotaBytes: Number(row.storage_quota_bytes) } : null,
          diskFreeBytes: row.disk_free_bytes === null ? null : Number(row.disk_free_bytes),
          lastError: row.last_error,
          runtimeVersions: row.runtime_versions,
        }
      : null;
    const state = d.revokedAt !== null ? 'revoked' : d.enrolled ? 'active' : 'awaiting-enrollment';
    const alerts = kioskAlerts(
      {
        active: state === 'active',
        lastSeenAt: d.lastSeenAt,
        printer: report?.printer ?? null,
        pendingEvents: report?.pendingEvents ?? null,
        backlog: report?.backlog ?? null,
        reader: report?.reader ?? null,
        storage: report?.storage ?? null,
        diskFreeBytes: report?.diskFreeBytes ?? null,
      },
      now,
    );
    return { id: d.id, name: d.name, state, lastSeenAt: d.lastSeenAt, appVersion: row?.app_version ?? d.appVersion, deadLetters: d.deadLetters, report, alerts };
  });
}
