import type { Duplex } from 'node:stream';
import { serialLine } from '../../serial-line.ts';
import { confirmationCodeOf } from '../../fingerprint/confirmation-codes.ts';
import { FingerprintLinkError } from '../../fingerprint/errors.ts';
import type { FingerprintLink } from '../../fingerprint/link.ts';
import { Instruction, ackContentLength, isInstruction, paramLength, templateLength } from '../../fingerprint/instructions.ts';
import type { CharBuffer, PacketSize } from '../../fingerprint/instructions.ts';
import { PacketId, PacketParser, defaultModuleAddress, encodePacket } from '../../fingerprint/packet.ts';
import type { FingerprintPacket } from '../../fingerprint/packet.ts';
import { encodeSystemParameters } from '../../fingerprint/system-parameters.ts';
import { inMemoryCable } from './cable.ts';
import type { CableTamper } from './cable.ts';
import { matchScore, matchThreshold, pressOf, syntheticTemplate } from './fingers.ts';

/** What the sensor makes of the finger on it. */
export type ImageQuality = 'good' | 'image-fail' | 'disorderly' | 'few-features';

/** How long the module is busy with each instruction at time scale 1. */
export interface ModuleTimings {
  /** GenImg with a finger on the sensor (the issue's ~200 ms capture) */
  captureMs: number;
  /** GenImg finding no finger */
  noFingerMs: number;
  /** Img2Tz */
  extractMs: number;
  /** Match and RegModel */
  compareMs: number;
  /** Search, per 1,000 stored templates in the searched range (the issue's ~300 ms) */
  searchMsPerThousand: number;
  /** Store, LoadChar, DeleteChar */
  flashMs: number;
  /** Empty */
  eraseMs: number;
}

/**
 * Capture and search are the figures the issue gives for real modules; the others are small
 * guesses of the same order (datasheets only bound them), and the serial line's own time at the
 * module's baud rate is added to every reply.
 */
export const realModuleTimings: ModuleTimings = {
  captureMs: 200,
  noFingerMs: 60,
  extractMs: 50,
  compareMs: 30,
  searchMsPerThousand: 300,
  flashMs: 30,
  eraseMs: 300,
};

export interface SimulatedFingerprintModuleOptions {
  /** library slots: 1000 (R307, ZFM-20) or 300 (small AS608 boards) */
  capacity?: number;
  address?: number;
  password?: number;
  packetSize?: PacketSize;
  baudRate?: number;
  securityLevel?: number;
  /** 0 answers at once (tests); 1 at real-module speed (bench, demo) */
  timeScale?: number;
  timings?: Partial<ModuleTimings>;
  /** names this module's strangers, so two modules never invent the same unknown finger */
  seed?: string;
}

interface Attachment {
  parser: PacketParser;
  send(bytes: Buffer): void;
  close(): Promise<void>;
  /** a DownChar in progress: where the data goes and what arrived so far */
  download?: { buffer: CharBuffer; chunks: Buffer[] };
}

interface Outcome {
  code: number;
  data?: number[] | Buffer;
  /** data packets sent after the acknowledgement (UpChar) */
  then?: Buffer;
  busyMs: number;
  /** refused before execution: the module answers with the bare code */
  bare?: boolean;
}

const code = {
  ok: 0x00,
  packetError: confirmationCodeOf('packet-error'),
  noFinger: confirmationCodeOf('no-finger'),
  imageFailed: confirmationCodeOf('image-failed'),
  disorderly: confirmationCodeOf('image-disorderly'),
  fewFeatures: confirmationCodeOf('too-few-features'),
  noMatch: confirmationCodeOf('no-match'),
  notFound: confirmationCodeOf('not-found'),
  mergeFailed: confirmationCodeOf('merge-failed'),
  badPage: confirmationCodeOf('bad-page'),
  readFailed: confirmationCodeOf('read-failed'),
  deleteFailed: confirmationCodeOf('delete-failed'),
  wrongPassword: confirmationCodeOf('wrong-password'),
  noImage: confirmationCodeOf('no-image'),
  passwordRequired: confirmationCodeOf('password-required'),
} as const;

