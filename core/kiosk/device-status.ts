import { z } from 'zod';
import { printerStates } from '../printing/printing.ts';
import type { PrinterState } from '../printing/printing.ts';

/**
 * What a kiosk tells the hall server about itself, about once a minute, so the hall office sees
 * a kiosk out of paper or falling behind before a citizen does. The server keeps the latest per
 * device; it never acts on it.
 */
export const deviceStatusEveryMs = 60_000;

export const deviceStatusReportSchema = z.object({
  appVersion: z.string().min(1).max(40),
  /** seconds since the kiosk's services started */
  uptimeSeconds: z.int().nonnegative().max(10 * 366 * 24 * 3600),
  /** outbox events the server has not acknowledged yet */
  pendingEvents: z.int().nonnegative().max(100_000_000),
  /** the last sync round's error, null when it succeeded */
  lastSyncError: z.string().max(500).nullable(),
  /** null when the kiosk could not ask its printer */
  printer: z
    .object({
      state: z.enum(printerStates),
      paperNearEnd: z.boolean(),
      detail: z.string().max(200).optional(),
    })
    .nullable(),
  // The fields below came with the heartbeat of the maintenance work; optional, so a kiosk on
  // an older version still reports.
  /** null: this kiosk has no fingerprint reader */
  reader: z.object({ state: z.enum(['connected', 'disconnected']) }).nullable().optional(),
  /** the kiosk's local database as the browser estimates it; null when it would not say */
  storage: z.object({ usedBytes: z.number().nonnegative(), quotaBytes: z.number().nonnegative() }).nullable().optional(),
  /** free space on the disk holding the kiosk's data and logs */
  diskFreeBytes: z.number().nonnegative().nullable().optional(),
  /** the latest warning or error in the kiosk's log (redacted there), null when none */
  lastError: z.string().max(300).nullable().optional(),
  /** e.g. "node 20.19.0 · chrome 138.0" */
  runtimeVersions: z.string().max(120).optional(),
});
export type DeviceStatusReport = z.infer<typeof deviceStatusReportSchema>;

/** Not seen (any authenticated request) for longer than this: the kiosk counts as offline. */
export const kioskOfflineAfterMs = 3 * 60 * 1000;
/** A backlog that has not shrunk for this long while it grew is an alert. */
export const backlogGrowingAfterMs = 5 * 60 * 1000;

/**
 * A run of reports in which the pending count never went down: since when, and from what count.
 * Null while the outbox is empty.
 */
export interface Backlog {
  since: number;
  startPending: number;
}

/**
 * The backlog after one more report. A drop in the pending count means sync is making progress,
 * so the run starts again from there; only a count that stays up and grows makes an alert.
 */
export function nextBacklog(previous: Backlog | null, previousPending: number | null, pending: number, now: number): Backlog | null {
  if (pending === 0) return null;
  if (previous === null || previousPending === null || pending < previousPending) return { since: now, startPending: pending };
  return previous;
}

export const kioskAlertKinds = ['offline', 'paper-out', 'printer-fault', 'backlog-growing', 'reader-disconnected', 'storage-low', 'paper-near-end'] as const;

/** Below this much free disk, or above this share of the browser's quota, storage is an alert. */
export const diskFreeLowBytes = 500 * 1024 * 1024;
export const storageQuotaHighShare = 0.9;
export type KioskAlertKind = (typeof kioskAlertKinds)[number];

export interface KioskHealthFacts {
  /** revoked and never-enrolled kiosks raise no alerts: nobody expects them to run */
  active: boolean;
  lastSeenAt: number | null;
  printer: { state: PrinterState; paperNearEnd: boolean } | null;
  pendingEvents: number | null;
  backlog: Backlog | null;
  reader?: { state: 'connected' | 'disconnected' } | null;
  storage?: { usedBytes: number; quotaBytes: number } | null;
  diskFreeBytes?: number | null;
}

/** What the hall office must look at, worst first. Time is passed in. */
export function kioskAlerts(facts: KioskHealthFacts, now: number): KioskAlertKind[] {
  if (!facts.active) return [];
  const alerts: KioskAlertKind[] = [];
  if (facts.lastSeenAt === null || now - facts.lastSeenAt > kioskOfflineAfterMs) alerts.push('offline');
  if (facts.printer?.state === 'paper-out') alerts.push('paper-out');
  else if (facts.printer && facts.printer.state !== 'ready') alerts.push('printer-fault');
  const { backlog, pendingEvents } = facts;
  if (backlog && pendingEvents !== null && pendingEvents > backlog.startPending && now - backlog.since >= backlogGrowingAfterMs) alerts.push('backlog-growing');
  if (facts.reader?.state === 'disconnected') alerts.push('reader-disconnected');
  const { storage, diskFreeBytes } = facts;
  const quotaHigh = storage != null && storage.quotaBytes > 0 && storage.usedBytes / storage.quotaBytes >= storageQuotaHighShare;
  if (quotaHigh || (diskFreeBytes != null && diskFreeBytes < diskFreeLowBytes)) alerts.push('storage-low');
  if (facts.printer?.paperNearEnd && facts.printer.state !== 'paper-out') alerts.push('paper-near-end');
  return alerts;
}
