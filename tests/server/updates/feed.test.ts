import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hallApi } from '../../../core/http/contract.ts';
import { compareVersions, renderUpdateInfo, type UpdateHealthReport } from '../../../core/kiosk/software-update.ts';

const updateHealthPath = hallApi.updatesHealth.path;
import { startServer, type RunningServer } from '../../../server/embedded.ts';
import { createServerLogger } from '../../../server/http/logger.ts';
import { runUpdateCommand, updateCliOptions } from '../../../server/updates/update-cli.ts';
import { UpdateFeed, UpdateFeedError } from '../../../server/updates/update-feed.ts';
import { downloadVerified, providerFor } from '../support/electron-updater-feed.ts';
import { api } from '../support/http.ts';
import { TestKiosk } from '../support/kiosk.ts';
import { TestClock } from '../../support/test-clock.ts';
import { runServerCli, type CliResult } from '../support/server-cli.ts';

const cli = (args: string[]) => runServerCli(args, { env: { HALL_UPDATES_DIR: '' } });

/** The same command in this process (a spawned CLI costs seconds on a busy machine): output, or the refusal. */
async function command(args: string[]): Promise<CliResult> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: updateCliOptions });
  const lines: string[] = [];
  try {
    const code = await runUpdateCommand(positionals[0]!, { args: positionals.slice(1), values, clock, print: (line) => lines.push(line) });
    return { code: code ?? null, stdout: lines.join('\n'), stderr: '' };
  } catch (error) {
    if (!(error instanceof UpdateFeedError)) throw error;
    return { code: 1, stdout: lines.join('\n'), stderr: error.message };
  }
}

const sha512 = (bytes: Buffer) => createHash('sha512').update(bytes).digest('base64');

