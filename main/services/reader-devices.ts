import type { Clock } from '../../core/calendar/clock.ts';
import { FingerprintReader, createFingerprintReader, listSerialPorts } from '../../hardware/fingerprint/index.ts';
import type { PollTimers } from '../../hardware/fingerprint/index.ts';
import type { SerialDeviceDir } from '../../hardware/fingerprint/serial-ports.ts';
import { SimulatedFingerprintModule } from '../../hardware/sim/fingerprint/index.ts';
import type { ReaderDevices } from './reader-service.ts';

/**
 * The real driver on a serial port, and the in-process simulated module for demo kiosks.
 * `scan` replaces the directories searched for serial devices beyond the system's listing;
 * `clock` and `timers` are what the driver paces its GenImg polls by (tests step them).
 */
export function hardwareReaderDevices(options: { scan?: readonly SerialDeviceDir[]; clock?: Clock; timers?: PollTimers } = {}): ReaderDevices {
  const time = { ...(options.clock ? { clock: options.clock } : {}), ...(options.timers ? { timers: options.timers } : {}) };
  return {
    listPorts: () => listSerialPorts(options.scan ? { scan: options.scan } : {}),
    // The driver's own pace (a poll at most every 40 ms, start to start) is shorter than a real
    // module's ~60 ms image, so it adds nothing to "finger placed → name on screen" there, and a
    // module that answers at once is not polled a thousand times a second.
    open: (path, baudRate) => createFingerprintReader({ path, baudRate, ...time }),
    simulated: () => {
      // Real-module timings so a demo feels like the hall's hardware (a press takes a moment).
      const module = new SimulatedFingerprintModule({ timeScale: 1 });
      return { reader: new FingerprintReader({ link: () => module.connect(), ...time }), fingers: module };
    },
  };
}
