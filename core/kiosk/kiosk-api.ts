import { z } from 'zod';
import { pageServerRequestSchema, serverReplySchema, serverStatusSchema } from '../http/central-server-request.ts';
import { disclosureSlipJobSchema } from '../guide/disclosure-slip.ts';
import { enrollProgressSchema, identifyRequestSchema, readerMethods, readerStatusSchema, watchIdSchema } from '../attendance/fingerprint-reader-api.ts';
import { staffMethods, staffTouchSchema } from '../attendance/staff-api.ts';
import { hallRulesSchema } from '../calendar/calendar-rules.ts';
import { kioskConfigEditFields, kioskConfigEditSchema, publicKioskConfigSchema } from './kiosk-config.ts';
import { localizedTextSchema } from '../text/localized.ts';
import { printResultSchema, printerStatusSchema, ticketPrintJobSchema } from '../printing/printing.ts';
import { queueStateSchema } from '../ticket/queue-state.ts';
import { catalogDocumentSchema } from '../catalog/catalog-document.ts';
import { businessDaySchema } from '../sync/events.ts';

/**
 * The typed API the privileged side offers the renderer as `window.kiosk`. Electron (IPC) and
 * host mode (HTTP on loopback) implement the same methods; the privileged side validates every
 * call's arguments with these schemas before acting.
 */
