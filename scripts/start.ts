// `npm start`: run the built kiosk in Electron when its binary is on this machine, otherwise in
// host mode (a loopback server plus the system Chromium in kiosk mode, when there is a screen).
// `--host` forces host mode; other arguments go to host mode (see main/host/host-options.ts).
//
// Demo mode: with no hall server configured (config, --server-url or HALL_KIOSK_SERVER_URL) the
// central server runs inside this process on a SQLite file in the kiosk's data dir, and the kiosk
// enrolls with it on its first start, so the demo numbers, leases and syncs like a real hall.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../core/clock.ts';
import { parseHostArgs } from '../main/host/host-options.ts';
import { startEmbeddedServer } from '../server/embedded.ts';
import type { RunningServer } from '../server/embedded.ts';
import { createServerLogger } from '../server/logger.ts';
import { electronBinary } from './electron-binary.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const hostArgs = args.filter((a) => a !== '--host');
const electron = electronBinary();
const systemClock: Clock = { now: () => Date.now() };
/** The hall server's own default port (server/cli.ts), so a demo URL stays the same across starts. */
const demoServerPort = 8480;

interface StoredKioskConfig {
  serverUrl?: unknown;
  device?: { id?: unknown; serverUrl?: unknown } | null;
}

function readKioskConfig(dataDir: string): StoredKioskConfig {
  const file = join(dataDir, 'config.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StoredKioskConfig;
  } catch {
    // The kiosk itself reports a broken config, with every bad key; nothing to add here.
    return {};
  }
}

async function startDemoServer(dataDir: string): Promise<RunningServer> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const options = { dbFile: join(dataDir, 'hall-server.sqlite'), clock: systemClock, logger: createServerLogger({ level: 'warn' }) };
  try {
    return await startEmbeddedServer({ ...options, port: demoServerPort });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.log(`Port ${demoServerPort} is taken; the demo hall server takes another (the kiosk enrolls again).`);
    return startEmbeddedServer({ ...options, port: 0 });
  }
}

/** A code only when the kiosk holds no device this server still accepts. */
async function enrollmentCodeFor(server: RunningServer, stored: StoredKioskConfig): Promise<string | null> {
  const device = stored.device;
  if (device && typeof device.id === 'string' && device.serverUrl === server.url) {
    const known = await server.db.db.selectFrom('devices').select(['revoked_at', 'token_hash']).where('id', '=', device.id).executeTakeFirst();
    if (known && known.revoked_at === null && known.token_hash !== null) return null;
  }
  return (await server.createDevice('demo kiosk')).enrollmentCode;
}

let hostOptions: ReturnType<typeof parseHostArgs> | null = null;
try {
  hostOptions = parseHostArgs(hostArgs, process.env, process.platform, homedir());
} catch {
  // Bad arguments: host mode prints the problem and its usage below.
}
const demoEnv: Record<string, string> = {};
const demoArgs: string[] = [];
if (hostOptions) {
  const stored = readKioskConfig(hostOptions.dataDir);
  if (!hostOptions.serverUrl && typeof stored.serverUrl !== 'string') {
    const server = await startDemoServer(hostOptions.dataDir);
    console.log(`Demo mode: the hall server runs embedded at ${server.url} (database ${join(hostOptions.dataDir, 'hall-server.sqlite')}).`);
    demoEnv.HALL_KIOSK_SERVER_URL = server.url;
    demoArgs.push('--server-url', server.url);
    const code = hostOptions.enrollCode ? null : await enrollmentCodeFor(server, stored);
    if (code) {
      demoEnv.HALL_KIOSK_ENROLL_CODE = code;
      demoArgs.push('--enroll-code', code);
    }
    // Nothing to close on exit: SQLite's write-ahead log keeps every committed write across a kill.
  }
}

if ('path' in electron && !args.includes('--host')) {
  console.log(`Starting the kiosk in Electron (${electron.path}).`);
  const child = spawn(electron.path, [root], { stdio: 'inherit', env: { ...process.env, ...demoEnv } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  console.log('missing' in electron ? `Starting the kiosk in host mode: ${electron.missing}.` : 'Starting the kiosk in host mode (--host).');
  const { runHost } = await import('../main/host/host-main.ts');
  await runHost([...hostArgs, ...demoArgs]);
}
