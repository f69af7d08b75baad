import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

// electron-builder's own loader and schema check, the ones `electron-builder` runs before packaging.
interface BuilderConfig {
  appId?: string;
  asar?: boolean;
  /** getConfig normalises the list into file sets */
  files?: Array<string | { filter: string[] }>;
  npmRebuild?: boolean;
  buildDependenciesFromSource?: boolean;
  electronFuses?: Record<string, boolean>;
  publish?: Array<{ provider: string; url: string; channel?: string }>;
  linux?: { target?: unknown[]; executableName?: string; extraFiles?: Array<{ from: string; to: string; filter: string[] }> };
  win?: { target?: Array<{ target: string }> };
  nsis?: { perMachine?: boolean; oneClick?: boolean; deleteAppDataOnUninstall?: boolean };
}
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig: (projectDir: string, configPath: string | null, fromOptions: null) => Promise<BuilderConfig>;
  validateConfiguration: (config: BuilderConfig, debugLogger: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const loadConfig = () => getConfig(repo, join(repo, 'electron-builder.yml'), null);

describe('electron-builder.yml', () => {
  it('passes electron-builder 26 schema validation', async () => {
    const config = await loadConfig();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is really checked: a misspelt option is refused by the same validation', async () => {
    const config = await loadConfig();
    const broken = { ...config, nsis: { ...config.nsis, perMachin: true } } as BuilderConfig;
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(/configuration\.nsis/);
  });

  it('keeps the fixed appId, asar packing and prebuilt native modules', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('cn.gov.hall.kiosk');
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
    const patterns = (config.files ?? []).flatMap((entry) => (typeof entry === 'string' ? [entry] : entry.filter));
    expect(patterns).toEqual(expect.arrayContaining(['dist/**', 'package.json', '!dist/**/*.map', '!**/node_modules/better-sqlite3/**']));
    // Sources and tests are not shipped: only the bundle in dist/ runs.
    expect(patterns.some((pattern) => /^(src|tests|core|main|renderer|server|preload|hardware)\b/.test(pattern))).toBe(false);
  });

  it('sets the Electron fuses that close the doors a kiosk must not have', async () => {
    const { electronFuses } = await loadConfig();
    expect(electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds a deb and a per-machine NSIS installer, and publishes to a generic feed on the hall server', async () => {
    const config = await loadConfig();
    expect(config.linux?.target).toEqual(['deb']);
    expect(config.linux?.executableName).toBe('hall-kiosk');
    expect(config.win?.target?.map((t) => t.target)).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false, deleteAppDataOnUninstall: false });
    expect(config.publish).toEqual([{ provider: 'generic', url: expect.stringMatching(/^http:\/\/[^/]+:8480\/updates\/stable$/), channel: 'latest' }]);
  });

  it('ships the systemd unit it names, from a file that exists', async () => {
    const config = await loadConfig();
    const unitFiles = config.linux?.extraFiles?.find((entry) => entry.from === 'packaging/linux');
    expect(unitFiles).toEqual({ from: 'packaging/linux', to: 'packaging', filter: ['*.service'] });
    expect(readFileSync(join(repo, 'packaging', 'linux', 'hall-kiosk.service'), 'utf8')).toContain('[Service]');
  });
});
