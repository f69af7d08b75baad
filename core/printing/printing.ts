import { z } from 'zod';
import { languages } from '../text/localized.ts';

export const paperWidths = [58, 80] as const;
export const paperWidthSchema = z.union([z.literal(58), z.literal(80)]);
export type PaperWidth = z.infer<typeof paperWidthSchema>;

/** Columns of one line on each paper: an ASCII character takes one, a Chinese character two. */
export function lineColumns(paper: PaperWidth): number {
  return paper === 80 ? 48 : 32;
}

const asciiPrintable = /^[\x20-\x7e]*$/;

/** What the kiosk asks the printer to print; all text is already in the citizen's language. */
export const ticketPrintJobSchema = z.object({
  hallName: z.string().min(1).max(60),
  label: z.string().regex(/^[A-Z]{1,2}\d{3,5}$/),
  serviceName: z.string().min(1).max(80),
  windows: z.string().max(80).optional(),
  /** where or from when the number is served when not at open counters now: 明天 9:00 起有效 (English runs longer) */
  validityText: z.string().max(80).optional(),
  priorityMark: z.string().max(60).optional(),
  peopleAheadText: z.string().max(40).optional(),
  /** 预计等候约N分钟, only when the hall server had enough measurements to say */
  waitEstimateText: z.string().max(40).optional(),
  issuedAtText: z.string().min(1).max(40),
  /**
   * The live ticket's address (core/ticket/live-ticket.ts); absent: no QR at all (the hall has no
   * public address). Kept ASCII so every QR reader and every printer's native QR encoder reads it
   * the same way.
   */
  qrPayload: z.string().min(1).max(300).regex(asciiPrintable, 'QR payload must be printable ASCII').optional(),
  footer: z.string().max(200).optional(),
  /** the citizen's language, when not Chinese: a reprint says 补打 in it too */
  language: z.enum(languages).optional(),
});
export type TicketPrintJob = z.infer<typeof ticketPrintJobSchema>;

export const printerStates = ['ready', 'paper-out', 'cover-open', 'offline', 'error'] as const;
export type PrinterState = (typeof printerStates)[number];

export const printerStatusSchema = z.object({
  state: z.enum(printerStates),
  paperNearEnd: z.boolean(),
  detail: z.string().optional(),
});
export type PrinterStatus = z.infer<typeof printerStatusSchema>;

/**
 * The outcome of one job. `printed` only when the printer confirmed it; `unknown` when the job
 * was sent but never confirmed — it may or may not have printed, and must not be resent blindly.
 */
export const printOutcomes = ['printed', 'paper-out', 'cover-open', 'offline', 'error', 'unknown'] as const;
export const printResultSchema = z.object({
  outcome: z.enum(printOutcomes),
  paperNearEnd: z.boolean(),
  detail: z.string().optional(),
});
export type PrintResult = z.infer<typeof printResultSchema>;
