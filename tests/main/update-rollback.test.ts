import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVersions } from '../../core/kiosk/software-update.ts';
import { BootHealth, fileMarkerStore } from '../../main/services/boot-health.ts';
import { CentralServerClient } from '../../main/services/central-server-client.ts';
import { ConfigService } from '../../main/services/config-service.ts';
import { createKioskLogger } from '../../main/services/logger.ts';
import { plainSecretBox } from '../../main/services/secret-box.ts';
import { hallServerReporter, UpdateController, type SoftwareUpdater } from '../../main/services/update-controller.ts';
import { defaultUpdatePolicy } from '../../main/services/update-policy.ts';
import { startServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { UpdateFeed } from '../../server/updates/update-feed.ts';
import { downloadVerified, providerFor } from '../server/support/electron-updater-feed.ts';
import { TestClock } from '../support/test-clock.ts';

/**
 * The whole "a bad update cannot brick the kiosk" loop over real HTTP: the hall server's feed,
 * the kiosk's own server client with its device token, the boot-health file, the controller and
 * electron-updater's feed parser and SHA-512-checked download. Only the last step, running the
 * installer, is recorded instead of done.
 */
class FeedUpdater implements SoftwareUpdater {
  private offered: { url: URL; sha512: string; version: string } | null = null;
  downloaded: Array<{ version: string; bytes: Buffer }> = [];
  installs: string[] = [];

  constructor(
    private readonly server: RunningServer,
    private readonly running: string,
    private readonly dir: string,
  ) {}

  async check(allowDowngrade: boolean): Promise<string | null> {
    const provider = providerFor(this.server, 'stable', 'linux');
    const info = await provider.getLatestVersion();
    const order = compareVersions(info.version, this.running);
    if (order === 0 || (order < 0 && !allowDowngrade)) return null;
    const [file] = provider.resolveFiles(info);
    this.offered = { url: file!.url, sha512: file!.info.sha512, version: info.version };
    return info.version;
  }

  async download(): Promise<void> {
    const target = join(this.dir, `download-${this.offered!.version}.deb`);
    await downloadVerified(this.offered!.url, target, this.offered!.sha512);
    this.downloaded.push({ version: this.offered!.version, bytes: readFileSync(target) });
  }

  install(): void {
    this.installs.push(this.offered!.version);
  }
}

let dir: string;
let server: RunningServer;
const clock = new TestClock(Date.parse('2026-12-02T01:00:00Z')); // 09:00 in the hall
const minute = 60_000;
let v100: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-rollback-'));
  const feed = new UpdateFeed(join(dir, 'updates'));
  server = await startServer({ target: { sqliteFile: join(dir, 'hall.sqlite') }, clock, logger: createServerLogger({ level: 'silent' }), updateFeed: feed });
  v100 = randomBytes(20_000);
  writeFileSync(join(dir, 'a.deb'), v100);
  writeFileSync(join(dir, 'b.deb'), randomBytes(30_000));
  await feed.publish({ installer: join(dir, 'a.deb'), version: '1.0.0', channel: 'stable' }, clock);
  await feed.publish({ installer: join(dir, 'b.deb'), version: '1.1.0', channel: 'stable' }, clock);
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a release that does not come up healthy is withdrawn and the kiosk goes back', () => {
  it('reports through its device token, the feed falls back to 1.0.0, and the kiosk downloads and installs 1.0.0', async () => {
    const logger = createKioskLogger({ stdout: false, level: 'silent' });
    const config = ConfigService.open({
      openStore: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' }),
      file: join(dir, 'config.json'),
      newKioskId: () => 'kiosk-0001',
      secretBox: plainSecretBox,
    });
    config.update((c) => ({ ...c, serverUrl: server.url }));
    const client = new CentralServerClient({ fetch, config: () => config.get(), devices: config, clock, logger, version: '1.1.0', enrollCode: (await server.createDevice('entrance 1')).enrollmentCode });
    await client.enrollIfNeeded();

    const markerFile = join(dir, 'boot-health.json');
    new BootHealth({ store: fileMarkerStore(markerFile), version: '1.0.0', now: clock.now() }).markHealthy();
    // 1.1.0 was installed overnight and starts; its page never gets its API answers.
    const health = new BootHealth({ store: fileMarkerStore(markerFile), version: '1.1.0', now: clock.now() });
    const updater = new FeedUpdater(server, '1.1.0', dir);
    const controller = new UpdateController({
      updater,
      health,
      use: () => ({ lastActivityAt: null, printsInFlight: 0 }),
      report: hallServerReporter(client),
      policy: { ...defaultUpdatePolicy, timeZone: 'Asia/Shanghai' },
      platform: 'linux',
      channel: 'stable',
      clock,
      logger,
      random: () => 0,
    });

    expect(await controller.tick()).toBe('waiting-for-health');
    expect((await providerFor(server, 'stable', 'linux').getLatestVersion()).version).toBe('1.1.0');
    clock.advance(10 * minute);
    expect(await controller.tick()).toBe('reported');
    expect(JSON.parse(readFileSync(markerFile, 'utf8'))).toMatchObject({ version: '1.1.0', state: 'unhealthy', reason: 'health-deadline', previousVersion: '1.0.0', reportedAt: expect.any(Number) });
    expect((await providerFor(server, 'stable', 'linux').getLatestVersion()).version).toBe('1.0.0');

    expect(await controller.tick()).toBe('downloaded');
    expect(updater.downloaded.map((d) => d.version)).toEqual(['1.0.0']);
    expect(updater.downloaded[0]!.bytes.equals(v100)).toBe(true);
    // 09:10 in the hall: a broken kiosk does not wait for the night.
    expect(await controller.tick()).toBe('installing');
    expect(updater.installs).toEqual(['1.0.0']);
  });
});
