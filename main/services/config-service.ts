import { copyFileSync, existsSync } from 'node:fs';
import type { ConfigUpdateResult } from '../../core/kiosk/kiosk-api.ts';
import { applyKioskConfigEdit, defaultKioskConfig, kioskConfigSchema, loadKioskConfig, type KioskConfig, type KioskConfigEdit, type KioskConfigEditField } from '../../core/kiosk/kiosk-config.ts';
import { plainSecretBox, type SecretBox } from './secret-box.ts';

/**
 * The part of conf / electron-store this service relies on. Both read the file on every `store`
 * access and replace it atomically on assignment, so one shape serves both shells.
 */
export interface ConfigStore {
  store: Record<string, unknown>;
  readonly path: string;
}

/** A config the kiosk cannot run with. The file is left exactly as it was found. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(
      `Kiosk configuration ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'The file has not been changed. Correct the keys listed above and restart the kiosk.',
    );
  }
}

export interface ConfigServiceOptions {
  /** Opening may throw (conf parses the file in its constructor); the error is reported, not rethrown raw. */
  openStore: () => ConfigStore;
  /** Where the shell expects the file, for messages when opening fails before the store knows its path. */
  file: string;
  newKioskId: () => string;
  /** seals the device token at rest; plain (file mode only) when the shell has nothing better */
  secretBox?: SecretBox;
}

/** The device identity as the central-server client uses it, token unsealed. */
export interface DeviceCredentials {
  id: string;
  serverUrl: string;
  token: string;
}

export type StoredDevice = { ok: true; device: DeviceCredentials } | { ok: false; problem: string } | null;

export class ConfigService {
  private current: KioskConfig;

  private constructor(
    private readonly backing: ConfigStore,
    private readonly secretBox: SecretBox,
    config: KioskConfig,
    /** true when this start created the file */
    readonly created: boolean,
    /** the stored schema version this start migrated from, if any */
    readonly migratedFrom: number | undefined,
  ) {
    this.current = config;
  }

  /** @throws ConfigError */
  static open(options: ConfigServiceOptions): ConfigService {
    const backing = openBacking(options);
    const box = options.secretBox ?? plainSecretBox;
    const raw = readRaw(backing);
    // Only a missing file counts as a first start: an existing file that parses to nothing
    // (e.g. `[]`) is someone's broken edit, and overwriting it would hide that.
    if (!existsSync(backing.path) && Object.keys(raw).length === 0) {
      const fresh = defaultKioskConfig(options.newKioskId());
      writeRaw(backing, fresh);
      return new ConfigService(backing, box, fresh, true, undefined);
    }
    const loaded = loadKioskConfig(withoutInternalKeys(raw));
    if (!loaded.ok) throw new ConfigError(backing.path, loaded.errors);
    if (loaded.migratedFrom !== undefined) {
      // The schema drops keys it does not know; the original stays beside the new file in case
      // one of them mattered.
      copyFileSync(backing.path, migrationBackupPath(backing.path, loaded.migratedFrom));
      writeRaw(backing, loaded.config);
    }
    return new ConfigService(backing, box, loaded.config, false, loaded.migratedFrom);
  }

  get path(): string {
    return this.backing.path;
  }

  get(): KioskConfig {
    return this.current;
  }

  /** Validated by the same schema as loading; an invalid config is never written. @throws ConfigError */
  save(next: KioskConfig): KioskConfig {
    const parsed = kioskConfigSchema.safeParse(next);
    if (!parsed.success) {
      throw new ConfigError(this.backing.path, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
    }
    writeRaw(this.backing, parsed.data);
    this.current = parsed.data;
    return parsed.data;
  }

  update(change: (config: KioskConfig) => KioskConfig): KioskConfig {
    return this.save(change(structuredClone(this.current)));
  }

  /**
   * A staff edit from the maintenance screen: every field checked first, then the whole file
   * replaced at once, or nothing written at all.
   */
  applyEdit(edit: KioskConfigEdit): ConfigUpdateResult {
    const outcome = applyKioskConfigEdit(this.current, edit);
    if (!outcome.ok) return outcome;
    if (outcome.changed.length > 0) this.save(outcome.config);
    return { ok: true, changed: outcome.changed, restartNeeded: outcome.changed.some((f) => servicesReadAtStart.has(f)) };
  }

  /** The enrolled device with its token unsealed; null before enrollment. */
  device(): StoredDevice {
    const stored = this.current.device;
    if (!stored) return null;
    const { box, sealed } = stored.token;
    // A plain value reads the same under any box; a sealed one only under the box that sealed it.
    if (box !== plainSecretBox.kind && box !== this.secretBox.kind) {
      return { ok: false, problem: `the device token was sealed by "${box}", which this shell (${this.secretBox.kind}) cannot open; enroll again` };
    }
    try {
      const token = box === plainSecretBox.kind ? sealed : this.secretBox.decrypt(sealed);
      return { ok: true, device: { id: stored.id, serverUrl: stored.serverUrl, token } };
    } catch (error) {
      return { ok: false, problem: `the device token cannot be unsealed (${error instanceof Error ? error.message : String(error)}); enroll again` };
    }
  }

  /** Stores a fresh enrollment, the token sealed by this shell's secret box. @throws ConfigError */
  saveDevice(device: DeviceCredentials, enrolledAt: number): void {
    const token = { box: this.secretBox.kind, sealed: this.secretBox.encrypt(device.token) };
    this.update((c) => ({ ...c, device: { id: device.id, serverUrl: device.serverUrl, token, enrolledAt } }));
  }
}

/** The printer, the reader and the server link are set up once per start. */
const servicesReadAtStart = new Set<KioskConfigEditField>(['serverUrl', 'printerAddress', 'readerPort']);

export function migrationBackupPath(file: string, fromVersion: number): string {
  return file.replace(/(\.json)?$/, `.v${fromVersion}.bak$1`);
}

function openBacking(options: ConfigServiceOptions): ConfigStore {
  try {
    return options.openStore();
  } catch (error) {
    throw new ConfigError(options.file, [describeReadFailure(error)]);
  }
}

function readRaw(backing: ConfigStore): Record<string, unknown> {
  try {
    return backing.store;
  } catch (error) {
    throw new ConfigError(backing.path, [describeReadFailure(error)]);
  }
}

function writeRaw(backing: ConfigStore, config: KioskConfig): void {
  backing.store = { ...config };
}

function describeReadFailure(error: unknown): string {
  if (error instanceof SyntaxError) return `(file): not valid JSON — ${error.message}`;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return `(file): cannot be read${code ? ` (${code})` : ''} — ${error instanceof Error ? error.message : String(error)}`;
}

// conf keeps its own bookkeeping under `__internal__`; it is not part of our schema.
function withoutInternalKeys(raw: Record<string, unknown>): Record<string, unknown> {
  const { __internal__: _internal, ...rest } = raw;
  return rest;
}
