import { z } from 'zod';

/**
 * Kiosk software updates from the hall's own server: a generic electron-updater feed under
 * `/updates/<channel>/`, and the kiosk's report of a release that did not come up healthy. Shared
 * by the server (which writes and serves the feed) and the kiosk (which reads it and reports).
 */

export const updatePlatforms = ['linux', 'windows'] as const;
export type UpdatePlatform = (typeof updatePlatforms)[number];

/** The file electron-updater asks for: `latest` is its default channel, `-linux` its Linux suffix. */
export const updateInfoFileName: Record<UpdatePlatform, string> = { linux: 'latest-linux.yml', windows: 'latest.yml' };

/** The installer each platform's updater installs (DebUpdater and NsisUpdater look for these extensions). */
export const installerExtension: Record<UpdatePlatform, '.deb' | '.exe'> = { linux: '.deb', windows: '.exe' };

export function platformOfInstaller(fileName: string): UpdatePlatform | null {
  const lower = fileName.toLowerCase();
  return updatePlatforms.find((platform) => lower.endsWith(installerExtension[platform])) ?? null;
}

/** The name an installer is published under: ASCII, no spaces, so its feed URL needs no escaping. */
export function publishedInstallerName(platform: UpdatePlatform, version: string): string {
  return platform === 'linux' ? `hall-kiosk_${version}_amd64.deb` : `hall-kiosk-setup-${version}.exe`;
}

/** A rollout channel of the hall, e.g. `stable` for every kiosk, `pilot` for the test kiosk by the door. */
export const updateChannelSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a channel is lower-case letters, digits and dashes, e.g. "stable"');

/** Semantic version as electron-updater compares them (semver); build metadata is not allowed. */
export const releaseVersionSchema = z
  .string()
  .regex(/^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/, 'a version is MAJOR.MINOR.PATCH, e.g. 1.4.0 or 1.5.0-beta.1');

export const stagingPercentageSchema = z.int('the staging percentage is a whole number').min(1, 'the staging percentage is 1 to 100').max(100, 'the staging percentage is 1 to 100');

export interface UpdateInfo {
  version: string;
  /** the installer's file name, relative to the feed directory */
  fileName: string;
  /** base64 SHA-512 of the installer, which electron-updater checks after downloading */
  sha512: string;
  size: number;
  releaseDate: number;
  /** kiosks whose staging id falls under this share install it; absent means all */
  stagingPercentage?: number;
}

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The update info file in electron-builder's own layout (what `electron-builder --publish` writes):
 * electron-updater reads `version`, `files[].url/sha512/size`, `releaseDate` and
 * `stagingPercentage`. Every value is checked first, so nothing here needs YAML escaping
 * beyond the quoted date.
 */
export function renderUpdateInfo(info: UpdateInfo): string {
  releaseVersionSchema.parse(info.version);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(info.fileName)) throw new Error(`installer name "${info.fileName}" must be ASCII letters, digits, dots, dashes and underscores`);
  if (!base64Pattern.test(info.sha512) || info.sha512.length !== 88) throw new Error('sha512 must be the base64 SHA-512 of the installer (88 characters)');
  if (!Number.isSafeInteger(info.size) || info.size <= 0) throw new Error('size must be the installer size in bytes');
  const lines = [
    `version: ${info.version}`,
    'files:',
    `  - url: ${info.fileName}`,
    `    sha512: ${info.sha512}`,
    `    size: ${info.size}`,
    `path: ${info.fileName}`,
    `sha512: ${info.sha512}`,
    `releaseDate: '${new Date(info.releaseDate).toISOString()}'`,
  ];
  if (info.stagingPercentage !== undefined) lines.push(`stagingPercentage: ${stagingPercentageSchema.parse(info.stagingPercentage)}`);
  return `${lines.join('\n')}\n`;
}

export const updateFailureReasons = [
  /** the renderer and the kiosk API did not both answer within the deadline after the first start */
  'health-deadline',
  /** the new version kept crashing at start (restarted by systemd or the crash budget) */
  'crash-loop',
] as const;

export const updateHealthReportSchema = z
  .object({
    version: releaseVersionSchema,
    platform: z.enum(updatePlatforms),
    channel: updateChannelSchema,
    /** the version it replaced, if known: what the feed should fall back to */
    previousVersion: releaseVersionSchema.nullable(),
    reason: z.enum(updateFailureReasons),
    starts: z.int().min(1).max(10_000),
  })
  .strict();
export type UpdateHealthReport = z.infer<typeof updateHealthReportSchema>;

/** Semver precedence of two valid versions: negative when a is older. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const dash = v.indexOf('-');
    return { core: (dash < 0 ? v : v.slice(0, dash)).split('.').map(Number), pre: dash < 0 ? [] : v.slice(dash + 1).split('.') };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i]! - y.core[i]!;
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined || q === undefined) return p === undefined ? -1 : 1;
    if (p === q) continue;
    const numeric = /^\d+$/.test(p) && /^\d+$/.test(q);
    if (numeric) return Number(p) - Number(q);
    if (/^\d+$/.test(p) !== /^\d+$/.test(q)) return /^\d+$/.test(p) ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}
