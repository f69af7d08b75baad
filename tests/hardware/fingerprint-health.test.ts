import { describe, expect, it } from 'vitest';
import { FingerprintLinkError } from '../../hardware/fingerprint/errors.ts';
import { FingerprintReader } from '../../hardware/fingerprint/reader.ts';
import { syntheticTemplate } from '../../hardware/sim/fingerprint/fingers.ts';
import { SimulatedFingerprintModule } from '../../hardware/sim/fingerprint/module.ts';
import { fastReaderOptions, nextStatus, readerOnPty, rejectionOf } from './support/fingerprint-rig.ts';

/** The promise: an unplugged or silent reader is reported within 5 s. */
const reportWithinMs = 5000;

describe('reader health over a socat PTY', () => {
  it('with its default timings, reports socat killed within 5 s, fails commands at once, and reconnects on the same path', async () => {
    const rig = await readerOnPty({ defaultTimeouts: true });
    try {
      rig.module.storeTemplate(4, syntheticTemplate('zhou-shi'));
      expect(rig.reader.status.state).toBe('connected');

      const disconnected = nextStatus(rig.reader, 'disconnected', reportWithinMs);
      const pulled = Date.now();
      await rig.pty.unplug();
      rig.module.unplug();
      const status = await disconnected;
      expect(Date.now() - pulled).toBeLessThan(reportWithinMs);
      expect(status.text?.zh).toBeTruthy();

      const asked = Date.now();
      expect((await rejectionOf(rig.reader.templateNum(), FingerprintLinkError)).kind).toBe('disconnected');
      expect(Date.now() - asked).toBeLessThan(100);

      const connected = nextStatus(rig.reader, 'connected', reportWithinMs);
      const plugged = Date.now();
      await rig.pty.replug();
      rig.module.plugIn();
      await rig.module.attachSerialPort(rig.pty.printerEnd);
      await connected;
      expect(Date.now() - plugged).toBeLessThan(reportWithinMs);
      // flash survives the power cut; the reader re-verified the password session by itself
      expect(await rig.reader.templateNum()).toBe(1);
      expect(rig.statuses.map((s) => s.state)).toEqual(['connected', 'disconnected', 'connected']);
    } finally {
      await rig.dispose();
    }
  });

  it('with its default timings, reports a module that falls silent while idle within 5 s', async () => {
    const rig = await readerOnPty({ defaultTimeouts: true });
    try {
      const disconnected = nextStatus(rig.reader, 'disconnected', reportWithinMs);
      const silenced = Date.now();
      rig.module.setSilent(true);
      expect((await disconnected).text?.zh).toBe('指纹仪无响应');
      expect(Date.now() - silenced).toBeLessThan(reportWithinMs);
    } finally {
      await rig.dispose();
    }
  });

  it('a command in flight when the cable is pulled settles promptly instead of hanging', async () => {
    const rig = await readerOnPty();
    try {
      const waiting = rig.reader.identify();
      await new Promise((r) => setTimeout(r, 100));
      const pulled = Date.now();
      const disconnected = nextStatus(rig.reader, 'disconnected', reportWithinMs);
      await rig.pty.unplug();
      rig.module.unplug();
      await rejectionOf(waiting, FingerprintLinkError);
      expect(Date.now() - pulled).toBeLessThan(fastReaderOptions.commandTimeoutMs + 500);
      await disconnected;
    } finally {
      await rig.dispose();
    }
  });

  it('a silent module (powered but wedged) is reported, and recovers when it answers again', async () => {
    const rig = await readerOnPty();
    try {
      const disconnected = nextStatus(rig.reader, 'disconnected', reportWithinMs);
      rig.module.setSilent(true);
      const silenced = Date.now();
      const error = await rejectionOf(rig.reader.templateNum(), FingerprintLinkError);
      expect(error.kind).toBe('timeout');
      expect(error.text.zh).toBe('指纹仪无响应');
      expect(Date.now() - silenced).toBeLessThan(fastReaderOptions.commandTimeoutMs + 200);
      expect((await disconnected).detail).toContain('no reply');

      const connected = nextStatus(rig.reader, 'connected', reportWithinMs);
      rig.module.setSilent(false);
      await connected;
      expect(await rig.reader.templateNum()).toBe(0);
    } finally {
      await rig.dispose();
    }
  });

  it('starts without a device at the path, says so, and connects when it appears', async () => {
    const rig = await readerOnPty({ start: false });
    try {
      await rig.pty.unplug();
      rig.module.unplug();
      const status = await rig.reader.start();
      expect(status).toMatchObject({ state: 'disconnected', text: { zh: '找不到指纹仪，请检查连接线和端口设置' } });
      expect(status.detail).toContain('no such device');

      const connected = nextStatus(rig.reader, 'connected', reportWithinMs);
      await rig.pty.replug();
      rig.module.plugIn();
      await rig.module.attachSerialPort(rig.pty.printerEnd);
      expect((await connected).parameters?.librarySize).toBe(1000);
    } finally {
      await rig.dispose();
    }
  });

  it('stop() ends a waiting identify at once', async () => {
    const rig = await readerOnPty();
    const waiting = rig.reader.identify();
    await new Promise((r) => setTimeout(r, 50));
    const stopped = Date.now();
    await rig.dispose();
    expect((await rejectionOf(waiting, FingerprintLinkError)).kind).toBe('stopped');
    expect(Date.now() - stopped).toBeLessThan(500);
    expect((await rejectionOf(rig.reader.templateNum(), FingerprintLinkError)).kind).toBe('stopped');
  });
});

describe('reader health in process (demo mode)', () => {
  it('notices the module unplugged at once and reconnects when it is plugged in', async () => {
    const module = new SimulatedFingerprintModule({ capacity: 300 });
    const reader = new FingerprintReader({ ...fastReaderOptions, link: () => module.connect() });
    try {
      expect((await reader.start()).parameters?.librarySize).toBe(300);
      const disconnected = nextStatus(reader, 'disconnected', 1000);
      const pulled = Date.now();
      module.unplug();
      await disconnected;
      expect(Date.now() - pulled).toBeLessThan(100);
      expect((await rejectionOf(reader.genImg(), FingerprintLinkError)).kind).toBe('disconnected');

      const connected = nextStatus(reader, 'connected', reportWithinMs);
      module.plugIn();
      await connected;
      module.placeFinger('demo-finger');
      await reader.genImg();
    } finally {
      await reader.stop();
      await module.stop();
    }
  });
});
