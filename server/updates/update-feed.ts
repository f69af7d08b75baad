import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { Clock } from '../../core/calendar/clock.ts';
import {
  compareVersions,
  platformOfInstaller,
  publishedInstallerName,
  releaseVersionSchema,
  renderUpdateInfo,
  stagingPercentageSchema,
  updateChannelSchema,
  updateInfoFileName,
  updatePlatforms,
  type UpdatePlatform,
} from '../../core/kiosk/software-update.ts';

/**
 * The generic update feed kiosks' electron-updater reads, one directory per channel:
 *
 *   <root>/<channel>/latest-linux.yml, latest.yml    what is offered now (generated)
 *   <root>/<channel>/hall-kiosk_1.4.0_amd64.deb …    the installers
 *   <root>/<channel>/releases.json                    every release, withdrawn or not (not served)
 *
 * The offered release of a platform is the newest one not withdrawn, so withdrawing a bad release
 * puts the previous one back on offer. Every file is written whole and renamed into place: a
 * kiosk never reads half a file, and a refused publication leaves the feed as it was.
 */

export class UpdateFeedError extends Error {
  override readonly name = 'UpdateFeedError';
}

const releaseSchema = z.object({
  version: releaseVersionSchema,
  platform: z.enum(updatePlatforms),
  fileName: z.string(),
  sha512: z.string(),
  size: z.int().positive(),
  releaseDate: z.int(),
  stagingPercentage: stagingPercentageSchema.optional(),
  withdrawn: z.object({ at: z.int(), reason: z.string() }).optional(),
});
export type Release = z.infer<typeof releaseSchema>;
const releasesFileSchema = z.object({ releases: z.array(releaseSchema) });

export interface PublishRequest {
  installer: string;
  version: string;
  channel: string;
  stagingPercentage?: number;
}

const servedInstaller = /^hall-kiosk(-setup-|_)[0-9A-Za-z.-]+(_amd64\.deb|\.exe)$/;
const servedUpdateInfo = new Set(Object.values(updateInfoFileName));

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UpdateFeedError(`${what}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

export class UpdateFeed {
  constructor(readonly root: string) {}

  private channelDir(channel: string): string {
    return join(this.root, check(updateChannelSchema, channel, 'channel'));
  }

  async releases(channel: string): Promise<Release[]> {
    const file = join(this.channelDir(channel), 'releases.json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return check(releasesFileSchema, JSON.parse(text), file).releases;
  }

  /** The release each platform's kiosks are offered now, if any. */
  offered(releases: readonly Release[], platform: UpdatePlatform): Release | null {
    const candidates = releases.filter((r) => r.platform === platform && !r.withdrawn);
    candidates.sort((a, b) => compareVersions(b.version, a.version));
    return candidates[0] ?? null;
  }

  /** Copies the installer in with its SHA-512 and size, and offers it (to a share of kiosks if staged). */
  async publish(request: PublishRequest, clock: Clock): Promise<Release> {
    const version = check(releaseVersionSchema, request.version, '--version');
    const stagingPercentage = request.stagingPercentage === undefined ? undefined : check(stagingPercentageSchema, request.stagingPercentage, '--staging-percentage');
    const platform = platformOfInstaller(request.installer);
    if (!platform) throw new UpdateFeedError(`"${basename(request.installer)}" is not an installer: publish the .deb (Linux) or the NSIS .exe (Windows) that npm run package made`);
    const installerStat = await stat(request.installer).catch(() => null);
    if (!installerStat?.isFile() || installerStat.size === 0) throw new UpdateFeedError(`no installer at ${request.installer}`);

    const dir = this.channelDir(request.channel);
    const releases = await this.releases(request.channel);
    if (releases.some((r) => r.platform === platform && r.version === version)) {
      throw new UpdateFeedError(`${platform} ${version} was published to "${request.channel}" before; a version number is used once — build the fix as a new version`);
    }
    const offered = this.offered(releases, platform);
    if (offered && compareVersions(version, offered.version) <= 0) {
      throw new UpdateFeedError(`${platform} ${version} is not newer than ${offered.version}, which "${request.channel}" offers now; kiosks never install an older version from the feed (to roll back, withdraw ${offered.version})`);
    }

    await mkdir(dir, { recursive: true });
    const fileName = publishedInstallerName(platform, version);
    const temporary = join(dir, `.${fileName}.${process.pid}.tmp`);
    const hash = createHash('sha512');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(createReadStream(request.installer), measure, createWriteStream(temporary));
      await rename(temporary, join(dir, fileName));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    const release: Release = { version, platform, fileName, sha512: hash.digest('base64'), size, releaseDate: clock.now(), ...(stagingPercentage === undefined ? {} : { stagingPercentage }) };
    await this.store(request.channel, [...releases, release]);
    return release;
  }

  /** Widens (or narrows) a staged rollout; 100 offers it to every kiosk. */
  async setStaging(channel: string, platform: UpdatePlatform, version: string, percentage: number): Promise<Release> {
    const pct = check(stagingPercentageSchema, percentage, '--staging-percentage');
    const releases = await this.releases(channel);
    const release = releases.find((r) => r.platform === platform && r.version === version);
    if (!release) throw new UpdateFeedError(`no ${platform} release ${version} in "${channel}"`);
    const { stagingPercentage: _old, ...rest } = release;
    const updated: Release = pct === 100 ? rest : { ...rest, stagingPercentage: pct };
    await this.store(channel, releases.map((r) => (r === release ? updated : r)));
    return updated;
  }

  /**
   * Stops offering a release; the newest earlier one is offered again. Kiosks still on it see an
   * older version on offer, which the one that found it unhealthy installs (allowDowngrade).
   * Returns false when it was withdrawn already (a second kiosk's report changes nothing).
   */
  async withdraw(channel: string, platform: UpdatePlatform, version: string, reason: string, clock: Clock): Promise<{ withdrawn: boolean; offered: Release | null }> {
    const releases = await this.releases(channel);
    const release = releases.find((r) => r.platform === platform && r.version === version);
    if (!release) throw new UpdateFeedError(`no ${platform} release ${version} in "${channel}"`);
    if (release.withdrawn) return { withdrawn: false, offered: this.offered(releases, platform) };
    const updated = releases.map((r) => (r === release ? { ...r, withdrawn: { at: clock.now(), reason: reason.slice(0, 200) } } : r));
    await this.store(channel, updated);
    return { withdrawn: true, offered: this.offered(updated, platform) };
  }

  /** The file behind `/updates/<channel>/<name>`, or null: only update info files and published installers. */
  servedFile(channel: string, name: string): string | null {
    if (!updateChannelSchema.safeParse(channel).success) return null;
    if (!servedUpdateInfo.has(name) && !servedInstaller.test(name)) return null;
    return join(this.root, channel, name);
  }

  private async store(channel: string, releases: Release[]): Promise<void> {
    const dir = this.channelDir(channel);
    await mkdir(dir, { recursive: true });
    await writeAtomically(join(dir, 'releases.json'), `${JSON.stringify({ releases }, null, 2)}\n`);
    for (const platform of updatePlatforms) {
      const file = join(dir, updateInfoFileName[platform]);
      const offered = this.offered(releases, platform);
      if (offered) await writeAtomically(file, renderUpdateInfo(offered));
      else await rm(file, { force: true });
    }
  }
}
