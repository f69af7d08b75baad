// `npm start`: run the built kiosk in Electron when its binary is on this machine, otherwise in
// host mode (a loopback server plus the system Chromium in kiosk mode, when there is a screen).
// `--host` forces host mode; other arguments go to host mode (see main/host/host-options.ts).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const electron = electronBinary();

if ('path' in electron && !args.includes('--host')) {
  console.log(`Starting the kiosk in Electron (${electron.path}).`);
  const child = spawn(electron.path, [root], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  console.log('missing' in electron ? `Starting the kiosk in host mode: ${electron.missing}.` : 'Starting the kiosk in host mode (--host).');
  const { runHost } = await import('../main/host/host-main.ts');
  await runHost(args.filter((a) => a !== '--host'));
}
