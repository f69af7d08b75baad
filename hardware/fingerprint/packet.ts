/**
 * The AS608/R30x packet: `EF 01 | address(4) | PID | LEN(2) | content | SUM(2)`, big-endian,
 * LEN = content + 2, SUM = (PID + both LEN bytes + content) & 0xFFFF.
 */
export const PacketId = {
  command: 0x01,
  data: 0x02,
  ack: 0x07,
  lastData: 0x08,
} as const;
export type PacketId = (typeof PacketId)[keyof typeof PacketId];

const packetIds: ReadonlySet<number> = new Set(Object.values(PacketId));

/** What every module answers to out of the box. */
export const defaultModuleAddress = 0xffffffff;

/** The largest data packet a module can be configured for (ReadSysPara packet size code 3). */
export const maxContentLength = 256;

const headerLength = 9;
const startCode = [0xef, 0x01] as const;

export interface FingerprintPacket {
  address: number;
  pid: PacketId;
  content: Buffer;
}

export function checksumOf(pid: number, lengthField: number, content: Uint8Array): number {
  let sum = pid + (lengthField >> 8) + (lengthField & 0xff);
  for (const byte of content) sum += byte;
  return sum & 0xffff;
}

export function encodePacket(packet: { address?: number; pid: PacketId; content: Uint8Array }): Buffer {
  const { pid, content } = packet;
  if (content.length > maxContentLength) throw new RangeError(`packet content of ${content.length} bytes exceeds ${maxContentLength}`);
  const lengthField = content.length + 2;
  const bytes = Buffer.alloc(headerLength + content.length + 2);
  bytes[0] = startCode[0];
  bytes[1] = startCode[1];
  bytes.writeUInt32BE((packet.address ?? defaultModuleAddress) >>> 0, 2);
  bytes[6] = pid;
  bytes.writeUInt16BE(lengthField, 7);
  bytes.set(content, headerLength);
  bytes.writeUInt16BE(checksumOf(pid, lengthField, content), headerLength + content.length);
  return bytes;
}

export function commandPacket(address: number, instruction: number, params: Uint8Array = new Uint8Array(0)): Buffer {
  return encodePacket({ address, pid: PacketId.command, content: Buffer.concat([Buffer.from([instruction]), params]) });
}

export interface PacketParserOptions {
  /** only packets to or from this address are accepted; others count as line noise */
  address?: number;
}

export interface PacketParserStats {
  packets: number;
  /** bytes thrown away while looking for a packet */
  skippedBytes: number;
  badChecksums: number;
  badLengths: number;
}

type Verdict = { kind: 'wait' } | { kind: 'reject'; reason?: 'checksum' | 'length' } | { kind: 'packet'; total: number };

/**
 * Frames packets out of a byte stream whatever the stream does: noise before a header, a packet
 * split over many chunks, several packets in one chunk. A candidate that turns out wrong (bad
 * checksum, impossible length or packet id, foreign address) costs one byte: scanning resumes
 * right after its start code, so a real packet hidden inside a false candidate is still found.
 * A candidate still waiting for its bytes is given up as soon as a complete, valid packet starts
 * inside it: otherwise noise that looks like a long header would swallow the real reply behind
 * it. It never throws, and it holds at most one maximal packet of bytes.
 */
export class PacketParser {
  private pending: Buffer = Buffer.alloc(0);
  private readonly addressBytes: Buffer | undefined;
  private readonly counts: PacketParserStats = { packets: 0, skippedBytes: 0, badChecksums: 0, badLengths: 0 };

  constructor(options: PacketParserOptions = {}) {
    if (options.address !== undefined) {
      this.addressBytes = Buffer.alloc(4);
      this.addressBytes.writeUInt32BE(options.address >>> 0);
    }
  }

  get stats(): PacketParserStats {
    return { ...this.counts };
  }

  /** Bytes held while waiting for the rest of a packet. */
  get buffered(): number {
    return this.pending.length;
  }

  reset(): void {
    this.counts.skippedBytes += this.pending.length;
    this.pending = Buffer.alloc(0);
  }

  push(chunk: Uint8Array): FingerprintPacket[] {
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const packets: FingerprintPacket[] = [];
    for (;;) {
      const start = this.pending.indexOf(startCode[0]);
      if (start < 0) {
        this.skip(this.pending.length);
        break;
      }
      this.skip(start);
      const verdict = this.judge(0);
      if (verdict.kind === 'packet') {
        packets.push(this.take(verdict.total));
        continue;
      }
      if (verdict.kind === 'reject') {
        if (verdict.reason === 'checksum') this.counts.badChecksums += 1;
        if (verdict.reason === 'length') this.counts.badLengths += 1;
        this.skip(1);
        continue;
      }
      if (!this.completePacketInside()) break;
      this.skip(1);
    }
    return packets;
  }

  private skip(n: number): void {
    if (n <= 0) return;
    this.counts.skippedBytes += n;
    this.pending = this.pending.subarray(n);
  }

  private take(total: number): FingerprintPacket {
    const bytes = this.pending;
    const packet: FingerprintPacket = { address: bytes.readUInt32BE(2), pid: bytes[6] as PacketId, content: Buffer.from(bytes.subarray(headerLength, total - 2)) };
    this.pending = bytes.subarray(total);
    this.counts.packets += 1;
    return packet;
  }

  private completePacketInside(): boolean {
    for (let at = this.pending.indexOf(startCode[0], 1); at > 0; at = this.pending.indexOf(startCode[0], at + 1)) {
      if (this.judge(at).kind === 'packet') return true;
    }
    return false;
  }

  /** Judges the candidate at `at` on as many bytes as have arrived. */
  private judge(at: number): Verdict {
    const bytes = this.pending.subarray(at);
    if (bytes.length < 2) return { kind: 'wait' };
    if (bytes[1] !== startCode[1]) return { kind: 'reject' };
    if (this.addressBytes) {
      const seen = Math.min(4, bytes.length - 2);
      if (!bytes.subarray(2, 2 + seen).equals(this.addressBytes.subarray(0, seen))) return { kind: 'reject' };
    }
    if (bytes.length < 7) return { kind: 'wait' };
    const pid = bytes[6]!;
    if (!packetIds.has(pid)) return { kind: 'reject' };
    if (bytes.length < headerLength) return { kind: 'wait' };
    const lengthField = bytes.readUInt16BE(7);
    if (lengthField < 2 || lengthField > maxContentLength + 2) return { kind: 'reject', reason: 'length' };
    const total = headerLength + lengthField;
    if (bytes.length < total) return { kind: 'wait' };
    const content = bytes.subarray(headerLength, total - 2);
    if (checksumOf(pid, lengthField, content) !== bytes.readUInt16BE(total - 2)) return { kind: 'reject', reason: 'checksum' };
    return { kind: 'packet', total };
  }
}
