import type { Clock } from '../../core/calendar/clock.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import { confirmationCodeOf } from './confirmation-codes.ts';
import type { Capture, EnrollStep } from './enroll-steps.ts';
import { FingerprintDeviceError, FingerprintDuplicateError, FingerprintLinkError, isPoorImage } from './errors.ts';
import { Instruction, ackContentLength, instructionNames, isInstruction } from './instructions.ts';
import type { CharBuffer } from './instructions.ts';
import type { FingerprintLink, FingerprintLinkOpener } from './link.ts';
import { PacketId, PacketParser, commandPacket, defaultModuleAddress, encodePacket } from './packet.ts';
import type { FingerprintPacket } from './packet.ts';
import { decodeSystemParameters } from './system-parameters.ts';
import type { SystemParameters } from './system-parameters.ts';

export interface FingerprintReaderOptions {
  link: FingerprintLinkOpener;
  address?: number;
  password?: number;
  /** reply to one command; a capture takes ~200 ms on a real module */
  commandTimeoutMs?: number;
  /** Search over a full library and Empty erase flash: ~300 ms to ~1 s on real modules */
  slowCommandTimeoutMs?: number;
  /** each step of the connect handshake, and the idle health probe */
  handshakeTimeoutMs?: number;
  /**
   * After this long without a reply the reader is probed (or, while disconnected, reopened).
   * A silent reader is reported after at most this plus one handshake timeout.
   */
  healthIntervalMs?: number;
  /**
   * Shortest time from the start of one GenImg poll to the start of the next, while waiting for a
   * finger or for it to lift. A module slower than this (a real one takes ~60 ms per image) is
   * polled back to back, so nothing is added to "finger placed → identified"; one that answers at
   * once is not polled flat out.
   */
  pollIntervalMs?: number;
  /** attempts per capture when the image is poor, during enrolment */
  enrollAttempts?: number;
  /** the clock the poll pace is measured on */
  clock?: Clock;
  /** what the pause between polls waits on */
  timers?: PollTimers;
}

/** setTimeout and clearTimeout, injectable so a test can pace the polls without waiting. */
export interface PollTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: PollTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type ReaderState = 'connected' | 'disconnected';

export interface ReaderStatus {
  state: ReaderState;
  /** clock time of the last change */
  since: number;
  /** why it is disconnected, for the log and the technician */
  detail?: string;
  /** what staff are told while it is disconnected */
  text?: LocalizedText;
  parameters?: SystemParameters;
}

export interface SearchResult {
  page: number;
  score: number;
}

export interface IdentifyOptions {
  signal?: AbortSignal;
  /** first library page to search */
  start?: number;
  /** pages to search; the whole library by default */
  count?: number;
}

export interface EnrollOptions {
  signal?: AbortSignal;
  onStep?: (step: EnrollStep) => void;
  /**
   * Search the library with the merged template before storing it. A match on a page outside
   * `allowPages` (the same person's other fingers) stops the enrolment with FingerprintDuplicateError
   * and nothing stored: one finger must not sign in as two people.
   */
  duplicateCheck?: { allowPages: readonly number[] };
}

export interface EnrollOutcome {
  page: number;
  /** the library page the merged template matched, when a duplicate check ran and found one */
  match?: SearchResult;
}

export interface RawReply {
  code: number;
  /** the acknowledgement after the confirmation code */
  data: Buffer;
}

interface Waiter {
  onPacket(packet: FingerprintPacket): void;
  fail(error: Error): void;
}

type Settle<T> = (outcome: T | Error) => void;

const slowInstructions: ReadonlySet<number> = new Set([Instruction.search, Instruction.empty]);
const passwordRequired = confirmationCodeOf('password-required');
const noFinger = confirmationCodeOf('no-finger');

const word = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const dword = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const systemClock: Clock = { now: () => Date.now() };

/**
 * Drives one AS608-family fingerprint module. Commands go one at a time (the module has a single
 * UART conversation and no sequence numbers); each settles within its timeout, whatever the line
 * does. Health is watched by a handshake whenever the reader has been quiet for
 * `healthIntervalMs`, and a lost reader is reopened on the same interval until it is back.
 *
 * After a timeout the connection is closed and reopened before the next command: a reply that
 * arrives late must never pass for the answer to a later command.
 *
 * identify() and enroll() hold the reader for their whole run (one finger, one sensor); abort
 * them through their signal to let other commands through.
 */
