import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A linked pseudo-terminal pair from Debian's socat: a null-modem cable in software. Shared by
 * the printer and fingerprint-reader suites.
 */
export interface PtyPair {
  /** the end the simulated device (virtual printer, fingerprint module) opens */
  printerEnd: string;
  /** the end the driver opens, as it would /dev/ttyUSB0 or /dev/usb/lp0 */
  driverEnd: string;
  /** pulls the cable: socat dies without cleaning up, as hardware would */
  unplug(): Promise<void>;
  /** plugs it back in: a new socat on the same two paths (both ends must be reopened) */
  replug(): Promise<void>;
  dispose(): Promise<void>;
}

interface Relay {
  socat: ChildProcess;
  exited: Promise<void>;
}

async function startRelay(printerEnd: string, driverEnd: string): Promise<Relay> {
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${printerEnd}`, `pty,raw,echo=0,link=${driverEnd}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
  // socat reports on stderr once both PTYs exist and it relays; the links exist by then.
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`socat did not start within 5 s: ${log}`)), 5000);
    socat.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socat.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`socat exited with ${code}: ${log}`));
    });
    socat.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { socat, exited };
}

export async function openPtyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-pty-'));
  const printerEnd = join(dir, 'printer');
  const driverEnd = join(dir, 'driver');
  let relay = await startRelay(printerEnd, driverEnd);
  const kill = async (signal: NodeJS.Signals) => {
    const { socat, exited } = relay;
    if (socat.exitCode === null && socat.signalCode === null) socat.kill(signal);
    await exited;
  };
  return {
    printerEnd,
    driverEnd,
    unplug: () => kill('SIGKILL'),
    async replug() {
      await kill('SIGKILL');
      relay = await startRelay(printerEnd, driverEnd);
    },
    async dispose() {
      await kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
