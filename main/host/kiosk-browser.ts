import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const chromiumPath = '/usr/bin/chromium';

export interface BrowserPlan {
  command: string;
  args: string[];
}

/**
 * How host mode shows the kiosk on a machine without Electron: the system Chromium, full screen,
 * with its own profile in the data dir and none of its phone-home services.
 * Returns why not when it cannot (no display, no Chromium).
 */
export function planKioskBrowser(input: { url: string; dataDir: string; env: NodeJS.ProcessEnv; isRoot: boolean; chromiumExists: boolean }): BrowserPlan | { skip: string } {
  if (!input.env.DISPLAY && !input.env.WAYLAND_DISPLAY) return { skip: 'no display ($DISPLAY and $WAYLAND_DISPLAY are unset)' };
  if (!input.chromiumExists) return { skip: `${chromiumPath} is not installed (apt-get install chromium)` };
  const args = [
    '--kiosk',
    `--app=${input.url}`,
    `--user-data-dir=${join(input.dataDir, 'chromium')}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  // Chromium refuses to start as root with its sandbox on; only then do we give it up.
  if (input.isRoot) args.push('--no-sandbox');
  return { command: chromiumPath, args };
}

export function launchKioskBrowser(url: string, dataDir: string): ChildProcess | { skip: string } {
  const plan = planKioskBrowser({ url, dataDir, env: process.env, isRoot: process.getuid?.() === 0, chromiumExists: existsSync(chromiumPath) });
  if ('skip' in plan) return plan;
  return spawn(plan.command, plan.args, { stdio: 'ignore' });
}
