import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { confirmationCodes } from '../../hardware/fingerprint/confirmation-codes.ts';
import type { ConfirmationKind } from '../../hardware/fingerprint/confirmation-codes.ts';
import type { EnrollStep } from '../../hardware/fingerprint/enroll-steps.ts';
import { enrollPrompt } from '../../hardware/fingerprint/enroll-steps.ts';
import { FingerprintDeviceError, FingerprintDuplicateError, FingerprintLinkError } from '../../hardware/fingerprint/errors.ts';
import { Instruction } from '../../hardware/fingerprint/instructions.ts';
import { listSerialPorts } from '../../hardware/fingerprint/serial-ports.ts';
import { syntheticTemplate } from '../../hardware/sim/fingerprint/fingers.ts';
import { identifyPress, readerOnPty, rejectionOf } from './support/fingerprint-rig.ts';
import type { ReaderRig } from './support/fingerprint-rig.ts';

async function deviceError(work: Promise<unknown>, kind: ConfirmationKind): Promise<FingerprintDeviceError> {
  const error = await rejectionOf(work, FingerprintDeviceError);
  expect(error.kind).toBe(kind);
  return error;
}

describe('fingerprint reader over a socat PTY: the instructions', () => {
  let rig: ReaderRig;
  beforeAll(async () => {
    rig = await readerOnPty({ module: { capacity: 1000, packetSize: 128 } });
  });
  afterAll(() => rig.dispose());
  beforeEach(async () => {
    // Each test begins with the hand off the glass, whether or not a poll saw it go.
    rig.module.liftFinger();
    rig.reader.fingerLifted();
    await rig.reader.empty();
  });

  it('connects with VfyPwd and ReadSysPara, and reports the module parameters', async () => {
    expect(rig.reader.status).toMatchObject({ state: 'connected' });
    expect(rig.statuses.map((s) => s.state)).toEqual(['connected']);
    const parameters = await rig.reader.readSysPara();
    expect(parameters).toMatchObject({ librarySize: 1000, securityLevel: 3, address: 0xffffffff, packetSize: 128, baudRate: 57600, systemId: 9 });
    expect(parameters.passwordVerified).toBe(true);
    expect(rig.reader.status.parameters).toMatchObject({ librarySize: 1000 });
    await rig.reader.vfyPwd();
    const sent = rig.module.receivedInstructions();
    expect(sent.slice(0, 2)).toEqual([Instruction.readSysPara, Instruction.vfyPwd]);
  });

  it('GenImg: no finger, a finger, an image that fails', async () => {
    await deviceError(rig.reader.genImg(), 'no-finger');
    rig.module.placeFinger('zhang-san/right-index');
    await rig.reader.genImg();
    rig.module.placeFinger('smudge', 'image-fail');
    const error = await deviceError(rig.reader.genImg(), 'image-failed');
    expect(error.code).toBe(0x03);
    expect(error.text.zh).toContain('重新按压');
  });

  it('Img2Tz: good image, too disorderly (06), too few features (07), no image (15)', async () => {
    rig.module.placeFinger('li-si/left-thumb');
    await rig.reader.genImg();
    await rig.reader.img2Tz(1);
    rig.module.placeFinger('li-si/left-thumb', 'disorderly');
    await rig.reader.genImg();
    expect((await deviceError(rig.reader.img2Tz(1), 'image-disorderly')).code).toBe(0x06);
    rig.module.placeFinger('poor');
    await rig.reader.genImg();
    expect((await deviceError(rig.reader.img2Tz(2), 'too-few-features')).code).toBe(0x07);
    // A power cut empties the image buffer.
    rig.module.plugIn();
    expect((await deviceError(rig.reader.img2Tz(1), 'no-image')).code).toBe(0x15);
  });

  it('Match: two presses of one finger match; two fingers do not (08)', async () => {
    await capture('wang-wu/index', 1);
    await capture('wang-wu/index', 2);
    const { score } = await rig.reader.match();
    expect(score).toBeGreaterThanOrEqual(50);
    await capture('zhao-liu/index', 2);
    expect((await deviceError(rig.reader.match(), 'no-match')).code).toBe(0x08);
  });

  it('RegModel, Store, TemplateNum, ReadIndexTable, Search, LoadChar, DeleteChar, Empty', async () => {
    await capture('a', 1);
    await capture('b', 2);
    expect((await deviceError(rig.reader.regModel(), 'merge-failed')).code).toBe(0x0a);
    await capture('a', 2);
    await rig.reader.regModel();
    await rig.reader.store(1, 5);
    await rig.reader.store(2, 300);
    expect(await rig.reader.templateNum()).toBe(2);
    expect(await rig.reader.readIndexTable(0)).toEqual([5]);
    expect(await rig.reader.readIndexTable(1)).toEqual([300]);
    expect(await rig.reader.occupiedPages()).toEqual([5, 300]);
    expect((await deviceError(rig.reader.store(1, 1000), 'bad-page')).code).toBe(0x0b);

    await capture('a', 1);
    expect(await rig.reader.search(1, 0, 1000)).toMatchObject({ page: 5 });
    expect((await rig.reader.search(1, 6, 994)).page).toBe(300);
    expect((await deviceError(rig.reader.search(1, 6, 100), 'not-found')).code).toBe(0x09);

    await rig.reader.loadChar(2, 300);
    expect(rig.module.charBuffer(2)).toEqual(rig.module.templateAt(300));
    expect((await deviceError(rig.reader.loadChar(2, 6), 'read-failed')).code).toBe(0x0c);
    expect((await deviceError(rig.reader.loadChar(2, 1000), 'bad-page')).code).toBe(0x0b);

    await rig.reader.deleteChar(5);
    expect(rig.module.pages()).toEqual([300]);
    expect((await deviceError(rig.reader.deleteChar(999, 2), 'delete-failed')).code).toBe(0x10);
    await rig.reader.empty();
    expect(await rig.reader.templateNum()).toBe(0);
  });

  it('UpChar and DownChar move a template in data packets of the configured size', async () => {
    await capture('chen-qi/index', 1);
    const uploaded = await rig.reader.upChar(1);
    expect(uploaded).toHaveLength(512);
    expect(uploaded).toEqual(rig.module.charBuffer(1));

    const template = syntheticTemplate('someone-else');
    await rig.reader.downChar(2, template);
    // Data packets are not acknowledged: the Store after them is what confirms they arrived.
    await rig.reader.store(2, 9);
    expect(rig.module.charBuffer(2)).toEqual(template);
    expect(rig.module.templateAt(9)).toEqual(template);
    expect(await rig.reader.upChar(2)).toEqual(template);
  });

  it('turns every confirmation code into a typed error with words for staff', async () => {
    for (const [code, entry] of Object.entries(confirmationCodes)) {
      if (Number(code) === 0) continue;
      // 0x21 makes the driver re-verify and repeat once; the repeat's 0x21 is the error.
      rig.module.failNext(Instruction.templateNum, Number(code), entry.kind === 'password-required' ? 2 : 1);
      const error = await deviceError(rig.reader.templateNum(), entry.kind);
      expect(error.code).toBe(Number(code));
      expect(error.instruction).toBe(Instruction.templateNum);
      expect(error.text).toEqual({ zh: entry.zh, en: entry.en });
    }
    rig.module.failNext(Instruction.templateNum, 0x42);
    expect((await deviceError(rig.reader.templateNum(), 'unknown-code')).message).toContain('0x42');
  });

  it('codes that only some instructions produce: packet error, cannot receive, empty fail, flash error', async () => {
    // A malformed or unknown instruction is refused with a bare 01.
    expect(await rig.reader.command(0x7e)).toEqual({ code: 0x01, data: Buffer.alloc(0) });
    expect((await rig.reader.command(Instruction.img2Tz, Buffer.from([1, 2]))).code).toBe(0x01);
    rig.module.failNext(Instruction.genImg, 0x01);
    await deviceError(rig.reader.genImg(), 'packet-error');
    rig.module.failNext(Instruction.downChar, 0x0e);
    expect((await deviceError(rig.reader.downChar(1, syntheticTemplate('x')), 'cannot-receive')).code).toBe(0x0e);
    rig.module.failNext(Instruction.empty, 0x11);
    await deviceError(rig.reader.empty(), 'empty-failed');
    rig.module.failNext(Instruction.store, 0x18);
    await deviceError(rig.reader.store(1, 3), 'flash-error');
    rig.module.failNext(Instruction.upChar, 0x01);
    await deviceError(rig.reader.upChar(1), 'packet-error');
    // and the reader is still in step afterwards
    expect(await rig.reader.templateNum()).toBe(0);
  });

  it('enrolls with guided steps, then identifies the finger; an unknown finger is never anyone', async () => {
    const steps: EnrollStep[] = [];
    const person = 'liu-ba/right-index';
    rig.module.placeFinger(person);
    const { page } = await rig.reader.enroll(17, {
      onStep(step) {
        steps.push(step);
        // The simulated person follows the prompts.
        if (step.step === 'lift') rig.module.liftFinger();
        if (step.step === 'place' && step.capture === 2) setTimeout(() => rig.module.placeFinger(person), 30);
      },
    });
    expect(page).toBe(17);
    expect(steps.map((s) => s.step + ('capture' in s ? s.capture : ''))).toEqual(['place1', 'captured1', 'lift', 'place2', 'captured2', 'merging', 'storing', 'done']);
    expect(steps.map((s) => enrollPrompt(s).zh).every((zh) => zh.length > 0)).toBe(true);
    expect(rig.module.pages()).toEqual([17]);

    const found = await identifyPress(rig, person);
    expect(found.page).toBe(17);
    expect(found.score).toBeGreaterThanOrEqual(50);

    for (let i = 0; i < 5; i++) await deviceError(identifyPress(rig, 'unknown'), 'not-found');
  });

  it('enrolment retries a poor image after the finger is lifted, and fails on two different fingers', async () => {
    const steps: string[] = [];
    rig.module.placeFinger('sun-jiu/index', 'few-features');
    await rig.reader.enroll(2, {
      onStep(step) {
        steps.push(step.step + ('capture' in step ? step.capture : ''));
        if (step.step === 'retry') {
          expect(enrollPrompt(step).zh).toContain('特征点太少');
          rig.module.liftFinger();
          setTimeout(() => rig.module.placeFinger('sun-jiu/index'), 30);
        }
        if (step.step === 'lift') {
          rig.module.liftFinger();
          setTimeout(() => rig.module.placeFinger('sun-jiu/index'), 30);
        }
      },
    });
    expect(steps.slice(0, 3)).toEqual(['place1', 'retry1', 'place1']);
    expect(steps.at(-1)).toBe('done');

    pressAnew('first-finger');
    const error = await deviceError(
      rig.reader.enroll(3, {
        onStep(step) {
          if (step.step === 'lift') {
            rig.module.liftFinger();
            setTimeout(() => rig.module.placeFinger('another-finger'), 30);
          }
        },
      }),
      'merge-failed',
    );
    expect(error.text.zh).toContain('不一致');
    expect(rig.module.pages()).toEqual([2]);

    // A slot the library does not have is refused before anyone presses.
    const started = rig.module.receivedInstructions().length;
    await deviceError(rig.reader.enroll(1000), 'bad-page');
    expect(rig.module.receivedInstructions()).toHaveLength(started);
  });

  it('enrolment with a duplicate check refuses a finger stored under a page not allowed, storing nothing; an allowed page passes', async () => {
    const person = 'zhou-shi/right-index';
    rig.module.storeTemplate(40, syntheticTemplate(person));
    rig.module.storeTemplate(41, syntheticTemplate('someone-else'));
    const follow = (step: EnrollStep) => {
      if (step.step === 'lift') {
        rig.module.liftFinger();
        setTimeout(() => rig.module.placeFinger(person), 30);
      }
    };
    const steps: string[] = [];
    rig.module.placeFinger(person);
    const refused = await rejectionOf(
      rig.reader.enroll(7, { duplicateCheck: { allowPages: [41] }, onStep: (step) => (steps.push(step.step), follow(step)) }),
      FingerprintDuplicateError,
    );
    expect(refused.match.page).toBe(40);
    expect(refused.text.zh).toContain('不能重复登记');
    expect(steps).not.toContain('storing');
    expect(rig.module.pages()).toEqual([40, 41]);
    expect(rig.module.receivedInstructions()).toContain(Instruction.search);

    // The same person's own page is allowed (re-enrolment), and the match is reported.
    pressAnew(person);
    const again = await rig.reader.enroll(7, { duplicateCheck: { allowPages: [40] }, onStep: follow });
    expect(again).toMatchObject({ page: 7, match: { page: 40 } });
    expect(rig.module.pages()).toEqual([7, 40, 41]);

    // A finger nobody has: no match, stored.
    const stranger = 'new-starter/left-index';
    pressAnew(stranger);
    const fresh = await rig.reader.enroll(8, {
      duplicateCheck: { allowPages: [] },
      onStep(step) {
        if (step.step === 'lift') {
          rig.module.liftFinger();
          setTimeout(() => rig.module.placeFinger(stranger), 30);
        }
      },
    });
    expect(fresh).toEqual({ page: 8 });
  });

  it('against a full library of 1,000 staff, strangers are never anyone and staff are always themselves', async () => {
    for (let page = 0; page < 1000; page++) rig.module.storeTemplate(page, syntheticTemplate(`staff-${page}`));
    for (let i = 0; i < 25; i++) {
      await deviceError(identifyPress(rig, 'unknown'), 'not-found');
      const page = (i * 397) % 1000;
      expect((await identifyPress(rig, `staff-${page}`)).page).toBe(page);
    }
  });

  it('identify waits for a finger and stops when aborted, leaving the reader usable', async () => {
    const controller = new AbortController();
    const waiting = rig.reader.identify({ signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    controller.abort(new Error('staff left the sign-in screen'));
    await expect(waiting).rejects.toThrow('staff left the sign-in screen');
    expect(Date.now() - started).toBeLessThan(200);
    expect(await rig.reader.templateNum()).toBe(0);
  });

  /**
   * The last finger off the glass and `finger` on it, between two enrolments: no poll runs then to
   * see the lift, so the driver is told (as the demo's simulated hand tells it).
   */
  function pressAnew(finger: string): void {
    rig.module.liftFinger();
    rig.reader.fingerLifted();
    rig.module.placeFinger(finger);
  }

  async function capture(finger: string, buffer: 1 | 2): Promise<void> {
    rig.module.placeFinger(finger);
    await rig.reader.genImg();
    await rig.reader.img2Tz(buffer);
  }
});

describe('fingerprint reader over a socat PTY: the password', () => {
  it('a wrong password keeps the reader disconnected with words for staff; the right one connects', async () => {
    const wrong = await readerOnPty({ module: { password: 0x0badcafe }, reader: { password: 0x12345678 } });
    try {
      expect(wrong.reader.status).toMatchObject({ state: 'disconnected', text: { zh: '指纹仪口令错误，请检查设置' } });
      const error = await rejectionOf(wrong.reader.templateNum(), FingerprintLinkError);
      expect(error.kind).toBe('disconnected');
      expect(wrong.module.passwordVerified).toBe(false);
    } finally {
      await wrong.dispose();
    }

    const right = await readerOnPty({ module: { password: 0x0badcafe }, reader: { password: 0x0badcafe } });
    try {
      expect(right.reader.status.state).toBe('connected');
      expect(right.module.passwordVerified).toBe(true);
      expect((await deviceError(right.reader.vfyPwd(0x11111111), 'wrong-password')).code).toBe(0x13);
      // The failed attempt closed the module's session: a raw command sees 0x21 …
      expect((await right.reader.command(Instruction.templateNum)).code).toBe(0x21);
      // … and the driver's own commands re-verify by themselves.
      expect(await right.reader.templateNum()).toBe(0);
      expect(right.module.passwordVerified).toBe(true);
      // So after a power cycle the driver did not notice: a template upload still works.
      right.module.plugIn();
      expect(right.module.passwordVerified).toBe(false);
      expect(await right.reader.upChar(1)).toHaveLength(512);
      expect(right.module.passwordVerified).toBe(true);
    } finally {
      await right.dispose();
    }
  });
});

describe('the port picker', () => {
  it('lists the serial devices of this machine with a label each, and never throws', async () => {
    const ports = await listSerialPorts();
    for (const port of ports) {
      expect(port.path).toMatch(/^\/dev\//);
      expect(port.label).toContain(port.path);
    }
    const likely = ports.map((p) => p.likelyReader);
    expect(likely).toEqual([...likely].sort((a, b) => Number(b) - Number(a)));
  });
});
