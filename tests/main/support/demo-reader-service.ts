import { FingerprintReader } from '../../../hardware/fingerprint/index.ts';
import { SimulatedFingerprintModule } from '../../../hardware/sim/fingerprint/index.ts';
import { createKioskLogger } from '../../../main/services/logger.ts';
import { ReaderService } from '../../../main/services/reader-service.ts';

/**
 * The privileged side's reader service on a demo kiosk's in-process simulated module (300 pages,
 * answering at once), with no serial ports: what the kiosk-flow tests put a "finger" on.
 */
export function demoReaderService(options: { simulatedTapMs?: number } = {}): ReaderService {
  return new ReaderService({
    config: { port: null, baudRate: 57600 },
    logger: createKioskLogger({ stdout: false, level: 'silent' }),
    simulatedTapMs: options.simulatedTapMs ?? 30,
    devices: {
      listPorts: async () => [],
      open: () => {
        throw new Error('no serial reader in this test');
      },
      simulated: () => {
        const module = new SimulatedFingerprintModule({ capacity: 300 });
        return { reader: new FingerprintReader({ link: () => module.connect(), pollIntervalMs: 5 }), fingers: module };
      },
    },
  });
}
