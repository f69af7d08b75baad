import { randomBytes } from 'node:crypto';
import type { SerialPortStream } from '@serialport/stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serialLine } from '../../hardware/serial-line.ts';
import { openPtyPair, type PtyPair } from './support/pty-pair.ts';

let pty: PtyPair;
const opened: SerialPortStream[] = [];

beforeEach(async () => {
  pty = await openPtyPair();
});

afterEach(async () => {
  for (const port of opened.splice(0)) if (port.isOpen) await new Promise((resolve) => port.close(resolve));
  await pty.dispose();
});

async function open(path: string): Promise<SerialPortStream> {
  const port = serialLine({ path, baudRate: 57600 });
  port.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  opened.push(port);
  return port;
}

function receive(port: SerialPortStream, length: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received >= length) {
        port.off('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    port.on('data', onData);
  });
}

describe('serialLine over a socat PTY pair', () => {
  it('carries 256 KiB each way intact, far more than the terminal buffers hold at once', async () => {
    const [driver, device] = await Promise.all([open(pty.driverEnd), open(pty.printerEnd)]);
    const out = randomBytes(256 * 1024);
    const back = randomBytes(256 * 1024);
    const atDevice = receive(device, out.length);
    const atDriver = receive(driver, back.length);
    driver.write(out);
    device.write(back);
    await new Promise<void>((resolve, reject) => driver.drain((error) => (error ? reject(error) : resolve())));
    expect((await atDevice).equals(out)).toBe(true);
    expect((await atDriver).equals(back)).toBe(true);
  });

  it('a pulled cable closes the port as disconnected at once; plugged back, it opens again and carries bytes', async () => {
    const driver = await open(pty.driverEnd);
    driver.resume();
    const closed = new Promise<{ disconnected?: boolean } | null>((resolve) => driver.once('close', resolve));
    await pty.unplug();
    expect(await closed).toMatchObject({ disconnected: true });
    expect(driver.isOpen).toBe(false);

    await pty.replug();
    const [again, device] = await Promise.all([open(pty.driverEnd), open(pty.printerEnd)]);
    const heard = receive(device, 5);
    again.write(Buffer.from('hello'));
    expect((await heard).toString()).toBe('hello');
  });

  it('closing with a read waiting releases the device: it opens again and works', async () => {
    const device = await open(pty.printerEnd);
    const first = await open(pty.driverEnd);
    first.resume();
    await new Promise((resolve) => first.close(resolve));
    expect(first.isOpen).toBe(false);
    const again = await open(pty.driverEnd);
    const heard = receive(device, 4);
    again.write(Buffer.from('ping'));
    expect((await heard).toString()).toBe('ping');
  });
});
