import { z } from 'zod';
import { staffIdSchema } from '../attendance/roster.ts';
import { businessDaySchema } from '../sync/events.ts';
import type { LocalizedText } from '../text/localized.ts';
import { legActionNames } from './leg-lifecycle.ts';
import type { LegAction } from './leg-lifecycle.ts';

/**
 * The audit of every counter action (叫号记录) as the hall office reads it: who pressed what, at
 * which window, on which ticket, and whether it was done or refused. One row per press, refused
 * ones too; a press repeated with its idempotency key is one row.
 */

/** Rows on one page of the audit. */
export const counterAuditPageSize = 100;

export const counterAuditQuerySchema = z.object({
  /** the hall's business day; the server's today when left out */
  day: businessDaySchema.optional(),
  window: z.coerce.number().int().min(1).max(9999).optional(),
  staff: staffIdSchema.optional(),
  /** 1-based */
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export type CounterAuditQuery = z.infer<typeof counterAuditQuerySchema>;

export const counterAuditEntrySchema = z.object({
  id: z.string(),
  at: z.int(),
  window: z.int().nullable(),
  staffId: z.string().nullable(),
  /** an admin's press on a leg from outside any window */
  admin: z.string().nullable(),
  action: z.string(),
  /** the ticket's printed number, when the press was on a leg */
  label: z.string().nullable(),
  serviceId: z.string().nullable(),
  fromState: z.string().nullable(),
  toState: z.string().nullable(),
  outcome: z.enum(['done', 'refused']),
  refusal: z.string().nullable(),
});
export type CounterAuditEntry = z.infer<typeof counterAuditEntrySchema>;

export const counterAuditSchema = z.object({
  day: businessDaySchema,
  page: z.int().min(1),
  pageSize: z.int().min(1),
  /** every row matching the filter, on all pages */
  total: z.int().nonnegative(),
  entries: z.array(counterAuditEntrySchema),
});
export type CounterAudit = z.infer<typeof counterAuditSchema>;

const windowActionNames: Record<string, LocalizedText> = {
  'sign-in': { zh: '签到', en: 'sign in' },
  pause: { zh: '暂停', en: 'pause' },
  resume: { zh: '恢复办理', en: 'resume' },
  evaluated: { zh: '评价结束', en: 'evaluation over' },
  close: { zh: '签退', en: 'sign out' },
};

/** A press's name as the audit shows it; an action unknown to this version as it was stored. */
export function counterActionName(action: string): LocalizedText {
  return (legActionNames as Record<string, LocalizedText>)[action as LegAction] ?? windowActionNames[action] ?? { zh: action, en: action };
}