/**
 * An AS608-family fingerprint module in software, faithful at the byte level: it frames packets
 * with the driver's own parser (so it ignores packets for other addresses and corrupted ones, as
 * the module does), keeps a flash library of template pages, two volatile character buffers and
 * an image buffer, requires the password when one is set, and sends templates in data packets of
 * its configured size.
 *
 * Fingers are simulated by name (see fingers.ts). Faults: silence (a wedged module), unplugging,
 * garbage or corruption on the line, replies split byte by byte, and any confirmation code forced
 * on the next instance of an instruction.
 *
 * Reachable in process (`connect()`, an in-memory cable; what demo mode uses) and on one end of
 * a socat PTY pair (`attachSerialPort`), as the driver would meet a real module on /dev/ttyUSB0.
 */
export class SimulatedFingerprintModule {
  readonly capacity: number;
  readonly address: number;
  readonly packetSize: PacketSize;
  readonly baudRate: number;
  private readonly password: number;
  private readonly securityLevel: number;
  private timeScale: number;
  private readonly timings: ModuleTimings;
  private readonly seed: string;
  private readonly library = new Map<number, Buffer>();
  private readonly buffers: Record<CharBuffer, Buffer | undefined> = { 1: undefined, 2: undefined };
  private image: { file: Buffer; quality: ImageQuality } | undefined;
  private finger: { template: Buffer; quality: ImageQuality } | undefined;
  private verified = false;
  private lastSearchMatched = false;
  private presses = 0;
  private strangers = 0;
  private silent = false;
  private unplugged = false;
  private splitReplies = false;
  private corruptCount = 0;
  private readonly lateReplies: number[] = [];
  private readonly garbage: Buffer[] = [];
  private readonly forced = new Map<number, number[]>();
  private readonly attachments = new Set<Attachment>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private work: Promise<void> = Promise.resolve();
  private busyTotalMs = 0;
  /** [arrival, reply] of the latest commands on performance.now()'s clock, for busyMsBetween */
  private readonly busySpans: [number, number][] = [];
  private readonly log: number[] = [];

  constructor(options: SimulatedFingerprintModuleOptions = {}) {
    this.capacity = options.capacity ?? 1000;
    this.address = (options.address ?? defaultModuleAddress) >>> 0;
    this.password = (options.password ?? 0) >>> 0;
    this.packetSize = options.packetSize ?? 128;
    this.baudRate = options.baudRate ?? 57600;
    this.securityLevel = options.securityLevel ?? 3;
    this.timeScale = options.timeScale ?? 0;
    this.timings = { ...realModuleTimings, ...options.timings };
    this.seed = options.seed ?? Math.random().toString(36).slice(2);
  }

  // The person at the sensor.

  /** `unknown` is a finger never seen before (a new one at every placement); `poor` gives too few features. */
  placeFinger(finger: string, quality: ImageQuality = finger === 'poor' ? 'few-features' : 'good'): void {
    const name = finger === 'unknown' ? `${this.seed}/stranger/${this.strangers++}` : finger;
    this.finger = { template: syntheticTemplate(name), quality };
  }

  liftFinger(): void {
    this.finger = undefined;
  }

  get fingerOnSensor(): boolean {
    return this.finger !== undefined;
  }

  // Faults.

  /** The module keeps receiving but never answers, as a wedged module or a wrong baud rate looks. */
  setSilent(silent: boolean): void {
    this.silent = silent;
  }

  /** Pulls the cable: every connection closes and new ones are refused until plugIn(). */
  unplug(): void {
    this.unplugged = true;
    for (const attachment of [...this.attachments]) void attachment.close();
  }

  /** Power comes back with the cable: buffers and the password session are gone, the library stays. */
  plugIn(): void {
    this.unplugged = false;
    this.powerOn();
  }

  /** The next `times` instances of `instruction` fail with `confirmationCode` without doing anything. */
  failNext(instruction: Instruction, confirmationCode: number, times = 1): void {
    const queue = this.forced.get(instruction) ?? [];
    for (let i = 0; i < times; i++) queue.push(confirmationCode);
    this.forced.set(instruction, queue);
  }