let work: string;
let updatesDir: string;
let server: RunningServer;
const clock = new TestClock(Date.parse('2026-12-01T18:00:00Z'));
const deb = (name: string, size: number) => {
  const file = join(work, name);
  writeFileSync(file, randomBytes(size));
  return file;
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hall-updates-'));
  updatesDir = join(work, 'updates');
  server = await startServer({ target: { sqliteFile: join(work, 'hall.sqlite') }, clock, logger: createServerLogger({ level: 'silent' }), seed: null, updateFeed: new UpdateFeed(updatesDir) });
});

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('update:publish and the /updates feed, read by electron-updater', () => {
  let v100: Buffer;
  let v110: Buffer;

  it('publishes a deb from the command line with its SHA-512, size and staging percentage', async () => {
    const first = deb('kiosk-1.0.0.deb', 40_000);
    v100 = readFileSync(first);
    const published = await cli(['update:publish', first, '--version', '1.0.0', '--updates-dir', updatesDir]);
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);
    expect(published.stdout).toContain('linux 1.0.0  hall-kiosk_1.0.0_amd64.deb  40000 bytes');
    expect(published.stdout).toContain(`sha512 ${sha512(v100)}`);

    const second = deb('kiosk-1.1.0.deb', 300_000);
    v110 = readFileSync(second);
    const staged = await command(['update:publish', second, '--version', '1.1.0', '--staging-percentage', '25', '--updates-dir', updatesDir]);
    expect(staged.code, staged.stderr).toBe(0);
    expect(staged.stdout).toContain('staged to 25% of kiosks');
  }, 60_000);

  it('serves latest-linux.yml that electron-updater parses, with the newest release staged', async () => {
    const info = await providerFor(server, 'stable', 'linux').getLatestVersion();
    expect(info.version).toBe('1.1.0');
    expect(info.stagingPercentage).toBe(25);
    expect(info.files).toEqual([{ url: 'hall-kiosk_1.1.0_amd64.deb', sha512: sha512(v110), size: 300_000 }]);
    expect(Date.parse(info.releaseDate)).toBeGreaterThan(Date.parse('2026-01-01'));
    const yml = await fetch(`${server.url}/updates/stable/latest-linux.yml`);
    expect(yml.headers.get('cache-control')).toBe('no-cache');
  });

  it('the installer downloads and passes electron-updater’s SHA-512 check; a tampered one fails it', async () => {
    const provider = providerFor(server, 'stable', 'linux');
    const [file] = provider.resolveFiles(await provider.getLatestVersion());
    expect(file!.url.href).toBe(`${server.url}/updates/stable/hall-kiosk_1.1.0_amd64.deb`);
    const target = join(work, 'downloaded.deb');
    await downloadVerified(file!.url, target, file!.info.sha512);
    expect(readFileSync(target).equals(v110)).toBe(true);

    const installer = join(updatesDir, 'stable', 'hall-kiosk_1.1.0_amd64.deb');
    const tampered = Buffer.from(v110);
    tampered[1000] = tampered[1000]! ^ 0xff;
    writeFileSync(installer, tampered);
    try {
      await expect(downloadVerified(file!.url, join(work, 'tampered.deb'), file!.info.sha512)).rejects.toThrow(/sha512 checksum mismatch/);
    } finally {
      writeFileSync(installer, v110);
    }
  });

  it('refuses a version already used, an older one, a bad version and a file that is no installer, leaving the feed as it was', async () => {
    const before = readFileSync(join(updatesDir, 'stable', 'latest-linux.yml'), 'utf8');
    const again = await command(['update:publish', deb('again.deb', 100), '--version', '1.1.0', '--updates-dir', updatesDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('linux 1.1.0 was published to "stable" before');
    const older = await command(['update:publish', deb('older.deb', 100), '--version', '1.0.5', '--updates-dir', updatesDir]);
    expect(older.stderr).toContain('1.0.5 is not newer than 1.1.0');
    const badVersion = await command(['update:publish', deb('bad.deb', 100), '--version', 'v2', '--updates-dir', updatesDir]);
    expect(badVersion.stderr).toContain('--version: a version is MAJOR.MINOR.PATCH');
    const notInstaller = await command(['update:publish', deb('notes.txt', 100), '--version', '2.0.0', '--updates-dir', updatesDir]);
    expect(notInstaller.stderr).toContain('"notes.txt" is not an installer');
    const badStage = await command(['update:publish', deb('stage.deb', 100), '--version', '2.0.0', '--staging-percentage', '0', '--updates-dir', updatesDir]);
    expect(badStage.stderr).toContain('--staging-percentage must be a whole number from 1 to 100');
    expect(readFileSync(join(updatesDir, 'stable', 'latest-linux.yml'), 'utf8')).toBe(before);
  });

  it('serves only update info and installers: no release list, no other channel syntax, no path escapes', async () => {
    for (const path of ['/updates/stable/releases.json', '/updates/stable/..%2f..%2fhall.sqlite', '/updates/../hall.sqlite', '/updates/STABLE/latest-linux.yml', '/updates/stable/.hall-kiosk_1.1.0_amd64.deb', '/updates/pilot/latest-linux.yml']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(404);
    }
  });

  it('an unhealthy report from a kiosk withdraws the release: the feed offers the previous one again', async () => {
    const device = await server.createDevice('entrance kiosk 1');
    const kiosk = await TestKiosk.enroll(server.url, device.enrollmentCode);
    const report: UpdateHealthReport = { version: '1.1.0', platform: 'linux', channel: 'stable', previousVersion: '1.0.0', reason: 'health-deadline', starts: 1 };
    const unauthenticated = await api(server.url, 'POST', updateHealthPath, { body: report });
    expect(unauthenticated.status).toBe(401);
    const invalid = await api(server.url, 'POST', updateHealthPath, { token: kiosk.token, body: { ...report, reason: 'felt slow' } });
    expect(invalid.status).toBe(400);

    const first = await api(server.url, 'POST', updateHealthPath, { token: kiosk.token, body: report });
    expect(first.body).toMatchObject({ withdrawn: true, known: true, offered: '1.0.0' });
    const second = await api(server.url, 'POST', updateHealthPath, { token: kiosk.token, body: { ...report, reason: 'crash-loop', starts: 4 } });
    expect(second.body).toMatchObject({ withdrawn: false, known: true, offered: '1.0.0' });

    const info = await providerFor(server, 'stable', 'linux').getLatestVersion();
    expect(info.version).toBe('1.0.0');
    expect(info.stagingPercentage).toBeUndefined();
    expect(info.files[0]).toEqual({ url: 'hall-kiosk_1.0.0_amd64.deb', sha512: sha512(v100), size: 40_000 });

    const list = await command(['update:list', '--updates-dir', updatesDir]);
    expect(list.stdout).toMatch(new RegExp(`linux 1\\.1\\.0 .* withdrawn .*kiosk ${device.deviceId}: health-deadline after 1 start\\(s\\), previous version 1\\.0\\.0`));
    const unknown = await api(server.url, 'POST', updateHealthPath, { token: kiosk.token, body: { ...report, version: '9.9.9' } });
    expect(unknown.body).toMatchObject({ withdrawn: false, known: false });
  });

  it('widens a staged rollout, and withdrawing by hand says what is offered next', async () => {
    const third = await command(['update:publish', deb('kiosk-1.2.0.deb', 5_000), '--version', '1.2.0', '--staging-percentage', '10', '--updates-dir', updatesDir]);
    expect(third.code, third.stderr).toBe(0);
    expect((await providerFor(server, 'stable', 'linux').getLatestVersion()).stagingPercentage).toBe(10);
    const widened = await command(['update:stage', '1.2.0', '--staging-percentage', '100', '--updates-dir', updatesDir]);
    expect(widened.stdout).toContain('offered to every kiosk');
    expect((await providerFor(server, 'stable', 'linux').getLatestVersion()).stagingPercentage).toBeUndefined();
    const withdrawn = await command(['update:withdraw', '1.2.0', '--reason', 'printer driver regression', '--updates-dir', updatesDir]);
    expect(withdrawn.stdout).toContain('"stable" now offers 1.0.0');
  });

  it('publishes the Windows installer as latest.yml for NsisUpdater, beside the deb', async () => {
    const exe = join(work, 'Hall Kiosk Setup 1.2.1.exe');
    writeFileSync(exe, randomBytes(7_000));
    const published = await command(['update:publish', exe, '--version', '1.2.1', '--channel', 'pilot', '--updates-dir', updatesDir]);
    expect(published.code, published.stderr).toBe(0);
    const info = await providerFor(server, 'pilot', 'win32').getLatestVersion();
    expect(info.version).toBe('1.2.1');
    expect(info.files[0]).toMatchObject({ url: 'hall-kiosk-setup-1.2.1.exe', sha512: sha512(readFileSync(exe)), size: 7_000 });
    const linuxOnPilot = await fetch(`${server.url}/updates/pilot/latest-linux.yml`);
    expect(linuxOnPilot.status).toBe(404);
  });
});

describe('update info rendering and version order', () => {
  it('refuses values that would not be a valid feed', () => {
    const good = { version: '1.0.0', fileName: 'hall-kiosk_1.0.0_amd64.deb', sha512: sha512(Buffer.from('x')), size: 1, releaseDate: 0 };
    expect(renderUpdateInfo(good)).toContain('path: hall-kiosk_1.0.0_amd64.deb');
    expect(() => renderUpdateInfo({ ...good, fileName: 'a b.deb' })).toThrow(/installer name/);
    expect(() => renderUpdateInfo({ ...good, sha512: 'abc' })).toThrow(/sha512/);
    expect(() => renderUpdateInfo({ ...good, version: '1.0' })).toThrow();
    expect(() => renderUpdateInfo({ ...good, stagingPercentage: 101 })).toThrow();
  });

  it('orders versions as semver does', () => {
    const sorted = ['1.10.0', '1.2.0', '1.2.0-beta.2', '1.2.0-beta.10', '1.2.0-alpha', '0.9.9', '2.0.0-rc.1'].sort(compareVersions);
    expect(sorted).toEqual(['0.9.9', '1.2.0-alpha', '1.2.0-beta.2', '1.2.0-beta.10', '1.2.0', '1.10.0', '2.0.0-rc.1']);
  });
});
