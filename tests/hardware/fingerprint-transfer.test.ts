import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FingerprintDeviceError } from '../../hardware/fingerprint/errors.ts';
import { identifyPress, readerOnPty, rejectionOf } from './support/fingerprint-rig.ts';
import type { ReaderRig } from './support/fingerprint-rig.ts';

/**
 * "The template reaches kiosk 2", at driver level: a finger enrolled on one module is uploaded,
 * downloaded into a second module of another model (other packet size, other library size) and
 * found there. Sync and the server's encrypted store come later in issue 5.
 */
describe('a template moves from one reader to another over socat PTYs', () => {
  let kiosk1: ReaderRig;
  let kiosk2: ReaderRig;
  beforeAll(async () => {
    [kiosk1, kiosk2] = await Promise.all([
      readerOnPty({ module: { capacity: 1000, packetSize: 32, seed: 'kiosk-1' } }),
      readerOnPty({ module: { capacity: 300, packetSize: 256, seed: 'kiosk-2', password: 0x00c0ffee }, reader: { password: 0x00c0ffee } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([kiosk1.dispose(), kiosk2.dispose()]);
  });

  it('enrol on kiosk 1, UpChar, DownChar + Store on kiosk 2, identify on kiosk 2', async () => {
    const person = 'wu-shiyi/right-index';
    kiosk1.module.placeFinger(person);
    await kiosk1.reader.enroll(7, {
      onStep(step) {
        if (step.step === 'lift') {
          kiosk1.module.liftFinger();
          setTimeout(() => kiosk1.module.placeFinger(person), 20);
        }
      },
    });
    kiosk1.module.liftFinger();

    await kiosk1.reader.loadChar(1, 7);
    const template = await kiosk1.reader.upChar(1);
    expect(template).toHaveLength(512);
    expect(template).toEqual(kiosk1.module.templateAt(7));
    expect(kiosk1.reader.systemParameters?.packetSize).toBe(32);
    expect(kiosk2.reader.systemParameters).toMatchObject({ packetSize: 256, librarySize: 300 });

    await kiosk2.reader.downChar(1, template);
    await kiosk2.reader.store(1, 42);
    expect(kiosk2.module.templateAt(42)).toEqual(template);

    expect((await identifyPress(kiosk2, person)).page).toBe(42);

    // A stranger on kiosk 2 is nobody, and so is a named finger never enrolled anywhere.
    expect((await rejectionOf(identifyPress(kiosk2, 'unknown'), FingerprintDeviceError)).kind).toBe('not-found');
    expect((await rejectionOf(identifyPress(kiosk2, 'someone-never-enrolled'), FingerprintDeviceError)).kind).toBe('not-found');

    // Removing the staff member deletes the template on every reader.
    await kiosk2.reader.deleteChar(42);
    expect((await rejectionOf(identifyPress(kiosk2, person), FingerprintDeviceError)).kind).toBe('not-found');
  });
});