  /** Line noise written just before each of the next `count` replies. */
  injectBeforeReplies(bytes: Uint8Array, count = 1): void {
    for (let i = 0; i < count; i++) this.garbage.push(Buffer.from(bytes));
  }

  /** The next `count` replies go out with a wrong checksum. */
  corruptReplies(count = 1): void {
    this.corruptCount += count;
  }

  /** The next `count` replies come `ms` late (real milliseconds, whatever the time scale): a reply the driver gave up on. */
  delayReplies(ms: number, count = 1): void {
    for (let i = 0; i < count; i++) this.lateReplies.push(ms);
  }

  /** Replies written one byte per write, so the driver sees them in many chunks. */
  setSplitReplies(split: boolean): void {
    this.splitReplies = split;
  }

  /** Bytes sent unasked on every connection now (noise between packets, a power-on byte). */
  sendRaw(bytes: Uint8Array): void {
    for (const attachment of this.attachments) attachment.send(Buffer.from(bytes));
  }

  // Inspection and provisioning.

  /**
   * Time spent between receiving commands and sending their replies, measured, since
   * construction: the simulated work and line time, plus the simulator's own computing.
   */
  get deviceTimeMs(): number {
    return this.busyTotalMs;
  }

  /**
   * Device time within [from, to] (performance.now() of this process): how much of a span the
   * module was busy, counting only the part of a command that fell inside it. Covers the latest
   * 256 commands.
   */
  busyMsBetween(from: number, to: number): number {
    let total = 0;
    for (const [start, end] of this.busySpans) total += Math.max(0, Math.min(end, to) - Math.max(start, from));
    return total;
  }

  /** When the module last finished a reply at or before `at` (performance.now() of this process), or null. */
  lastReplyBefore(at: number): number | null {
    let latest: number | null = null;
    for (const [, end] of this.busySpans) if (end <= at && (latest === null || end > latest)) latest = end;
    return latest;
  }

  /** 0 answers at once, 1 at real-module speed: a bench provisions fast, then measures at 1. */
  setTimeScale(scale: number): void {
    if (!(scale >= 0)) throw new RangeError(`time scale must be 0 or more, not ${scale}`);
    this.timeScale = scale;
  }

  get passwordVerified(): boolean {
    return this.verified;
  }

  /** Instruction codes received, oldest first. */
  receivedInstructions(): number[] {
    return [...this.log];
  }

  pages(): number[] {
    return [...this.library.keys()].sort((a, b) => a - b);
  }

  templateAt(page: number): Buffer | undefined {
    const template = this.library.get(page);
    return template && Buffer.from(template);
  }

  /** Writes a template straight into flash, as a factory-provisioned module would hold it. */
  storeTemplate(page: number, template: Uint8Array): void {
    if (!Number.isInteger(page) || page < 0 || page >= this.capacity) throw new RangeError(`page ${page} outside 0–${this.capacity - 1}`);
    this.library.set(page, Buffer.from(template));
  }

  charBuffer(buffer: CharBuffer): Buffer | undefined {
    const file = this.buffers[buffer];
    return file && Buffer.from(file);
  }

  // Connections.

  /** An in-process connection; usable as a reader's link: `link: () => module.connect()`. */
  connect(options: { tamper?: CableTamper } = {}): Promise<FingerprintLink> {
    if (this.unplugged) return Promise.reject(new FingerprintLinkError('unreachable', 'the simulated module is unplugged'));
    const { hostEnd, moduleEnd } = inMemoryCable(options.tamper);
    this.attachStream(moduleEnd);
    return Promise.resolve({ stream: hostEnd, close: () => destroyed(hostEnd) });
  }

