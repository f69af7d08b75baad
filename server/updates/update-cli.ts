import type { Clock } from '../../core/calendar/clock.ts';
import { updateInfoFileName, updatePlatforms, type UpdatePlatform } from '../../core/kiosk/software-update.ts';
import { UpdateFeed, UpdateFeedError, type Release } from './update-feed.ts';

/** The software update commands of server/cli.ts, kept here so cli.ts only dispatches. */

export const updateCliOptions = {
  'updates-dir': { type: 'string' },
  version: { type: 'string' },
  channel: { type: 'string' },
  'staging-percentage': { type: 'string' },
  platform: { type: 'string' },
  reason: { type: 'string' },
} as const;

export const updateCliUsage = `
  update:publish <installer.deb|installer.exe> --version 1.4.0 [--channel stable] [--staging-percentage 10]
                                   offers a kiosk build on the feed (SHA-512 and size written for
                                   electron-updater); staged: only that share of kiosks installs it
  update:stage <version> --staging-percentage 50 [--platform linux|windows] [--channel stable]
                                   widens a staged rollout (100: every kiosk)
  update:withdraw <version> [--platform linux|windows] [--channel stable] [--reason TEXT]
                                   stops offering it; the previous release is offered again
  update:list [--channel stable]

The feed directory is --updates-dir, else $HALL_UPDATES_DIR, else ./updates; serve publishes it
at /updates/<channel>/.`;

type Values = { [K in keyof typeof updateCliOptions]?: string };

export interface UpdateCliContext {
  args: string[];
  values: Values;
  clock: Clock;
  print(line: string): void;
}

export function updatesDirFrom(option: string | undefined, env: NodeJS.ProcessEnv): string {
  return option ?? env.HALL_UPDATES_DIR ?? 'updates';
}

function platformOption(text: string | undefined): UpdatePlatform {
  if (text === undefined) return 'linux';
  if (!(updatePlatforms as readonly string[]).includes(text)) throw new UpdateFeedError(`--platform must be ${updatePlatforms.join(' or ')}`);
  return text as UpdatePlatform;
}

function percentageOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 100) throw new UpdateFeedError('--staging-percentage must be a whole number from 1 to 100');
  return n;
}

function describe(release: Release): string {
  const state = release.withdrawn ? `withdrawn ${new Date(release.withdrawn.at).toISOString()} (${release.withdrawn.reason})` : release.stagingPercentage ? `staged to ${release.stagingPercentage}% of kiosks` : 'offered to every kiosk';
  return `${release.platform} ${release.version}  ${release.fileName}  ${release.size} bytes  ${new Date(release.releaseDate).toISOString()}  ${state}`;
}

/** Runs an update:* command and returns its exit code, or undefined when the command is not one of these. */
export async function runUpdateCommand(command: string, ctx: UpdateCliContext): Promise<number | undefined> {
  if (!command.startsWith('update:')) return undefined;
  const feed = new UpdateFeed(updatesDirFrom(ctx.values['updates-dir'], process.env));
  const channel = ctx.values.channel ?? 'stable';
  const versionArg = () => {
    const version = ctx.args[0];
    if (!version) throw new UpdateFeedError(`${command} needs a version, e.g. 1.4.0`);
    return version;
  };
  switch (command) {
    case 'update:publish': {
      const installer = ctx.args[0];
      if (!installer) throw new UpdateFeedError('update:publish needs the installer (.deb or .exe) made by npm run package');
      if (!ctx.values.version) throw new UpdateFeedError('update:publish needs --version, the version the installer was built as (package.json)');
      const release = await feed.publish({ installer, version: ctx.values.version, channel, stagingPercentage: percentageOption(ctx.values['staging-percentage']) }, ctx.clock);
      ctx.print(`published ${describe(release)}`);
      ctx.print(`kiosks on "${channel}" read /updates/${channel}/${updateInfoFileName[release.platform]}; sha512 ${release.sha512}`);
      return 0;
    }
    case 'update:stage': {
      const percentage = percentageOption(ctx.values['staging-percentage']);
      if (percentage === undefined) throw new UpdateFeedError('update:stage needs --staging-percentage (1 to 100)');
      const release = await feed.setStaging(channel, platformOption(ctx.values.platform), versionArg(), percentage);
      ctx.print(describe(release));
      return 0;
    }
    case 'update:withdraw': {
      const platform = platformOption(ctx.values.platform);
      const outcome = await feed.withdraw(channel, platform, versionArg(), ctx.values.reason ?? 'withdrawn by the hall admin', ctx.clock);
      ctx.print(outcome.withdrawn ? `${platform} ${versionArg()} withdrawn from "${channel}"` : `${platform} ${versionArg()} was withdrawn already`);
      ctx.print(outcome.offered ? `"${channel}" now offers ${outcome.offered.version}` : `"${channel}" offers no ${platform} release now`);
      return 0;
    }
    case 'update:list': {
      const releases = await feed.releases(channel);
      for (const release of releases) ctx.print(describe(release));
      if (releases.length === 0) ctx.print(`no releases in "${channel}"`);
      return 0;
    }
    default:
      return undefined;
  }
}
