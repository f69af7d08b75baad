import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FingerprintReader, PollTimers } from '../../hardware/fingerprint/index.ts';
import { Instruction } from '../../hardware/fingerprint/instructions.ts';
import { syntheticTemplate } from '../../hardware/sim/fingerprint/fingers.ts';
import { SimulatedFingerprintModule } from '../../hardware/sim/fingerprint/module.ts';
import { hardwareReaderDevices } from '../../main/services/reader-devices.ts';
import { openPtyPair, type PtyPair } from './support/pty-pair.ts';
import { genImgCount } from './support/fingerprint-rig.ts';

/**
 * Time that passes only when the driver pauses: each pause it asks for moves the clock on by that
 * much and then ends (at once, in real time). A module that answers at once (timeScale 0) takes no
 * time on this clock, so how often it is polled per second of this clock is the driver's own pace.
 */
class SteppedTime {
  now = 0;
  readonly pauses: number[] = [];
  readonly clock = { now: () => this.now };
  readonly timers: PollTimers = {
    setTimeout: (callback, ms) => {
      this.pauses.push(ms);
      return setImmediate(() => {
        this.now += ms;
        callback();
      });
    },
    clearTimeout: (handle) => clearImmediate(handle as NodeJS.Immediate),
  };
}

const count = (module: SimulatedFingerprintModule, instruction: number) => module.receivedInstructions().filter((i) => i === instruction).length;

/** Waits (in real time, generously: the machine may be busy) until the module has had `n` of `instruction`. */
const received = (module: SimulatedFingerprintModule, instruction: number, n: number) =>
  vi.waitFor(() => expect(count(module, instruction)).toBeGreaterThanOrEqual(n), { timeout: 20_000, interval: 5 });

