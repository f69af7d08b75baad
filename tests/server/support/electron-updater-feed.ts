import { createRequire } from 'node:module';
import type { RunningServer } from '../../../server/embedded.ts';

// electron-updater's own feed reader and download check, run in Node: its GenericProvider parses
// the update info exactly as a kiosk does, and builder-util-runtime's download verifies the SHA-512.
const require = createRequire(import.meta.url);
interface UpdateFileInfo {
  url: URL;
  info: { sha512: string; size?: number };
}
export interface ParsedInfo {
  version: string;
  stagingPercentage?: number;
  files: Array<{ url: string; sha512: string; size?: number }>;
  releaseDate: string;
}
const { GenericProvider } = require('electron-updater/out/providers/GenericProvider.js') as {
  GenericProvider: new (
    configuration: { provider: 'generic'; url: string },
    updater: { channel: string | null; isAddNoCacheQuery: boolean },
    runtime: { isUseMultipleRangeRequest: boolean; platform: NodeJS.Platform; executor: unknown },
  ) => { getLatestVersion(): Promise<ParsedInfo>; resolveFiles(info: ParsedInfo): UpdateFileInfo[] };
};
const { NodeHttpExecutor } = require('builder-util/out/nodeHttpExecutor.js') as { NodeHttpExecutor: new () => object };
const runtime = require('builder-util-runtime') as {
  CancellationToken: new () => object;
  configureRequestUrl(url: URL, options: object): void;
  configureRequestOptions(options: object): object;
};

/** ElectronHttpExecutor.download, over Node's http instead of Electron's net: same doDownload and digest check. */
export function downloadVerified(url: URL, destination: string, sha512: string): Promise<string> {
  const executor = new NodeHttpExecutor() as unknown as { doDownload(options: object, call: object, redirects: number): void };
  return new Promise((resolve, reject) => {
    const requestOptions = { headers: undefined, redirect: 'manual' };
    runtime.configureRequestUrl(url, requestOptions);
    runtime.configureRequestOptions(requestOptions);
    executor.doDownload(
      requestOptions,
      { destination, options: { sha512, cancellationToken: new runtime.CancellationToken() }, onCancel: () => undefined, callback: (error: Error | null) => (error ? reject(error) : resolve(destination)), responseHandler: null },
      0,
    );
  });
}

export function providerFor(server: Pick<RunningServer, 'url'>, channel: string, platform: NodeJS.Platform) {
  return new GenericProvider({ provider: 'generic', url: `${server.url}/updates/${channel}` }, { channel: null, isAddNoCacheQuery: false }, { isUseMultipleRangeRequest: false, platform, executor: new NodeHttpExecutor() });
}

