import { z } from 'zod';
import { defaultHallTimeZone, isValidTimeZone } from './business-day.ts';
import { parsePrinterAddress } from './printer-address.ts';
import { paperWidthSchema } from './printing.ts';
import { languages } from './localized.ts';

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
  reader: z.object({
    port: z.string().min(1).nullable(),
    baudRate: z.number().int().positive(),
  }),
  idleTimeoutSeconds: z.number().int().min(10).max(600),
  adminPinHash: z.string().nullable(),
  defaultLanguage: z.enum(languages),
  /** 长辈模式 for every new citizen (a hall serving mostly elderly people); off, citizens switch it on */
  elderModeDefault: z.boolean().default(false),
  hostPort: z.number().int().min(1024).max(65535),
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