// The kiosk's real reader path (hardwareReaderDevices().open, as main opens a configured port)
// against the protocol-faithful module answering at once, over a socat PTY.
describe('GenImg polling against a module that answers at once', () => {
  let pty: PtyPair;
  let module: SimulatedFingerprintModule;
  let time: SteppedTime;
  let reader: FingerprintReader;

  const open = async (clock: { now: () => number }) => {
    reader = hardwareReaderDevices({ clock, timers: time.timers }).open(pty.driverEnd, 57600) as FingerprintReader;
    await reader.start();
    expect(reader.status.state).toBe('connected');
  };

  beforeEach(async () => {
    pty = await openPtyPair();
    module = new SimulatedFingerprintModule({ timeScale: 0 });
    await module.attachSerialPort(pty.printerEnd);
    time = new SteppedTime();
  });

  afterEach(async () => {
    await reader.stop();
    await module.stop();
    await pty.dispose();
  });

  it('polls at most 25 times a second of the injected clock, pausing on the injected timers', async () => {
    await open(time.clock);
    const stop = new AbortController();
    const waiting = reader.identify({ signal: stop.signal }).catch((error: unknown) => error);
    const before = count(module, Instruction.genImg);
    await received(module, Instruction.genImg, before + 50);
    stop.abort(new Error('test over'));
    await waiting;
    const polls = count(module, Instruction.genImg) - before;
    // Every poll after the first waited for its turn: 40 ms from the start of one to the next.
    expect(time.now).toBeGreaterThanOrEqual((polls - 1) * 40);
    expect(polls / (time.now / 1000)).toBeLessThanOrEqual(25.5);
    expect(time.pauses.length).toBeGreaterThanOrEqual(polls - 1);
    expect(new Set(time.pauses)).toEqual(new Set([40]));
  });

  it('adds no pause when each poll itself takes longer than the pace, as a real module does', async () => {
    // 60 ms of the clock pass for every image the module takes.
    await open({ now: () => genImgCount(module) * 60 });
    const stop = new AbortController();
    const waiting = reader.identify({ signal: stop.signal }).catch((error: unknown) => error);
    const before = count(module, Instruction.genImg);
    await received(module, Instruction.genImg, before + 30);
    stop.abort(new Error('test over'));
    await waiting;
    expect(time.pauses).toEqual([]);
  });

  it('a finger resting on the glass is identified once; the next identify waits for it to lift and a new press', async () => {
    await open(time.clock);
    module.storeTemplate(3, syntheticTemplate('li-si'));
    module.placeFinger('li-si');
    expect((await reader.identify()).page).toBe(3);
    expect(count(module, Instruction.search)).toBe(1);

    let second: number | undefined;
    const next = reader.identify().then((found) => (second = found.page));
    const polled = count(module, Instruction.genImg);
    // Two seconds of the injected clock with the finger still there: polled, never searched.
    await received(module, Instruction.genImg, polled + 50);
    expect(time.now).toBeGreaterThanOrEqual(1900);
    expect(count(module, Instruction.img2Tz)).toBe(1);
    expect(count(module, Instruction.search)).toBe(1);
    expect(second).toBeUndefined();

    module.liftFinger();
    const lifted = count(module, Instruction.genImg);
    await received(module, Instruction.genImg, lifted + 2);
    expect(second).toBeUndefined();
    module.placeFinger('li-si');
    await next;
    expect(second).toBe(3);
    expect(count(module, Instruction.search)).toBe(2);
  });

  it("the finger of an enrolment's last press is not identified by the identify that follows", async () => {
    await open(time.clock);
    module.placeFinger('wang-wu');
    await reader.enroll(5, {
      onStep(step) {
        if (step.step === 'lift') {
          module.liftFinger();
          setTimeout(() => module.placeFinger('wang-wu'), 20);
        }
      },
    });
    const searches = count(module, Instruction.search);
    const stop = new AbortController();
    const waiting = reader.identify({ signal: stop.signal }).catch((error: unknown) => error);
    const polled = count(module, Instruction.genImg);
    await received(module, Instruction.genImg, polled + 20);
    expect(count(module, Instruction.search)).toBe(searches);
    stop.abort(new Error('test over'));
    expect(await waiting).toBeInstanceOf(Error);
  });

  it('an enrolment after an identify does not take the finger that identify used as its first press', async () => {
    await open(time.clock);
    module.storeTemplate(2, syntheticTemplate('admin'));
    module.placeFinger('admin');
    expect((await reader.identify()).page).toBe(2);
    const steps: string[] = [];
    const enrolled = reader.enroll(9, {
      onStep(step) {
        steps.push(step.step);
        if (step.step === 'lift') {
          module.liftFinger();
          setTimeout(() => module.placeFinger('new-hire'), 20);
        }
      },
    });
    const polled = count(module, Instruction.genImg);
    await received(module, Instruction.genImg, polled + 20);
    // The admin's finger still rests: no capture yet, not even the first prompt.
    expect(count(module, Instruction.img2Tz)).toBe(1);
    expect(steps).toEqual([]);
    module.liftFinger();
    const lifted = count(module, Instruction.genImg);
    await received(module, Instruction.genImg, lifted + 2);
    module.placeFinger('new-hire');
    expect(await enrolled).toEqual({ page: 9 });
    // What was stored is the new hire's finger, not the admin's.
    module.liftFinger();
    reader.fingerLifted();
    module.placeFinger('new-hire');
    expect((await reader.identify()).page).toBe(9);
  });

  it('a press the caller saw begin anew (the demo hand lifted and pressed between polls) is identified at once', async () => {
    await open(time.clock);
    module.storeTemplate(7, syntheticTemplate('zhao-liu'));
    module.placeFinger('zhao-liu');
    expect((await reader.identify()).page).toBe(7);
    // Off and on again with no poll in between: only the caller knows it was a new press.
    module.liftFinger();
    module.placeFinger('zhao-liu');
    reader.fingerLifted();
    expect((await reader.identify()).page).toBe(7);
    expect(count(module, Instruction.search)).toBe(2);
  });
});
