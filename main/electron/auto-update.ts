import { autoUpdater } from 'electron-updater';
import type { Logger } from '../services/logger.ts';
import type { SoftwareUpdater } from '../services/update-controller.ts';

/**
 * electron-updater behind the controller's port: the generic feed on the kiosk's own hall server
 * (`<serverUrl>/updates/<channel>/`), every download checked against the SHA-512 of the update
 * info, the staged rollout (`stagingPercentage`) decided by its per-install staging id. It never
 * downloads or installs on its own: the controller decides when (main/services/update-policy.ts).
 */
export function electronSoftwareUpdater(feedUrl: string, logger: Logger): SoftwareUpdater {
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.autoRunAppAfterInstall = true;
  autoUpdater.allowPrerelease = false;
  autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl, channel: 'latest' });
  autoUpdater.logger = {
    info: (message?: unknown) => logger.info({ component: 'electron-updater' }, String(message)),
    warn: (message?: unknown) => logger.warn({ component: 'electron-updater' }, String(message)),
    error: (message?: unknown) => logger.error({ component: 'electron-updater' }, String(message)),
    debug: (message: string) => logger.debug({ component: 'electron-updater' }, message),
  };
  return {
    async check(allowDowngrade) {
      autoUpdater.allowDowngrade = allowDowngrade;
      const result = await autoUpdater.checkForUpdates();
      return result?.isUpdateAvailable ? result.updateInfo.version : null;
    },
    async download() {
      await autoUpdater.downloadUpdate();
    },
    install() {
      // Silent (the kiosk has nobody to click through an installer) and restart afterwards.
      autoUpdater.quitAndInstall(true, true);
    },
  };
}
