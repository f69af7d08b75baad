import { z } from 'zod';
import { localizedTextSchema } from '../text/localized.ts';

/**
 * What the renderer may ask of the kiosk's fingerprint reader (reader.* kiosk methods) and what
 * it hears back. Failures the person at the reader must act on come back as values with a
 * message to show, not as thrown errors: "not recognised" is an everyday answer. The reader's
 * library (which page holds whose template) is the privileged side's alone: the page watches for
 * fingers and hears who touched (core/attendance/staff-api.ts), never a page or a template.
 */

/** AS608-family library slots; the largest modules hold 1,000 templates. */
export const readerPageSchema = z.number().int().min(0).max(2999);

export const readerStatusSchema = z.object({
  state: z.enum(['connected', 'disconnected']),
  /** the in-process simulated module of a demo or standalone kiosk, not a device */
  simulated: z.boolean(),
  /** library size from the module's system parameters, once it has answered */
  librarySize: z.number().int().positive().optional(),
  /** what staff are told while it is disconnected */
  text: localizedTextSchema.optional(),
});
export type ReaderStatusReport = z.infer<typeof readerStatusSchema>;

export const readerFailureKinds = [
  /** a finger the library does not hold */
  'not-recognised',
  /** no finger within the time allowed */
  'timeout',
  /** cancelled by reader.cancel, or replaced by a newer identify/enroll */
  'cancelled',
  /** press again: smudged, too light, moved */
  'poor-image',
  /** enrolment: the two presses were of different fingers */
  'merge-failed',
  /** the reader is unplugged, silent or answered nonsense */
  'reader-unavailable',
  /** any other code the module answered */
  'reader-error',
] as const;
export type ReaderFailureKind = (typeof readerFailureKinds)[number];

export const readerFailureSchema = z.object({ ok: z.literal(false), kind: z.enum(readerFailureKinds), text: localizedTextSchema });
export type ReaderFailure = z.infer<typeof readerFailureSchema>;

export const identifyRequestSchema = z.object({
  /** how long to wait for a finger before answering 'timeout' */
  timeoutMs: z.number().int().min(100).max(120_000),
});

export const identifyResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), page: readerPageSchema, score: z.number().int().min(0) }),
  readerFailureSchema,
]);
export type IdentifyResult = z.infer<typeof identifyResultSchema>;

/**
 * A finger watch: the privileged side identifies finger after finger on its own and reports each
 * answer as a `reader-finger` event, so no round trip to the page sits between one press being
 * searched and the sensor being ready for the next. It lasts while the screen renews its lease.
 */
export const watchLeaseSchema = z.number().int().min(1_000).max(120_000);
export const watchIdSchema = z.number().int().positive();

/** One step of a running enrolment, for the guided prompts on the staff screen. */
export const enrollProgressSchema = z.object({
  page: readerPageSchema,
  step: z.enum(['place', 'captured', 'retry', 'lift', 'merging', 'storing', 'done']),
  /** 1 or 2 during the captures */
  capture: z.union([z.literal(1), z.literal(2)]).optional(),
  text: localizedTextSchema,
});
export type EnrollProgress = z.infer<typeof enrollProgressSchema>;

/** A demo finger: any short name stands for one stable synthetic finger; 'lift' takes it off. */
export const simulatedFingerSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'finger: 1–64 letters, digits, _ or -');

/** The baud rates AS608-family modules take: 9600 × N, N = 1…12 (SetSysPara); 57600 out of the box. */
export const readerBaudRates = [9600, 19200, 28800, 38400, 48000, 57600, 67200, 76800, 86400, 96000, 105600, 115200] as const;

/** A serial device path: absolute, no '..', or a Windows COM port. */
export const serialPortPathSchema = z
  .string()
  .max(256)
  .refine((path) => /^COM[1-9]\d{0,2}$/.test(path) || (/^\/[A-Za-z0-9._/:+@-]+$/.test(path) && !path.split('/').includes('..')), 'port: an absolute device path such as /dev/ttyUSB0, or COM3');

/** Where the kiosk's reader is: a serial port and baud, or null for the simulated module of a demo kiosk. */
export const readerPortSettingsSchema = z.object({
  port: serialPortPathSchema.nullable(),
  baudRate: z
    .number()
    .int()
    .refine((baud) => (readerBaudRates as readonly number[]).includes(baud), `baudRate: one of ${readerBaudRates.join(', ')}`),
});
export type ReaderPortSettings = z.infer<typeof readerPortSettingsSchema>;

/** One serial device of the kiosk, for the staff screen's port picker. */
export const serialPortChoiceSchema = z.object({
  path: z.string(),
  label: z.string(),
  /** a USB-serial bridge of a kind these modules are sold with */
  likelyReader: z.boolean(),
});
export type SerialPortChoiceReport = z.infer<typeof serialPortChoiceSchema>;

export const readerMethods = {
  'reader.status': { args: z.tuple([]), result: readerStatusSchema },
  /** starts a finger watch, taking the sensor from any older watch (whose events then stop) */
  'reader.watch': { args: z.tuple([z.object({ leaseMs: watchLeaseSchema })]), result: z.object({ watchId: watchIdSchema }) },
  /** keeps a watch going; false once another screen's watch (or an identify/enrol) took over */
  'reader.renewWatch': { args: z.tuple([z.object({ watchId: watchIdSchema, leaseMs: watchLeaseSchema })]), result: z.object({ watching: z.boolean() }) },
  /** ends the watch if it is still this one */
  'reader.unwatch': { args: z.tuple([z.object({ watchId: watchIdSchema })]), result: z.object({ stopped: z.boolean() }) },
  /** ends a waiting identify or enrolment with 'cancelled' */
  'reader.cancel': { args: z.tuple([]), result: z.object({ cancelled: z.boolean() }) },
  /** the serial devices this kiosk has, likely readers first */
  'reader.ports': { args: z.tuple([]), result: z.object({ ports: z.array(serialPortChoiceSchema), current: readerPortSettingsSchema }) },
  /** saves the reader's port and baud in the kiosk config and reopens the reader there */
  'reader.configure': { args: z.tuple([readerPortSettingsSchema]), result: readerStatusSchema },
  /** demo only: refused when a real reader is configured */
  'reader.simulateFinger': { args: z.tuple([simulatedFingerSchema]), result: z.object({ ok: z.literal(true) }) },
} as const;