export class FingerprintReader {
  private readonly opener: FingerprintLinkOpener;
  private readonly address: number;
  private readonly password: number;
  private readonly commandTimeoutMs: number;
  private readonly slowCommandTimeoutMs: number;
  private readonly handshakeTimeoutMs: number;
  private readonly healthIntervalMs: number;
  private readonly pollIntervalMs: number;
  private readonly enrollAttempts: number;
  private readonly clock: Clock;
  private readonly timers: PollTimers;
  /**
   * The finger an identify (or an enrolment's last capture) used has not been seen off the glass
   * since: the next identify waits for it to lift, so a resting finger is one press, not many.
   */
  private pressInUse = false;
  /** bumped each time the caller says the finger left the glass (fingerLifted) */
  private liftsTold = 0;
  private readonly parser: PacketParser;
  private readonly listeners = new Set<(status: ReaderStatus) => void>();
  private link: FingerprintLink | undefined;
  private waiter: Waiter | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private running = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  private current: ReaderStatus;
  private parameters: SystemParameters | undefined;
  private strayPackets = 0;

  constructor(options: FingerprintReaderOptions) {
    this.opener = options.link;
    this.address = (options.address ?? defaultModuleAddress) >>> 0;
    this.password = (options.password ?? 0) >>> 0;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 1500;
    this.slowCommandTimeoutMs = options.slowCommandTimeoutMs ?? 3000;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 1000;
    this.healthIntervalMs = options.healthIntervalMs ?? 2000;
    this.pollIntervalMs = options.pollIntervalMs ?? 40;
    this.enrollAttempts = options.enrollAttempts ?? 5;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.parser = new PacketParser({ address: this.address });
    this.current = { state: 'disconnected', since: this.clock.now(), detail: 'not started' };
  }

