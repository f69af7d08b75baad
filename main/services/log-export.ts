import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kioskLogFiles, scrubText } from './logger.ts';

export interface LogExportOptions {
  logDir: string;
  /** where to write, best first: the first that exists and takes the file wins */
  targets: () => string[];
  kioskId: string;
  now: number;
}

export interface LogExport {
  file: string;
  bytes: number;
}

/**
 * Every log file of the kiosk, oldest line first, as one file a technician can carry away.
 * Lines were redacted when written; they are scrubbed again so a file from before a redaction
 * rule cannot leak through an export. Written under a temporary name and renamed, so a pulled
 * USB stick never holds half a file under the final name.
 */
export function exportKioskLogs(options: LogExportOptions): LogExport {
  const files = existsSync(options.logDir) ? kioskLogFiles(options.logDir) : [];
  const text = files.map((f) => scrubText(readFileSync(f, 'utf8'))).join('');
  const stamp = new Date(options.now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const name = `hall-kiosk-logs-${options.kioskId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 64)}-${stamp}.log`;
  const failures: string[] = [];
  for (const dir of options.targets()) {
    const file = join(dir, name);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(`${file}.part`, text, { mode: 0o600 });
      renameSync(`${file}.part`, file);
      return { file, bytes: Buffer.byteLength(text) };
    } catch (error) {
      failures.push(`${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  throw new Error(`the logs could not be written anywhere (${failures.join('; ') || 'no target'})`);
}

/**
 * Mounted removable media first (a USB stick the technician plugged in, as desktop Linux mounts
 * it under /media/USER or /run/media/USER), then the kiosk's own export folder.
 */
export function logExportTargets(user: string, fallbackDir: string, mediaRoots = ['/media', '/run/media']): string[] {
  const mounted = mediaRoots.flatMap((root) => listDirs(join(root, user)));
  return [...new Set(mounted), fallbackDir];
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir)
      .map((name) => join(dir, name))
      .filter((path) => {
        try {
          return statSync(path).isDirectory();
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}
