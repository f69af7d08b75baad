import { z } from 'zod';
import { localizedTextSchema } from '../text/localized.ts';
import { callingSettingsSchema, pauseReasonSchema } from './calling-settings.ts';
import { priorityClassSchema } from '../ticket/ticket.ts';
import { legStateSchema } from './leg.ts';
import { windowProfileSchema, windowStateSchema } from './window.ts';

/**
 * What the counter app (窗口叫号端) and the hall server say to each other: the presses, and the
 * window and legs as the counter shows them. Numbers, states and times only: no citizen's data.
 */

/** Every press carries one (a UUID made by the counter per press): a press sent twice acts once. */
export const idempotencyKeySchema = z.string().min(8).max(100).regex(/^[A-Za-z0-9_-]+$/, 'an idempotency key is letters, digits, _ and -');

export const counterPressSchema = z.discriminatedUnion('action', [
  /** 叫号: the next leg by the next rule */
  z.object({ action: z.literal('call') }),
  z.object({ action: z.literal('recall') }),
  z.object({ action: z.literal('start') }),
  z.object({ action: z.literal('finish') }),
  z.object({ action: z.literal('no-show') }),
  /** 过号重排: the called leg back a few places */
  z.object({ action: z.literal('recycle') }),
  z.object({ action: z.literal('suspend') }),
  /** 回呼 one of this window's suspended legs */
  z.object({ action: z.literal('call-back'), legId: z.string().min(1).max(64) }),
  /** 转移 the held leg to another service, or to one window (null: any window serving it) */
  z.object({ action: z.literal('transfer'), serviceId: z.string().min(1).max(64), window: z.int().positive().nullable().default(null) }),
  z.object({ action: z.literal('pause'), reason: z.string().min(1).max(32), note: z.string().max(200).nullable().default(null) }),
  z.object({ action: z.literal('resume') }),
  /** 评价器 answered (or gave up): an evaluating window is idle again */
  z.object({ action: z.literal('evaluated') }),
  z.object({ action: z.literal('close') }),
]);
export type CounterPress = z.infer<typeof counterPressSchema>;
export type CounterPressAction = CounterPress['action'];

export const counterPressRequestSchema = z.object({ idempotencyKey: idempotencyKeySchema, press: counterPressSchema });
export type CounterPressRequest = z.infer<typeof counterPressRequestSchema>;

/** What an administrator may do to a leg from outside any window (audited). */
export const adminLegActions = ['reactivate', 'void', 'recycle'] as const;
export const adminLegPressSchema = z.object({ idempotencyKey: idempotencyKeySchema, action: z.enum(adminLegActions) });
export type AdminLegPress = z.infer<typeof adminLegPressSchema>;

export const legViewSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  parentLegId: z.string().nullable(),
  label: z.string(),
  serviceId: z.string(),
  priority: priorityClassSchema,
  state: legStateSchema,
  /** corrected issue time, server clock */
  issuedAt: z.int(),
  pinnedWindow: z.int().nullable(),
  window: z.int().nullable(),
  calls: z.int(),
  firstCalledAt: z.int().nullable(),
  lastCalledAt: z.int().nullable(),
  startedAt: z.int().nullable(),
  endedAt: z.int().nullable(),
  recycled: z.boolean(),
});
export type LegView = z.infer<typeof legViewSchema>;

export const windowViewSchema = z.object({
  number: z.int().positive(),
  name: z.string(),
  departmentId: z.string(),
  profile: windowProfileSchema,
  hasEvaluator: z.boolean(),
  state: windowStateSchema,
  /** whoever is signed in; null when closed */
  staffId: z.string().nullable(),
  legId: z.string().nullable(),
  pause: z.object({ reason: z.string(), since: z.int(), note: z.string().nullable() }).nullable(),
  since: z.int(),
});
export type WindowView = z.infer<typeof windowViewSchema>;

export const pressResultSchema = z.object({
  action: z.string(),
  /** the window afterwards; null for an administrator's press on a leg no window holds */
  window: windowViewSchema.nullable(),
  /** the leg the press moved; null for a press on the window alone */
  leg: legViewSchema.nullable(),
  /** a transfer's new waiting leg */
  created: legViewSchema.nullable(),
  /** the last hall event the press wrote: a stream client has seen the press once it has this id */
  lastEventId: z.int().nullable(),
  /** true when this is the answer to an earlier press with the same key, sent again */
  replayed: z.boolean(),
});
export type PressResult = z.infer<typeof pressResultSchema>;

/** A refused press: the refusal's code and what the clerk reads (core/queue/leg-refusals.ts, window.ts). */
export const pressRefusalSchema = z.object({ refusal: z.string(), reason: localizedTextSchema });
export type PressRefusal = z.infer<typeof pressRefusalSchema>;

export const counterSignInSchema = z.object({
  staffId: z.string().min(1).max(64),
  pin: z.string().min(1).max(200),
  window: z.int().positive(),
});
export type CounterSignIn = z.infer<typeof counterSignInSchema>;

export const counterSessionSchema = z.object({ token: z.string(), expiresAt: z.int(), window: windowViewSchema });

/** 签退: the window closes (a press like the others, with its key) and its sessions end. */
export const counterSignOutSchema = z.object({ idempotencyKey: idempotencyKeySchema });

/** The window's view of its queue: what it would call, in the order it would call it, and today's counts. */
export const windowQueueSchema = z.object({
  window: windowViewSchema,
  /** the leg it holds (called or being served) */
  current: legViewSchema.nullable(),
  /** waiting legs it may call, in the order 叫号 would take them */
  waiting: z.array(legViewSchema),
  /** its suspended legs, to call back */
  suspended: z.array(legViewSchema),
  today: z.object({ called: z.int(), served: z.int(), noShows: z.int(), transferred: z.int() }),
});
export type WindowQueue = z.infer<typeof windowQueueSchema>;

/**
 * What the desk needs beside its queue, read once it is signed in: the hall's services as its
 * catalog names them (what the desk shows for a service, and where 转移 may send a ticket) and the
 * hall's pause reasons (暂离, 会议, 外出送件 …).
 */
export const counterSetupSchema = z.object({
  services: z.array(z.object({ id: z.string(), departmentId: z.string(), name: localizedTextSchema })),
  pauseReasons: z.array(pauseReasonSchema),
});
export type CounterSetup = z.infer<typeof counterSetupSchema>;

export const newWindowSchema = z.object({
  number: z.int().min(1).max(9999),
  name: z.string().trim().min(1).max(60),
  departmentId: z.string().min(1).max(64),
  profile: windowProfileSchema,
  hasEvaluator: z.boolean().default(true),
});
export type NewWindow = z.infer<typeof newWindowSchema>;

/** A counter PIN or password: at least 6 characters (the lock after repeated failures does the rest). */
export const counterPinSchema = z.string().min(6, 'a counter PIN has at least 6 characters').max(200);

// ---- the hall office's side ----

export const windowNumberSchema = z.coerce.number().int().min(1).max(9999);
/** A window's definition as the admin API takes it: its number is the path's. */
export const windowDefinitionSchema = newWindowSchema.omit({ number: true });
export const windowAnswerSchema = z.object({ window: windowViewSchema });
export const windowListingSchema = z.object({ windows: z.array(windowViewSchema) });
export const counterPinBodySchema = z.object({ pin: counterPinSchema });
export const counterPinAnswerSchema = z.object({ staffId: z.string(), pinSet: z.literal(true) });
export const callingSettingsAnswerSchema = z.object({ settings: callingSettingsSchema });