export const systemInfoSchema = z.object({
  version: z.string(),
  shell: z.enum(['electron', 'host']),
  startedAt: z.number(),
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;

export const pinCheckSchema = z.object({
  ok: z.boolean(),
  /** set while the PIN is locked after repeated failures */
  retryAfterSeconds: z.number().int().positive().optional(),
  /** after a wrong PIN: tries left before the lockout */
  attemptsLeft: z.number().int().nonnegative().optional(),
});
export type PinCheck = z.infer<typeof pinCheckSchema>;

/**
 * An admin's finger instead of the PIN. The privileged side identifies the finger and checks the
 * role itself; a refused finger counts toward the PIN's lockout, a finger that never came does not.
 */
export const fingerEntrySchema = pinCheckSchema.extend({
  refused: z
    .enum([
      /** no finger within the wait: nothing to say, the screen just waits again */
      'no-finger',
      /** the reader or the hall server could not give an answer: not counted */
      'unavailable',
      /** a finger the reader does not know: counted */
      'not-recognised',
      /** a known finger, but not an active admin's: counted */
      'not-admin',
    ])
    .optional(),
  /** what the person at the reader is told */
  text: localizedTextSchema.optional(),
});
export type FingerEntry = z.infer<typeof fingerEntrySchema>;

export const pinSchema = z.string().regex(/^\d{4,12}$/, 'PIN: 4–12 digits');

/** The maintenance screen's diagnostics from the privileged side; nothing personal in any of it. */
export const systemHealthSchema = z.object({
  versions: z.object({ app: z.string(), node: z.string(), electron: z.string().nullable(), chrome: z.string().nullable() }),
  uptimeSeconds: z.number().int().nonnegative(),
  /** free and total bytes where the kiosk keeps its data; null when the OS would not say */
  disk: z.object({ freeBytes: z.number().nonnegative(), totalBytes: z.number().nonnegative() }).nullable(),
  /** the latest warnings and errors of the kiosk's log, newest first */
  recentErrors: z.array(z.object({ at: z.number(), level: z.enum(['warn', 'error', 'fatal']), message: z.string() })),
});
export type SystemHealth = z.infer<typeof systemHealthSchema>;

export const configUpdateResultSchema = z.discriminatedUnion('ok', [
  /** applied to the file; the services pick up changed devices and server on the next start */
  z.object({ ok: z.literal(true), changed: z.array(z.enum(kioskConfigEditFields)), restartNeeded: z.boolean() }),
  z.object({ ok: z.literal(false), problems: z.array(z.object({ field: z.enum(kioskConfigEditFields), detail: z.string() })) }),
]);
export type ConfigUpdateResult = z.infer<typeof configUpdateResultSchema>;

/**
 * The catalog (with its guides) and the hall calendar from the files the privileged side was
 * given (kiosk config `catalogFile`/`calendarFile`, or host mode's options): what a kiosk with no
 * hall server offers. Null where no file is given.
 */
export const localContentSchema = z.object({
  catalog: catalogDocumentSchema.nullable(),
  hallRules: hallRulesSchema.nullable(),
});
export type LocalContent = z.infer<typeof localContentSchema>;

/** A day counter the privileged side keeps a floor for: a standalone kiosk's ticket numbers per prefix (`ticket:A`), and slip serials. */
export const counterNameSchema = z.string().regex(/^(ticket:[A-Z]{1,2}|slip)$/, 'counter: ticket:<prefix> or slip');

/**
 * The page asks for the next number of a day counter: at least `atLeast` (its own counter's
 * next), above everything handed out before, at most `atMost` (the 限号).
 */
export const counterClaimSchema = z.object({
  businessDay: businessDaySchema,
  counter: counterNameSchema,
  atLeast: z.int().min(1).max(999_999),
  atMost: z.int().min(1).max(999_999),
});
export type CounterClaim = z.infer<typeof counterClaimSchema>;

/** Which ticket a print job is, so the privileged side can keep its own record of what it printed. */
export const printedTicketRefSchema = z.object({
  ticketId: z.uuid(),
  businessDay: businessDaySchema,
});
export type PrintedTicketRef = z.infer<typeof printedTicketRefSchema>;

/**
 * A ticket this kiosk printed (or may have: the printer never confirmed), as the privileged side
 * recorded it: the job as last printed and how many times it was. Outlives the browser profile.
 */
export const printedTicketSchema = printedTicketRefSchema.extend({
  label: z.string(),
  job: ticketPrintJobSchema,
  /** when it was last printed, on the kiosk's clock */
  printedAt: z.int().nonnegative(),
  /** prints of this ticket, reprints included */
  prints: z.int().positive(),
  /** staff voided it since: it is never reprinted */
  voided: z.boolean(),
});
export type PrintedTicket = z.infer<typeof printedTicketSchema>;

/** Staff sign-in (PIN or an admin's finger) lasts this long; the privileged calls of maintenance and of the reader need it. */
export const staffSessionMs = 15 * 60_000;

export const kioskMethods = {
  'system.info': { args: z.tuple([]), result: systemInfoSchema },
  'config.get': { args: z.tuple([]), result: publicKioskConfigSchema },
  'printer.status': { args: z.tuple([]), result: printerStatusSchema },
  /** a ticket; with its ref, the privileged side records what it printed (printer.printedTickets) */
  'printer.print': { args: z.tuple([ticketPrintJobSchema, printedTicketRefSchema.optional()]), result: printResultSchema },
  /** the tickets this kiosk printed on a business day, newest first, whatever the browser profile still holds (补打; needs a staff sign-in) */
  /** staff voided a ticket: the privileged side's record no longer offers it for a reprint (needs a staff sign-in) */
  'printer.noteVoided': { args: z.tuple([printedTicketRefSchema]), result: z.object({ ok: z.literal(true) }) },
  'printer.printedTickets': { args: z.tuple([z.object({ businessDay: businessDaySchema })]), result: z.object({ tickets: z.array(printedTicketSchema) }) },
  /** the one-time disclosure slip (一次性告知单) of a service's checklist */
  'printer.printSlip': { args: z.tuple([disclosureSlipJobSchema]), result: printResultSchema },
  'printer.preview': { args: z.tuple([]), result: z.object({ text: z.string().nullable() }) },
  /** a test page with the printer's settings, for the maintenance screen */
  'printer.testPrint': { args: z.tuple([]), result: printResultSchema },
  'staff.verifyPin': { args: z.tuple([pinSchema]), result: pinCheckSchema },
  /** whether the PIN is locked now, so the PIN screen can count down before anyone types */
  'staff.pinStatus': { args: z.tuple([]), result: pinCheckSchema },
  /** waits for a finger on the reader and opens the staff session when it is an admin's */
  'staff.verifyFinger': { args: z.tuple([identifyRequestSchema]), result: fingerEntrySchema },
  'staff.signOut': { args: z.tuple([]), result: z.object({ ok: z.literal(true) }) },
  /** the staff-editable part of the config (maintenance; needs a staff sign-in) */
  'config.editable': { args: z.tuple([]), result: kioskConfigEditSchema },
  'config.update': { args: z.tuple([kioskConfigEditSchema]), result: configUpdateResultSchema },
  'system.health': { args: z.tuple([]), result: systemHealthSchema },
  /** leave the locked-down full screen (Electron); host mode cannot and says so */
  'system.exitKiosk': { args: z.tuple([]), result: z.object({ exited: z.boolean(), message: z.string() }) },
  /** one file with the kiosk's (already redacted) logs, written to removable media or the data dir */
  'logs.export': { args: z.tuple([]), result: z.object({ file: z.string(), bytes: z.number().int().nonnegative() }) },
  /** a page route of the hall's server; the privileged side adds the device token */
  'server.request': { args: z.tuple([pageServerRequestSchema]), result: serverReplySchema },
  'server.status': { args: z.tuple([]), result: serverStatusSchema },
  /** the privileged side's own pull (roster, templates, hall rules) now, for the staff screen's 同步; needs a staff sign-in */
  'server.pullNow': { args: z.tuple([]), result: z.object({ pulled: z.boolean() }) },
  /**
   * The hall rules (calendar) the privileged side last pulled and keeps on disk; null before any
   * (the page then offers no numbers and says so, unless the kiosk was given a calendar file: content.local). A `hall-rules` event brings each new one.
   */
  'hall.rules': { args: z.tuple([]), result: z.object({ rules: hallRulesSchema.nullable() }) },
  /** the staff roster and enrolment (指纹录入) */
  ...staffMethods,
  /**
   * The next number of a day counter, kept in the data dir before it is answered, so a wiped
   * browser profile never repeats one; null when none is left under `atMost`
   */
  'counters.claim': { args: z.tuple([counterClaimSchema]), result: z.object({ number: z.int().positive().nullable() }) },
  /** the catalog and calendar files of a kiosk with no hall server; fails when a file given cannot be read or is not valid */
  'content.local': { args: z.tuple([]), result: localContentSchema },
  /** the staff fingerprint reader (指纹签到) */
  ...readerMethods,
} as const;

export type KioskMethods = typeof kioskMethods;
export type KioskMethodName = keyof KioskMethods;
export const kioskMethodNames = Object.keys(kioskMethods) as KioskMethodName[];

export type KioskArgs<M extends KioskMethodName> = z.infer<KioskMethods[M]['args']>;
export type KioskResult<M extends KioskMethodName> = z.infer<KioskMethods[M]['result']>;
export type KioskCall<M extends KioskMethodName> = (...args: KioskArgs<M>) => Promise<KioskResult<M>>;

export const kioskEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('printer-status'), status: printerStatusSchema }),
  /** the hall server's live queue counts; null while the kiosk has no live stream (offline) */
  z.object({ type: z.literal('queue-state'), state: queueStateSchema.nullable() }),
  z.object({ type: z.literal('reader-status'), status: readerStatusSchema }),
  /** one answer of a finger watch (reader.watch): who touched, or why nobody; never a timeout or a cancel */
  z.object({ type: z.literal('reader-finger'), watchId: watchIdSchema, result: staffTouchSchema }),
  /** the privileged side pulled new hall rules: the screens decide by them from now on */
  z.object({ type: z.literal('hall-rules'), rules: hallRulesSchema }),
  /** a step of the enrolment in progress, for the guided prompts */
  z.object({ type: z.literal('reader-enroll'), progress: enrollProgressSchema }),
]);
export type KioskEvent = z.infer<typeof kioskEventSchema>;

