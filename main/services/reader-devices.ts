import { FingerprintReader, createFingerprintReader, listSerialPorts } from '../../hardware/fingerprint/index.ts';
import type { SerialDeviceDir } from '../../hardware/fingerprint/serial-ports.ts';
import { SimulatedFingerprintModule } from '../../hardware/sim/fingerprint/index.ts';
import type { ReaderDevices } from './reader-service.ts';

// The module paces the polling itself (a GenImg without a finger keeps it busy for tens of ms),
// so the pause between polls only adds to how long a finger placed in it waits.
const identifyPollMs = 0;

/**
 * The real driver on a serial port, and the in-process simulated module for demo kiosks.
 * `scan` replaces the directories searched for serial devices beyond the system's listing.
 */
export function hardwareReaderDevices(options: { scan?: readonly SerialDeviceDir[] } = {}): ReaderDevices {
  return {
    listPorts: () => listSerialPorts(options.scan ? { scan: options.scan } : {}),
    // A real module's no-finger GenImg already takes ~60 ms: a long pause between polls would
    // only add to "finger placed → name on screen".
    open: (path, baudRate) => createFingerprintReader({ path, baudRate, pollIntervalMs: identifyPollMs }),
    simulated: () => {
      // Real-module timings so a demo feels like the hall's hardware (a press takes a moment).
      const module = new SimulatedFingerprintModule({ timeScale: 1 });
      return { reader: new FingerprintReader({ link: () => module.connect() }), fingers: module };
    },
  };
}