  /** Opens the reader and starts watching it. Resolves after the first attempt, connected or not. */
  async start(): Promise<ReaderStatus> {
    if (this.stopped) throw new FingerprintLinkError('stopped', 'a stopped reader cannot be restarted');
    if (!this.started) {
      this.started = true;
      await this.run(() => this.connect()).catch(() => undefined);
      this.arm();
    }
    return this.status;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.watchdog);
    await this.dropLink(new FingerprintLinkError('stopped', 'the reader was stopped'));
    await this.queue;
  }

  get status(): ReaderStatus {
    return { ...this.current };
  }

  /** From the last successful ReadSysPara (at every connect). */
  get systemParameters(): SystemParameters | undefined {
    return this.parameters;
  }

  /** Packets that arrived when nothing was waiting for them, or in the wrong shape: line noise that happened to frame. */
  get strayPacketCount(): number {
    return this.strayPackets;
  }

  onStatus(listener: (status: ReaderStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // The instructions, one per method, named as in the module's manual.

  vfyPwd(password = this.password): Promise<void> {
    return this.run(async () => {
      await this.expectOk(Instruction.vfyPwd, dword(password));
    });
  }

  readSysPara(): Promise<SystemParameters> {
    return this.run(async () => {
      this.parameters = parametersFrom(await this.expectOk(Instruction.readSysPara));
      return this.parameters;
    });
  }

  genImg(): Promise<void> {
    return this.run(async () => {
      await this.expectOk(Instruction.genImg);
    });
  }

  img2Tz(buffer: CharBuffer): Promise<void> {
    return this.run(async () => {
      await this.expectOk(Instruction.img2Tz, [buffer]);
    });
  }

  /** Compares the character files in buffers 1 and 2. */
  match(): Promise<{ score: number }> {
    return this.run(async () => ({ score: (await this.expectOk(Instruction.match)).readUInt16BE(0) }));
  }

  search(buffer: CharBuffer, start: number, count: number): Promise<SearchResult> {
    return this.run(() => this.searchNow(buffer, start, count));
  }

  /** Merges buffers 1 and 2 into a template (left in both buffers). */
  regModel(): Promise<void> {
    return this.run(async () => {
      await this.expectOk(Instruction.regModel);
    });
  }

  store(buffer: CharBuffer, page: number): Promise<void> {
    return this.run(async () => {
      await this.expectOk(Instruction.store, [buffer, ...word(page)]);
    });
  }

  loadChar(buffer: CharBuffer, page: number): Promise<void> {
    return this.run(async () => {
      await this.expectOk(Instruction.loadChar, [buffer, ...word(page)]);
    });
  }

  /** The template (or character file) in a buffer, as the module sends it in data packets. */
  upChar(buffer: CharBuffer): Promise<Buffer> {
    return this.run(async () => {
      try {
        return await this.upload(buffer);
      } catch (error) {
        // As in exchangeChecked: a module power-cycled behind our back wants the password again.
        if (!(error instanceof FingerprintDeviceError) || error.code !== passwordRequired) throw error;
        await this.expectOk(Instruction.vfyPwd, dword(this.password));
        return this.upload(buffer);
      }
    });
  }

  /** Puts a template into a buffer; Store it to keep it. */
  downChar(buffer: CharBuffer, template: Uint8Array): Promise<void> {
    return this.run(() => this.download(buffer, template));
  }

  deleteChar(page: number, count = 1): Promise<void> {
    return this.run(async () => {
      await this.expectOk(Instruction.deleteChar, [...word(page), ...word(count)]);
    });
  }

  empty(): Promise<void> {
    return this.run(async () => {
      await this.expectOk(Instruction.empty);
    });
  }

  templateNum(): Promise<number> {
    return this.run(async () => (await this.expectOk(Instruction.templateNum)).readUInt16BE(0));
  }

  /** Occupied pages listed in one index table (256 pages each). */
  readIndexTable(indexPage: number): Promise<number[]> {
    return this.run(async () => pagesOf(indexPage, await this.expectOk(Instruction.readIndexTable, [indexPage])));
  }

  /** Every occupied page of the library. */
  occupiedPages(): Promise<number[]> {
    return this.run(async () => {
      const tables = Math.ceil((this.parameters?.librarySize ?? 256) / 256);
      const pages: number[] = [];
      for (let t = 0; t < tables; t++) pages.push(...pagesOf(t, await this.expectOk(Instruction.readIndexTable, [t])));
      return pages;
    });
  }

  /**
   * Any instruction, for diagnostics and instructions this driver does not wrap. Failure codes
   * come back as data, not as errors.
   */
  command(instruction: number, params: Uint8Array = new Uint8Array(0), options: { replyLength?: number; timeoutMs?: number } = {}): Promise<RawReply> {
    const replyLength = options.replyLength ?? (isInstruction(instruction) ? ackContentLength[instruction] : 1);
    return this.run(async () => {
      const content = await this.exchange(instruction, params, replyLength, options.timeoutMs ?? this.timeoutFor(instruction));
      return { code: content[0]!, data: content.subarray(1) };
    });
  }

  /**
   * Waits for a finger, then finds it in the library: GenImg (polled) → Img2Tz 1 → Search. Each
   * identify is for a new press: while the finger the last one used is still on the glass (GenImg
   * has not answered "no finger" since), it waits for that finger to lift first.
   */
  identify(options: IdentifyOptions = {}): Promise<SearchResult> {
    const { signal } = options;
    return this.run(async () => {
      if (this.pressInUse) await this.waitForLift(signal);
      await this.waitForFinger(signal);
      // Aborted while that poll was out: the press is left for whoever asks next.
      signal?.throwIfAborted();
      // Used from here on, whatever Img2Tz and Search make of it (a smudge is not read twice either).
      this.pressInUse = true;
      await this.expectOk(Instruction.img2Tz, [1]);
      const start = options.start ?? 0;
      return this.searchNow(1, start, options.count ?? (this.parameters?.librarySize ?? 1000) - start);
    });
  }

  /**
   * Two captures of one finger, merged and stored at `page`: GenImg → Img2Tz 1 → finger lifted →
   * GenImg → Img2Tz 2 → RegModel → Store. A poor image is retried after the finger is lifted.
   */
  enroll(page: number, options: EnrollOptions = {}): Promise<EnrollOutcome> {
    const { signal, onStep = () => undefined, duplicateCheck } = options;
    return this.run(async () => {
      const size = this.parameters?.librarySize;
      // Checked first so nobody presses twice only to hear the slot was never valid.
      if (size !== undefined && (page < 0 || page >= size)) throw new FingerprintDeviceError(confirmationCodeOf('bad-page'), Instruction.store);
      // The finger an identify just used (the admin's who opened the staff screen) is not the first press.
      if (this.pressInUse) await this.waitForLift(signal);
      for (const capture of [1, 2] as const) {
        await this.capture(capture, onStep, signal);
        onStep({ step: 'captured', capture });
        if (capture === 1) {
          onStep({ step: 'lift' });
          await this.waitForLift(signal);
        }
      }
      // The second press is still on the glass: the identify after an enrolment waits for a new one.
      this.pressInUse = true;
      onStep({ step: 'merging' });
      await this.expectOk(Instruction.regModel);
      const match = duplicateCheck ? await this.searchMerged() : undefined;
      if (match && !duplicateCheck!.allowPages.includes(match.page)) throw new FingerprintDuplicateError(match);
      onStep({ step: 'storing', page });
      await this.expectOk(Instruction.store, [1, ...word(page)]);
      onStep({ step: 'done', page });
      return match ? { page, match } : { page };
    });
  }

  /**
   * The caller knows the finger is off the glass although no poll may have seen it go (the demo's
   * simulated hand, lifted and pressed again between two identifies): the next identify does not
   * wait for a lift.
   */
  fingerLifted(): void {
    this.pressInUse = false;
    this.liftsTold++;
  }

  private async capture(capture: Capture, onStep: (step: EnrollStep) => void, signal: AbortSignal | undefined): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      onStep({ step: 'place', capture });
      try {
        await this.waitForFinger(signal);
        await this.expectOk(Instruction.img2Tz, [capture]);
        return;
      } catch (error) {
        if (!isPoorImage(error) || attempt >= this.enrollAttempts) throw error;
        onStep({ step: 'retry', capture, error });
        await this.waitForLift(signal);
      }
    }
  }

  private async waitForFinger(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const polledAt = this.clock.now();
      const code = await this.pollImage();
      if (code === 0) return;
      if (code !== noFinger) throw new FingerprintDeviceError(code, Instruction.genImg);
      await this.pause(signal, polledAt);
    }
  }

  /** Until a poll finds the glass empty, or the caller says the finger left it (fingerLifted). */
  private async waitForLift(signal: AbortSignal | undefined): Promise<void> {
    const lifts = this.liftsTold;
    for (;;) {
      signal?.throwIfAborted();
      const polledAt = this.clock.now();
      if ((await this.pollImage()) === noFinger || this.liftsTold !== lifts) return;
      await this.pause(signal, polledAt);
    }
  }

  /** One GenImg. "No finger" is the only proof that the glass is empty: then no press is in use. */
  private async pollImage(): Promise<number> {
    const [code] = await this.exchangeChecked(Instruction.genImg, []);
    if (code === noFinger) this.pressInUse = false;
    return code!;
  }

  /** Until `pollIntervalMs` after the poll that began at `polledAt`; no wait once that has passed. */
  private pause(signal: AbortSignal | undefined, polledAt: number): Promise<void> {
    const waitMs = this.pollIntervalMs - (this.clock.now() - polledAt);
    return new Promise((resolve, reject) => {
      const done = () => {
        cancel();
        signal?.removeEventListener('abort', aborted);
      };
      const aborted = () => {
        done();
        reject(signal!.reason);
      };
      const next = () => {
        done();
        resolve();
      };
      // Already due: poll again as soon as the loop has served others, not after a timer's millisecond.
      let cancel: () => void;
      if (waitMs > 0) {
        const timer = this.timers.setTimeout(next, waitMs);
        cancel = () => this.timers.clearTimeout(timer);
      } else {
        const immediate = setImmediate(next);
        cancel = () => clearImmediate(immediate);
      }
      signal?.addEventListener('abort', aborted, { once: true });
    });
  }

  /** The merged template (buffer 1) against the whole library; undefined when nothing matches. */
  private async searchMerged(): Promise<SearchResult | undefined> {
    try {
      return await this.searchNow(1, 0, this.parameters?.librarySize ?? 1000);
    } catch (error) {
      if (error instanceof FingerprintDeviceError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  private async searchNow(buffer: CharBuffer, start: number, count: number): Promise<SearchResult> {
    const data = await this.expectOk(Instruction.search, [buffer, ...word(start), ...word(count)]);
    return { page: data.readUInt16BE(0), score: data.readUInt16BE(2) };
  }

  private async upload(buffer: CharBuffer): Promise<Buffer> {
    const link = await this.liveLink();
    const chunks: Buffer[] = [];
    let acknowledged = false;
    const received = this.expect<Buffer>('upChar', this.commandTimeoutMs, (packet, settle) => {
      if (!acknowledged) {
        if (packet.pid !== PacketId.ack || packet.content.length !== 1) return this.stray();
        if (packet.content[0] !== 0) return settle(new FingerprintDeviceError(packet.content[0]!, Instruction.upChar));
        acknowledged = true;
        return;
      }
      if (packet.pid === PacketId.data || packet.pid === PacketId.lastData) {
        chunks.push(packet.content);
        if (packet.pid === PacketId.lastData) settle(Buffer.concat(chunks));
        else if (chunks.length > 64) settle(new FingerprintLinkError('protocol', 'upChar: more data packets than any template has'));
        return;
      }
      this.stray();
    });
    this.send(link, commandPacket(this.address, Instruction.upChar, Uint8Array.of(buffer)));
    return this.awaitReply(received);
  }

  private async download(buffer: CharBuffer, template: Uint8Array): Promise<void> {
    if (template.length === 0) throw new RangeError('downChar: empty template');
    const packetSize = this.parameters?.packetSize ?? 128;
    await this.expectOk(Instruction.downChar, [buffer]);
    const packets: Buffer[] = [];
    for (let offset = 0; offset < template.length; offset += packetSize) {
      const last = offset + packetSize >= template.length;
      packets.push(encodePacket({ address: this.address, pid: last ? PacketId.lastData : PacketId.data, content: template.subarray(offset, offset + packetSize) }));
    }
    const link = await this.liveLink();
    // The module does not acknowledge data packets; the Store that follows reports the outcome.
    // A write to a vanished port may never call back, hence the timer.
    const sent = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new FingerprintLinkError('timeout', `downChar: data not sent within ${this.commandTimeoutMs} ms`)), this.commandTimeoutMs);
      link.stream.write(Buffer.concat(packets), (error) => {
        clearTimeout(timer);
        if (!error) return resolve();
        this.lose(link, error);
        reject(new FingerprintLinkError('disconnected', error.message));
      });
    });
    await this.awaitReply(sent);
  }

  /** Sends an instruction, expects confirmation code 0, returns what follows it. */
  private async expectOk(instruction: number, params: ArrayLike<number> = []): Promise<Buffer> {
    const content = await this.exchangeChecked(instruction, params);
    if (content[0] !== 0) throw new FingerprintDeviceError(content[0]!, instruction);
    return content.subarray(1);
  }

  /**
   * An exchange that survives a module power-cycled behind our back: it answers 0x21 (password
   * not verified) and the instruction is repeated once after VfyPwd.
   */
  private async exchangeChecked(instruction: number, params: ArrayLike<number>): Promise<Buffer> {
    const replyLength = isInstruction(instruction) ? ackContentLength[instruction] : 1;
    const timeoutMs = this.timeoutFor(instruction);
    const first = await this.exchange(instruction, Uint8Array.from(params), replyLength, timeoutMs);
    if (first[0] !== passwordRequired || instruction === Instruction.vfyPwd) return first;
    const verified = await this.exchange(Instruction.vfyPwd, Uint8Array.from(dword(this.password)), 1, this.handshakeTimeoutMs);
    if (verified[0] !== 0) throw new FingerprintDeviceError(verified[0]!, Instruction.vfyPwd);
    return this.exchange(instruction, Uint8Array.from(params), replyLength, timeoutMs);
  }

  private async exchange(instruction: number, params: Uint8Array, replyLength: number, timeoutMs: number): Promise<Buffer> {
    const link = await this.liveLink();
    return this.awaitReply(this.transact(link, instruction, params, ordinaryReply(replyLength), timeoutMs));
  }

  /**
   * One command and its acknowledgement on an open stream, without any recovery. Packets the
   * acceptor does not recognise as the answer are counted as strays and waited past.
   */
  private transact(link: FingerprintLink, instruction: number, params: Uint8Array, accepts: (content: Buffer) => boolean, timeoutMs: number): Promise<Buffer> {
    const name = instructionNames[instruction] ?? `instruction 0x${instruction.toString(16)}`;
    const reply = this.expect<Buffer>(name, timeoutMs, (packet, settle) => {
      if (packet.pid === PacketId.ack && accepts(packet.content)) settle(packet.content);
      else this.stray();
    });
    this.send(link, commandPacket(this.address, instruction, params));
    return reply;
  }

  /** A timeout means the line can no longer be trusted: reopen it before anything else is said. */
  private async awaitReply<T>(reply: Promise<T>): Promise<T> {
    try {
      const result = await reply;
      this.arm();
      return result;
    } catch (error) {
      if (error instanceof FingerprintLinkError && error.kind === 'timeout') {
        await this.dropLink(error);
        this.arm(0);
      }
      throw error;
    }
  }

  private expect<T>(what: string, timeoutMs: number, onPacket: (packet: FingerprintPacket, settle: Settle<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const settle: Settle<T> = (outcome) => {
        if (this.waiter !== waiter) return;
        this.waiter = undefined;
        clearTimeout(timer);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const waiter: Waiter = { onPacket: (packet) => onPacket(packet, settle), fail: settle };
      const timer = setTimeout(() => settle(new FingerprintLinkError('timeout', `${what}: no reply within ${timeoutMs} ms`)), timeoutMs);
      this.waiter = waiter;
    });
  }

  private send(link: FingerprintLink, bytes: Buffer): void {
    link.stream.write(bytes, (error) => {
      if (error) this.lose(link, error);
    });
  }

  private stray(): void {
    this.strayPackets += 1;
  }

  private timeoutFor(instruction: number): number {
    return slowInstructions.has(instruction) ? this.slowCommandTimeoutMs : this.commandTimeoutMs;
  }

  /** The open link, reopened first if a timeout closed it while the reader counted as connected. */
  private async liveLink(): Promise<FingerprintLink> {
    if (this.stopped) throw new FingerprintLinkError('stopped', 'the reader was stopped');
    if (!this.link && this.current.state === 'connected') await this.connect();
    if (!this.link) throw new FingerprintLinkError('disconnected', this.current.detail ?? 'not connected');
    return this.link;
  }

  private async connect(): Promise<void> {
    await this.dropLink(new FingerprintLinkError('disconnected', 'reconnecting'));
    if (this.stopped) return;
    let link: FingerprintLink;
    try {
      link = await this.opener();
    } catch (error) {
      this.report('disconnected', error);
      return;
    }
    if (this.stopped) {
      await link.close();
      return;
    }
    this.attach(link);
    try {
      await this.handshake(link);
      this.report('connected');
    } catch (error) {
      await this.dropLink(error instanceof Error ? error : new Error(String(error)));
      this.report('disconnected', error);
    }
  }

  /**
   * ReadSysPara goes first because its 17-byte answer has a shape no other reply has: the module
   * answers in order, so once it arrives every late reply to an abandoned command is behind us.
   * VfyPwd then checks the configured password even when the module's session is still open.
   */
  private async handshake(link: FingerprintLink): Promise<void> {
    const readParameters = () =>
      this.transact(link, Instruction.readSysPara, new Uint8Array(0), (c) => c.length === 17 || (c.length === 1 && c[0] === passwordRequired), this.handshakeTimeoutMs);
    let parameters = await readParameters();
    const verified = await this.transact(link, Instruction.vfyPwd, Uint8Array.from(dword(this.password)), (c) => c.length === 1, this.handshakeTimeoutMs);
    if (verified[0] !== 0) throw new FingerprintDeviceError(verified[0]!, Instruction.vfyPwd);
    if (parameters[0] !== 0) parameters = await readParameters();
    if (parameters[0] !== 0) throw new FingerprintDeviceError(parameters[0]!, Instruction.readSysPara);
    this.parameters = parametersFrom(parameters.subarray(1));
  }

  /** The watchdog's probe: one VfyPwd; if that fails, a full reconnect decides the status. */
  private async probe(): Promise<void> {
    const link = this.link;
    if (link) {
      try {
        const verified = await this.transact(link, Instruction.vfyPwd, Uint8Array.from(dword(this.password)), (c) => c.length === 1, this.handshakeTimeoutMs);
        if (verified[0] === 0) return;
      } catch {
        // falls through to the reconnect, which reports what is wrong
      }
    }
    await this.connect();
  }

  private attach(link: FingerprintLink): void {
    this.link = link;
    this.parser.reset();
    const { stream } = link;
    stream.on('data', (chunk: Buffer) => {
      if (this.link !== link) return;
      for (const packet of this.parser.push(chunk)) {
        if (this.waiter) this.waiter.onPacket(packet);
        else this.stray();
      }
    });
    stream.on('error', (error: Error) => this.lose(link, error));
    stream.on('close', () => this.lose(link, new Error('the port was closed')));
    stream.on('end', () => this.lose(link, new Error('the port reached end of stream')));
  }

  /** The line went away under us (unplugged adapter, dead PTY). */
  private lose(link: FingerprintLink, error: Error): void {
    if (this.link !== link) return;
    this.link = undefined;
    this.parser.reset();
    this.waiter?.fail(new FingerprintLinkError('disconnected', error.message));
    void link.close().catch(() => undefined);
    this.report('disconnected', new FingerprintLinkError('disconnected', error.message));
    this.arm();
  }

  private async dropLink(reason: Error): Promise<void> {
    const link = this.link;
    this.link = undefined;
    this.parser.reset();
    this.waiter?.fail(reason);
    await link?.close().catch(() => undefined);
  }

  /** Listeners hear of changes of state; a new reason for the same state only updates `status`. */
  private report(state: ReaderState, cause?: unknown): void {
    const detail = cause === undefined ? undefined : cause instanceof Error ? cause.message : String(cause);
    const changed = state !== this.current.state;
    if (!changed && detail === this.current.detail) return;
    const text = cause instanceof FingerprintLinkError || cause instanceof FingerprintDeviceError ? cause.text : undefined;
    this.current = {
      state,
      since: changed ? this.clock.now() : this.current.since,
      ...(detail !== undefined && { detail }),
      ...(text && { text }),
      ...(state === 'connected' && this.parameters && { parameters: this.parameters }),
    };
    if (!changed) return;
    const status = this.status;
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch {
        // a listener's bug must not take the driver down
      }
    }
  }

  /** (Re)starts the quiet-time watchdog: every reply proves the reader is there. */
  private arm(delayMs = this.healthIntervalMs): void {
    if (!this.started || this.stopped) return;
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.tick(), delayMs);
  }

  private tick(): void {
    if (this.stopped) return;
    // A running operation finds out about the line by itself, within its own timeouts.
    if (this.running > 0) return this.arm();
    this.run(() => (this.link ? this.probe() : this.connect()))
      .catch(() => undefined)
      .finally(() => this.arm());
  }

  /** Operations run one after another, so two commands' bytes and replies can never interleave. */
  private run<T>(work: () => Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(new FingerprintLinkError('stopped', 'the reader was stopped'));
    this.running += 1;
    const guarded = async () => {
      try {
        return await work();
      } finally {
        this.running -= 1;
      }
    };
    const result = this.queue.then(guarded, guarded);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** Parameters that cannot be (a packet size code beyond 3) mean a garbled reply, not a bug. */
function parametersFrom(data: Buffer): SystemParameters {
  try {
    return decodeSystemParameters(data);
  } catch (error) {
    throw new FingerprintLinkError('protocol', `ReadSysPara: ${(error as Error).message}`);
  }
}

/** The instruction's full acknowledgement, or a bare failure code (how some modules refuse). */
const ordinaryReply = (length: number) => (content: Buffer) => content.length === length || (content.length === 1 && content[0] !== 0);

function pagesOf(indexPage: number, bitmap: Buffer): number[] {
  const pages: number[] = [];
  for (let byte = 0; byte < bitmap.length; byte++) {
    for (let bit = 0; bit < 8; bit++) if ((bitmap[byte]! >> bit) & 1) pages.push(indexPage * 256 + byte * 8 + bit);
  }
  return pages;
}
