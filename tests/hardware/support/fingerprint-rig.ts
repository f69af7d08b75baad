import { expect } from 'vitest';
import { Instruction } from '../../../hardware/fingerprint/instructions.ts';
import { FingerprintReader } from '../../../hardware/fingerprint/reader.ts';
import type { FingerprintReaderOptions, IdentifyOptions, ReaderState, ReaderStatus, SearchResult } from '../../../hardware/fingerprint/reader.ts';
import { serialLink } from '../../../hardware/fingerprint/link.ts';
import { SimulatedFingerprintModule } from '../../../hardware/sim/fingerprint/module.ts';
import type { SimulatedFingerprintModuleOptions } from '../../../hardware/sim/fingerprint/module.ts';
import { openPtyPair } from './pty-pair.ts';
import type { PtyPair } from './pty-pair.ts';

/** A simulated module on one end of a socat PTY pair and a started reader on the other. */
export interface ReaderRig {
  pty: PtyPair;
  module: SimulatedFingerprintModule;
  reader: FingerprintReader;
  /** every status the reader reported, with when */
  statuses: (ReaderStatus & { at: number })[];
  dispose(): Promise<void>;
}

export const fastReaderOptions = {
  commandTimeoutMs: 400,
  slowCommandTimeoutMs: 800,
  handshakeTimeoutMs: 300,
  healthIntervalMs: 500,
  pollIntervalMs: 10,
} satisfies Partial<FingerprintReaderOptions>;

export async function readerOnPty(
  options: {
    module?: SimulatedFingerprintModuleOptions;
    reader?: Partial<Omit<FingerprintReaderOptions, 'link'>>;
    /** the driver's own defaults instead of the short test timeouts */
    defaultTimeouts?: boolean;
    start?: boolean;
  } = {},
): Promise<ReaderRig> {
  const pty = await openPtyPair();
  const module = new SimulatedFingerprintModule(options.module);
  await module.attachSerialPort(pty.printerEnd);
  const reader = new FingerprintReader({
    ...(options.defaultTimeouts ? {} : fastReaderOptions),
    ...options.reader,
    link: serialLink({ path: pty.driverEnd, openTimeoutMs: 500 }),
  });
  const statuses: ReaderRig['statuses'] = [];
  reader.onStatus((status) => statuses.push({ ...status, at: Date.now() }));
  if (options.start !== false) await reader.start();
  return {
    pty,
    module,
    reader,
    statuses,
    async dispose() {
      await reader.stop();
      await module.stop();
      await pty.dispose();
    },
  };
}

/** Resolves with the first status in `state` reported from now on, or fails after `withinMs`. */
export function nextStatus(reader: FingerprintReader, state: ReaderState, withinMs: number): Promise<ReaderStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`reader did not become ${state} within ${withinMs} ms (now ${JSON.stringify(reader.status)})`));
    }, withinMs);
    const off = reader.onStatus((status) => {
      if (status.state !== state) return;
      clearTimeout(timer);
      off();
      resolve(status);
    });
  });
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf<E extends Error>(work: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const outcome = await work.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(type);
  return outcome.error as E;
}

/** How many GenImg polls the module has answered so far. */
export function genImgCount(module: SimulatedFingerprintModule): number {
  return module.receivedInstructions().filter((i) => i === Instruction.genImg).length;
}

/**
 * Identify as a person does it: whatever finger was on the glass leaves it, the reader polls the
 * empty glass (so it knows the last press is over: it identifies each press once), and then
 * `finger` goes down. Resolves or rejects with what the identify answered.
 */
export async function identifyPress(rig: Pick<ReaderRig, 'module' | 'reader'>, finger: string, options: IdentifyOptions = {}): Promise<SearchResult> {
  rig.module.liftFinger();
  const polls = genImgCount(rig.module);
  const found = rig.reader.identify(options);
  let settled = false;
  found.then(
    () => (settled = true),
    () => (settled = true),
  );
  const by = Date.now() + 5_000;
  while (!settled && genImgCount(rig.module) <= polls) {
    if (Date.now() > by) throw new Error('the reader never polled the empty glass');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  rig.module.placeFinger(finger);
  return found;
}
