import { z } from 'zod';
import { defaultHallTimeZone, isValidTimeZone } from '../calendar/business-day.ts';
import { parsePrinterAddress } from '../printing/printer-address.ts';
import { paperWidthSchema } from '../printing/printing.ts';
import { languages } from '../text/localized.ts';
import { readerPortSettingsSchema } from '../attendance/fingerprint-reader-api.ts';

export const kioskConfigVersion = 3;

/** A secret as the config stores it: sealed by the named secret box (Electron safeStorage, or none). */
export const sealedSecretSchema = z.object({
  box: z.string().min(1).max(40),
  sealed: z.string().min(1).max(8192),
});
export type SealedSecret = z.infer<typeof sealedSecretSchema>;

const httpUrlSchema = z.url({ protocol: /^https?$/ });

/** What enrollment with the hall's server gave this kiosk. */
export const enrolledDeviceSchema = z.object({
  id: z.string().min(1).max(64),
  /** the server it enrolled with: the token means nothing to any other */
  serverUrl: httpUrlSchema,
  token: sealedSecretSchema,
  enrolledAt: z.int().nonnegative(),
});
export type EnrolledDevice = z.infer<typeof enrolledDeviceSchema>;

/** The one schema of the kiosk's config, for electron-store and conf alike. */
export const kioskConfigSchema = z.object({
  schemaVersion: z.literal(kioskConfigVersion),
  kioskId: z.string().regex(/^[A-Za-z0-9-]{4,64}$/, 'kiosk id: 4–64 letters, digits or dashes'),
  hall: z.object({
    name: z.string().min(1).max(60),
    timeZone: z.string().refine(isValidTimeZone, 'not an IANA time zone, e.g. Asia/Shanghai'),
  }),
  serverUrl: httpUrlSchema.nullable(),
  device: enrolledDeviceSchema.nullable(),
  printer: z.object({
    address: z.string().superRefine((text, ctx) => {
      const parsed = parsePrinterAddress(text);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
    }),
    paperWidth: paperWidthSchema,
  }),
  reader: readerPortSettingsSchema,
  idleTimeoutSeconds: z.number().int().min(10).max(600),
  adminPinHash: z.string().nullable(),
  /**
   * Failed admin PIN attempts, kept in the config so a restart (or pulling the plug) does not
   * give a guesser a fresh set of tries. Absent means none.
   */
  adminPinLockout: z.object({ failures: z.int().nonnegative().max(1000), lockedUntil: z.int().nonnegative() }).optional(),
  defaultLanguage: z.enum(languages),
  /** 长辈模式 for every new citizen (a hall serving mostly elderly people); off, citizens switch it on */
  elderModeDefault: z.boolean().default(false),
  hostPort: z.number().int().min(1024).max(65535),
  /**
   * For a hall with no server: the catalog and guides (the hall server's JSON export form) and the
   * hall calendar this kiosk offers, as files; a relative path is read from the data dir. A kiosk
   * with a hall server takes both from the server instead. Absent, a standalone kiosk has none and
   * says so on screen.
   */
  catalogFile: z.string().min(1).max(4096).optional(),
  calendarFile: z.string().min(1).max(4096).optional(),
});
export type KioskConfig = z.infer<typeof kioskConfigSchema>;

export function defaultKioskConfig(kioskId: string): KioskConfig {
  return {
    schemaVersion: kioskConfigVersion,
    kioskId,
    hall: { name: '市政务服务中心', timeZone: defaultHallTimeZone },
    serverUrl: null,
    device: null,
    printer: { address: 'virtual', paperWidth: 80 },
    reader: { port: null, baudRate: 57600 },
    idleTimeoutSeconds: 60,
    adminPinHash: null,
    defaultLanguage: 'zh',
    elderModeDefault: false,
    hostPort: 8421,
  };
}

type RawConfig = Record<string, unknown>;

/**
 * Each step lifts a stored config from version N to N+1. Version 1 stored the idle timeout in
 * milliseconds as `idleTimeoutMs` and the printer as a flat `printerAddress`.
 */
const migrations: Record<number, (c: RawConfig) => RawConfig> = {
  1: ({ idleTimeoutMs, printerAddress, ...rest }) => ({
    ...rest,
    schemaVersion: 2,
    idleTimeoutSeconds: typeof idleTimeoutMs === 'number' ? Math.round(idleTimeoutMs / 1000) : idleTimeoutMs,
    printer: { address: printerAddress, paperWidth: 80 },
  }),
  // Version 3 adds the device enrolled with the hall's server; none yet.
  2: (c) => ({ ...c, schemaVersion: 3, device: null }),
};

export type ConfigLoad = { ok: true; config: KioskConfig; migratedFrom?: number } | { ok: false; errors: string[] };

