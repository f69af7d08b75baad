// Staff sign-in by fingerprint, at driver level: a simulated AS608 holding 1,000 templates and
// answering at real-module speed (capture ~200 ms, search ~300 ms at 1,000 templates, plus the
// 57600-baud line) on one end of a socat PTY pair; the FingerprintReader on the other. Each sample
// is one identify() with the finger already on the sensor: GenImg → Img2Tz → Search → page.
//
// The budget is "finger placed → name on screen". The staff sign-in screen does not exist
// yet, so this measures up to the driver's answer (page and score); the name lookup and render
// come with the UI and must be added to this figure then. Overhead is the total minus the
// module's own time (measured by the simulator from each command's arrival to its reply), i.e.
// what the driver, serialport and the PTY add.
import { createFingerprintReader } from '../hardware/fingerprint/index.ts';
import { syntheticTemplate } from '../hardware/sim/fingerprint/fingers.ts';
import { SimulatedFingerprintModule } from '../hardware/sim/fingerprint/module.ts';
import { openPtyPair } from '../tests/hardware/pty-pair.ts';
import { percentile } from './percentile.ts';

const librarySize = 1000;
const identifyCount = Number(process.env.BENCH_IDENTIFIES ?? 200);
const warmUp = 3;

export async function runFingerprintBench(): Promise<Record<string, number>> {
  const pty = await openPtyPair();
  const module = new SimulatedFingerprintModule({ capacity: librarySize, timeScale: 1, seed: 'bench' });
  for (let page = 0; page < librarySize; page++) module.storeTemplate(page, syntheticTemplate(`staff-${page}`));
  await module.attachSerialPort(pty.printerEnd);
  const reader = createFingerprintReader({ path: pty.driverEnd });
  try {
    const status = await reader.start();
    if (status.state !== 'connected') throw new Error(`reader did not connect: ${status.detail}`);
    const totals: number[] = [];
    const overheads: number[] = [];
    const deviceTimes: number[] = [];
    for (let i = 0; i < warmUp + identifyCount; i++) {
      // A fixed stride visits pages all over the library, the same ones every run.
      const page = (i * 379) % librarySize;
      module.placeFinger(`staff-${page}`);
      const deviceBefore = module.deviceTimeMs;
      const started = performance.now();
      const found = await reader.identify();
      const total = performance.now() - started;
      const device = module.deviceTimeMs - deviceBefore;
      module.liftFinger();
      if (found.page !== page) throw new Error(`staff-${page} identified as page ${found.page}`);
      if (i < warmUp) continue;
      totals.push(total);
      deviceTimes.push(device);
      overheads.push(total - device);
    }
    return {
      library: librarySize,
      identifies: identifyCount,
      identify_p50_ms: round(percentile(totals, 50)),
      identify_p95_ms: round(percentile(totals, 95)),
      device_p95_ms: round(percentile(deviceTimes, 95)),
      overhead_p50_ms: round(percentile(overheads, 50)),
      overhead_p95_ms: round(percentile(overheads, 95)),
      overhead_max_ms: round(Math.max(...overheads)),
    };
  } finally {
    await reader.stop();
    await module.stop();
    await pty.dispose();
  }
}

const round = (x: number): number => Math.round(x * 10) / 10;