type GroupOf<M> = M extends `${infer G}.${string}` ? G : never;
type KioskGroups = {
  [G in GroupOf<KioskMethodName>]: {
    [M in KioskMethodName as M extends `${G}.${infer F}` ? F : never]: KioskCall<M>;
  };
};

export type KioskApi = KioskGroups & {
  events: { subscribe(listener: (event: KioskEvent) => void): () => void };
};

export class KioskCallError extends Error {
  override readonly name = 'KioskCallError';
  constructor(readonly method: string, message: string) {
    super(`${method}: ${message}`);
  }
}

export type ParsedCall =
  | { ok: true; method: KioskMethodName; args: unknown[] }
  | { ok: false; error: string };

/** Validate an untrusted call before anything acts on it. */
export function parseKioskCall(method: unknown, args: unknown): ParsedCall {
  if (typeof method !== 'string' || !Object.hasOwn(kioskMethods, method)) {
    return { ok: false, error: `unknown method ${JSON.stringify(method)}` };
  }
  const name = method as KioskMethodName;
  const parsed = kioskMethods[name].args.safeParse(args);
  if (!parsed.success) {
    return { ok: false, error: `${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'args'} ${i.message}`).join('; ')}` };
  }
  return { ok: true, method: name, args: parsed.data as unknown[] };
}

/** Build the nested `window.kiosk` object from one generic transport. */
export function buildKioskApi(
  invoke: (method: KioskMethodName, args: unknown[]) => Promise<unknown>,
  subscribe: KioskApi['events']['subscribe'],
): KioskApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const name of kioskMethodNames) {
    const [group, fn] = name.split('.') as [string, string];
    api[group] ??= {};
    api[group][fn] = async (...args: unknown[]) => kioskMethods[name].result.parse(await invoke(name, args));
  }
  api.events = { subscribe };
  return api as unknown as KioskApi;
}