  /**
   * Serves a byte stream until it closes. `release` frees the device behind it (a SerialPort
   * must be closed, not merely destroyed). Returns a detach function.
   */
  attachStream(stream: Duplex, release: () => Promise<void> = () => destroyed(stream)): () => void {
    const attachment: Attachment = {
      parser: new PacketParser({ address: this.address }),
      send: (bytes) => {
        if (!stream.destroyed && stream.writable) stream.write(bytes);
      },
      close: () => {
        detach();
        return release();
      },
    };
    const onData = (chunk: Buffer) => {
      for (const packet of attachment.parser.push(chunk)) this.enqueue(attachment, packet);
    };
    // A vanished device is the test's business, not a crash of the module.
    const onError = () => undefined;
    const detach = () => {
      stream.off('data', onData);
      stream.off('close', detach);
      this.attachments.delete(attachment);
    };
    stream.on('data', onData);
    stream.on('error', onError);
    stream.on('close', detach);
    this.attachments.add(attachment);
    return detach;
  }

  /** Opens a serial device (e.g. one end of a socat PTY pair) and serves it until it closes or stop(). */
  async attachSerialPort(path: string, baudRate = this.baudRate): Promise<void> {
    const port = serialLine({ path, baudRate });
    port.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    this.attachStream(port, () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
  }

  /** Closes every connection and cancels pending replies. */
  async stop(): Promise<void> {
    const closing = [...this.attachments].map((a) => a.close());
    // Replies still being "worked on" end now; their connections are gone, so nothing is sent.
    for (const [timer, finish] of this.timers) {
      clearTimeout(timer);
      finish();
    }
    this.timers.clear();
    await Promise.all(closing);
  }

  private powerOn(): void {
    this.verified = false;
    this.buffers[1] = undefined;
    this.buffers[2] = undefined;
    this.image = undefined;
    this.lastSearchMatched = false;
    for (const attachment of this.attachments) delete attachment.download;
  }

  /** One instruction at a time, in arrival order, as the module's single UART loop does. */
  private enqueue(attachment: Attachment, packet: FingerprintPacket): void {
    this.work = this.work.then(() => this.serve(attachment, packet)).catch(() => undefined);
  }

  private async serve(attachment: Attachment, packet: FingerprintPacket): Promise<void> {
    if (this.silent || this.unplugged || !this.attachments.has(attachment)) return;
    if (packet.pid === PacketId.data || packet.pid === PacketId.lastData) return this.receiveData(attachment, packet);
    if (packet.pid !== PacketId.command || packet.content.length === 0) return;
    delete attachment.download;
    const instruction = packet.content[0]!;
    this.log.push(instruction);
    const received = performance.now();
    const outcome = this.execute(instruction, packet.content.subarray(1), attachment);
    const replyLength = outcome.bare || !isInstruction(instruction) ? 1 : ackContentLength[instruction];
    const content = Buffer.alloc(replyLength);
    content[0] = outcome.code;
    if (outcome.code === code.ok && outcome.data) Buffer.from(outcome.data).copy(content, 1);
    const ack = encodePacket({ address: this.address, pid: PacketId.ack, content });
    const reply = outcome.code === code.ok && outcome.then ? Buffer.concat([ack, outcome.then]) : ack;
    await this.busy(outcome.busyMs + this.lineMs(packet.content.length + 11 + reply.length), this.lateReplies.shift() ?? 0);
    // Device time runs from the command's arrival to its reply, the simulator's own work included.
    const replied = performance.now();
    this.busyTotalMs += replied - received;
    this.busySpans.push([received, replied]);
    if (this.busySpans.length > 256) this.busySpans.shift();
    if (this.attachments.has(attachment)) this.transmit(attachment, reply, ack.length);
  }

  private execute(instruction: number, params: Buffer, attachment: Attachment): Outcome {
    if (!isInstruction(instruction) || params.length !== paramLength[instruction]) return { code: code.packetError, busyMs: 0, bare: true };
    if (this.password !== 0 && !this.verified && instruction !== Instruction.vfyPwd) return { code: code.passwordRequired, busyMs: 0, bare: true };
    const forced = this.forced.get(instruction)?.shift();
    if (forced !== undefined) return { code: forced, busyMs: 0 };
    const t = this.timings;
    const charBuffer = (at: number): CharBuffer | undefined => (params[at] === 1 || params[at] === 2 ? (params[at] as CharBuffer) : undefined);
    switch (instruction) {
      case Instruction.vfyPwd:
        this.verified = params.readUInt32BE(0) === this.password;
        return { code: this.verified ? code.ok : code.wrongPassword, busyMs: 0 };
      case Instruction.readSysPara:
        return { code: code.ok, data: this.systemParameters(), busyMs: 0 };
      case Instruction.genImg: {
        const finger = this.finger;
        if (!finger) return { code: code.noFinger, busyMs: t.noFingerMs };
        if (finger.quality === 'image-fail') return { code: code.imageFailed, busyMs: t.captureMs };
        this.image = { file: pressOf(finger.template, this.presses++), quality: finger.quality };
        return { code: code.ok, busyMs: t.captureMs };
      }
      case Instruction.img2Tz: {
        const buffer = charBuffer(0);
        if (!buffer) return { code: code.packetError, busyMs: 0 };
        if (!this.image) return { code: code.noImage, busyMs: t.extractMs };
        if (this.image.quality === 'disorderly') return { code: code.disorderly, busyMs: t.extractMs };
        if (this.image.quality === 'few-features') return { code: code.fewFeatures, busyMs: t.extractMs };
        this.buffers[buffer] = Buffer.from(this.image.file);
        return { code: code.ok, busyMs: t.extractMs };
      }
      case Instruction.match: {
        const score = this.buffers[1] && this.buffers[2] ? matchScore(this.buffers[1], this.buffers[2]) : 0;
        this.lastSearchMatched = score >= matchThreshold;
        return this.lastSearchMatched ? { code: code.ok, data: word(score), busyMs: t.compareMs } : { code: code.noMatch, busyMs: t.compareMs };
      }
      case Instruction.search:
        return this.search(charBuffer(0), params.readUInt16BE(1), params.readUInt16BE(3));
      case Instruction.regModel: {
        const [one, two] = [this.buffers[1], this.buffers[2]];
        if (!one || !two || matchScore(one, two) < matchThreshold) return { code: code.mergeFailed, busyMs: t.compareMs };
        // The merged template stays in both buffers; where the presses differ the first one wins.
        this.buffers[2] = Buffer.from(one);
        return { code: code.ok, busyMs: t.compareMs };
      }
      case Instruction.store: {
        const buffer = charBuffer(0);
        const page = params.readUInt16BE(1);
        if (!buffer) return { code: code.packetError, busyMs: 0 };
        if (page >= this.capacity) return { code: code.badPage, busyMs: 0 };
        this.library.set(page, Buffer.from(this.buffers[buffer] ?? Buffer.alloc(templateLength)));
        return { code: code.ok, busyMs: t.flashMs };
      }
      case Instruction.loadChar: {
        const buffer = charBuffer(0);
        const page = params.readUInt16BE(1);
        if (!buffer) return { code: code.packetError, busyMs: 0 };
        if (page >= this.capacity) return { code: code.badPage, busyMs: 0 };
        const template = this.library.get(page);
        if (!template) return { code: code.readFailed, busyMs: t.flashMs };
        this.buffers[buffer] = Buffer.from(template);
        return { code: code.ok, busyMs: t.flashMs };
      }
      case Instruction.upChar: {
        const buffer = charBuffer(0);
        if (!buffer) return { code: code.packetError, busyMs: 0 };
        return { code: code.ok, then: this.dataPackets(this.buffers[buffer] ?? Buffer.alloc(templateLength)), busyMs: 0 };
      }
      case Instruction.downChar: {
        const buffer = charBuffer(0);
        if (!buffer) return { code: code.packetError, busyMs: 0 };
        attachment.download = { buffer, chunks: [] };
        return { code: code.ok, busyMs: 0 };
      }
      case Instruction.deleteChar: {
        const page = params.readUInt16BE(0);
        const count = params.readUInt16BE(2);
        if (count === 0 || page + count > this.capacity) return { code: code.deleteFailed, busyMs: 0 };
        for (let p = page; p < page + count; p++) this.library.delete(p);
        return { code: code.ok, busyMs: t.flashMs };
      }
      case Instruction.empty:
        this.library.clear();
        return { code: code.ok, busyMs: t.eraseMs };
      case Instruction.templateNum:
        return { code: code.ok, data: word(this.library.size), busyMs: 0 };
      case Instruction.readIndexTable: {
        const table = params[0]!;
        if (table > 3) return { code: code.packetError, busyMs: 0 };
        const bitmap = Buffer.alloc(32);
        for (const page of this.library.keys()) {
          const offset = page - table * 256;
          if (offset >= 0 && offset < 256) bitmap[offset >> 3] = bitmap[offset >> 3]! | (1 << (offset & 7));
        }
        return { code: code.ok, data: bitmap, busyMs: 0 };
      }
    }
  }

  private search(buffer: CharBuffer | undefined, start: number, count: number): Outcome {
    if (!buffer) return { code: code.packetError, busyMs: 0 };
    const file = this.buffers[buffer];
    const end = Math.min(this.capacity, start + count);
    let scanned = 0;
    let found: { page: number; score: number } | undefined;
    // The whole range is scanned whatever it holds: the module's time depends on the library, not on luck.
    for (const [page, template] of this.library) {
      if (page < start || page >= end) continue;
      scanned += 1;
      const score = file ? matchScore(file, template) : 0;
      if (score >= matchThreshold && (!found || page < found.page)) found = { page, score };
    }
    this.lastSearchMatched = found !== undefined;
    const busyMs = (this.timings.searchMsPerThousand * scanned) / 1000;
    return found ? { code: code.ok, data: [...word(found.page), ...word(found.score)], busyMs } : { code: code.notFound, busyMs };
  }

  private receiveData(attachment: Attachment, packet: FingerprintPacket): void {
    const download = attachment.download;
    if (!download) return;
    download.chunks.push(packet.content);
    if (packet.pid !== PacketId.lastData) return;
    delete attachment.download;
    this.buffers[download.buffer] = Buffer.concat(download.chunks);
  }

  private systemParameters(): Buffer {
    const status = (this.lastSearchMatched ? 0x02 : 0) | (this.verified ? 0x04 : 0) | (this.image ? 0x08 : 0);
    return encodeSystemParameters({
      status,
      systemId: 0x0009,
      librarySize: this.capacity,
      securityLevel: this.securityLevel,
      address: this.address,
      packetSize: this.packetSize,
      baudRate: this.baudRate,
    });
  }

  private dataPackets(file: Buffer): Buffer {
    const packets: Buffer[] = [];
    for (let offset = 0; offset < file.length; offset += this.packetSize) {
      const last = offset + this.packetSize >= file.length;
      packets.push(encodePacket({ address: this.address, pid: last ? PacketId.lastData : PacketId.data, content: file.subarray(offset, offset + this.packetSize) }));
    }
    return Buffer.concat(packets);
  }

  /** Writes a reply through the configured line faults. */
  private transmit(attachment: Attachment, reply: Buffer, ackLength: number): void {
    let bytes = reply;
    if (this.corruptCount > 0) {
      this.corruptCount -= 1;
      bytes = Buffer.from(reply);
      bytes[ackLength - 1] = bytes[ackLength - 1]! ^ 0x5a;
    }
    const noise = this.garbage.shift();
    if (noise) bytes = Buffer.concat([noise, bytes]);
    if (!this.splitReplies) return attachment.send(bytes);
    for (const byte of bytes) attachment.send(Buffer.of(byte));
  }

  /** Time on the wire at the module's baud rate: 10 bits a byte (8N1). */
  private lineMs(bytes: number): number {
    return (bytes * 10 * 1000) / this.baudRate;
  }

  private async busy(ms: number, lateMs: number): Promise<void> {
    const scaled = ms * this.timeScale + lateMs;
    if (scaled <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, scaled);
      this.timers.set(timer, resolve);
    });
  }
}

const word = (n: number) => [(n >> 8) & 0xff, n & 0xff];

function destroyed(stream: Duplex): Promise<void> {
  if (stream.closed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('close', () => resolve());
    stream.destroy();
  });
}