/** Migrate then validate; every error names the key it is about. */
export function loadKioskConfig(raw: unknown): ConfigLoad {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, errors: ['(root): config must be a JSON object'] };
  let current = raw as RawConfig;
  const startVersion = current.schemaVersion;
  if (typeof startVersion !== 'number' || !Number.isInteger(startVersion) || startVersion < 1 || startVersion > kioskConfigVersion) {
    return { ok: false, errors: [`schemaVersion: expected an integer from 1 to ${kioskConfigVersion}, got ${JSON.stringify(startVersion)}`] };
  }
  for (let v = startVersion; v < kioskConfigVersion; v++) current = migrations[v]!(current);
  const parsed = kioskConfigSchema.safeParse(current);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
  return startVersion === kioskConfigVersion ? { ok: true, config: parsed.data } : { ok: true, config: parsed.data, migratedFrom: startVersion };
}

/** What the renderer may see of the config: never the PIN hash or device token. */
export const publicKioskConfigSchema = kioskConfigSchema.pick({ kioskId: true, hall: true, idleTimeoutSeconds: true, defaultLanguage: true, elderModeDefault: true }).extend({
  printer: z.object({ address: z.string(), paperWidth: paperWidthSchema }),
  serverConfigured: z.boolean(),
});
export type PublicKioskConfig = z.infer<typeof publicKioskConfigSchema>;

export function publicKioskConfig(c: KioskConfig): PublicKioskConfig {
  return {
    kioskId: c.kioskId,
    hall: c.hall,
    idleTimeoutSeconds: c.idleTimeoutSeconds,
    defaultLanguage: c.defaultLanguage,
    elderModeDefault: c.elderModeDefault,
    printer: c.printer,
    serverConfigured: c.serverUrl !== null,
  };
}

/**
 * What staff may change on the maintenance screen. Every field is checked by the config's own
 * schema after merging, so the screen cannot store anything loading would refuse.
 */
export const kioskConfigEditSchema = z.object({
  hallName: z.string(),
  /** empty: a standalone kiosk */
  serverUrl: z.string(),
  printerAddress: z.string(),
  /** empty: no reader port (the simulated module) */
  readerPort: z.string(),
  idleTimeoutSeconds: z.number(),
});
export type KioskConfigEdit = z.infer<typeof kioskConfigEditSchema>;
export const kioskConfigEditFields = ['hallName', 'serverUrl', 'printerAddress', 'readerPort', 'idleTimeoutSeconds'] as const;
export type KioskConfigEditField = (typeof kioskConfigEditFields)[number];

export function kioskConfigEditOf(c: KioskConfig): KioskConfigEdit {
  return { hallName: c.hall.name, serverUrl: c.serverUrl ?? '', printerAddress: c.printer.address, readerPort: c.reader.port ?? '', idleTimeoutSeconds: c.idleTimeoutSeconds };
}

/** One refused field: which, and the schema's (English) reason; the screen words it in the staff's language. */
export interface ConfigEditProblem {
  field: KioskConfigEditField;
  detail: string;
}
export type ConfigEditOutcome = { ok: true; config: KioskConfig; changed: KioskConfigEditField[] } | { ok: false; problems: ConfigEditProblem[] };

const fieldOfPath: Record<string, KioskConfigEditField> = {
  'hall.name': 'hallName',
  serverUrl: 'serverUrl',
  'printer.address': 'printerAddress',
  'reader.port': 'readerPort',
  idleTimeoutSeconds: 'idleTimeoutSeconds',
};

/**
 * The config with the edit applied, or every problem at once. Pure: the caller writes the result
 * in one piece, so a bad field never leaves the good ones half-saved.
 */
export function applyKioskConfigEdit(current: KioskConfig, edit: KioskConfigEdit): ConfigEditOutcome {
  const trimmed = (text: string) => text.trim();
  const next: KioskConfig = {
    ...current,
    hall: { ...current.hall, name: trimmed(edit.hallName) },
    serverUrl: trimmed(edit.serverUrl) === '' ? null : trimmed(edit.serverUrl),
    printer: { ...current.printer, address: trimmed(edit.printerAddress) },
    reader: { ...current.reader, port: trimmed(edit.readerPort) === '' ? null : trimmed(edit.readerPort) },
    idleTimeoutSeconds: edit.idleTimeoutSeconds,
  };
  const parsed = kioskConfigSchema.safeParse(next);
  if (!parsed.success) {
    const problems: ConfigEditProblem[] = [];
    for (const issue of parsed.error.issues) {
      const field = fieldOfPath[issue.path.join('.')];
      // An edit touches only its own fields; anything else wrong was wrong before and is not the screen's to report.
      if (field && !problems.some((p) => p.field === field)) problems.push({ field, detail: issue.message });
    }
    if (problems.length > 0) return { ok: false, problems };
    throw new Error(`the stored config is invalid: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  const before = kioskConfigEditOf(current);
  const after = kioskConfigEditOf(parsed.data);
  return { ok: true, config: parsed.data, changed: kioskConfigEditFields.filter((f) => before[f] !== after[f]) };
}
