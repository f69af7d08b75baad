// `npm start`: run the built kiosk in Electron when its binary is on this machine, otherwise in
// host mode (a loopback server plus the system Chromium in kiosk mode, when there is a screen).
// `--host` forces host mode; other arguments go to host mode (see main/host/host-options.ts).
//
// Demo mode: with no hall server configured (config, --server-url or HALL_KIOSK_SERVER_URL) the
// central server runs inside this process on a SQLite file in the kiosk's data dir, and the kiosk
// enrolls with it on its first start, so the demo numbers, leases and syncs like a real hall.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../core/calendar/clock.ts';
import { parseHostArgs } from '../main/host/host-options.ts';
import { enrollmentCodeFor, startDemoServer, type StoredKioskConfig } from './demo-server.ts';
import { electronBinary } from './electron-binary.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const hostArgs = args.filter((a) => a !== '--host');
const electron = electronBinary();
const systemClock: Clock = { now: () => Date.now() };

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
    const server = await startDemoServer(hostOptions.dataDir, { clock: systemClock });
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
