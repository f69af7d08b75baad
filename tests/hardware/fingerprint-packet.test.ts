import { describe, expect, it } from 'vitest';
import { describeConfirmation } from '../../hardware/fingerprint/confirmation-codes.ts';
import { Instruction } from '../../hardware/fingerprint/instructions.ts';
import { PacketId, PacketParser, checksumOf, commandPacket, encodePacket } from '../../hardware/fingerprint/packet.ts';
import { decodeSystemParameters, encodeSystemParameters } from '../../hardware/fingerprint/system-parameters.ts';

const hex = (b: Buffer) => b.toString('hex');
const ack = (content: number[], address = 0xffffffff) => encodePacket({ address, pid: PacketId.ack, content: Buffer.from(content) });

describe('packet codec', () => {
  it('encodes GenImg as the datasheet shows it', () => {
    expect(hex(commandPacket(0xffffffff, Instruction.genImg))).toBe('ef01ffffffff010003010005');
  });

  it('encodes parameters, address and checksum big-endian', () => {
    expect(hex(commandPacket(0xffffffff, Instruction.vfyPwd, Buffer.from([0, 0, 0, 0])))).toBe('ef01ffffffff010007130000000000' + '1b');
    // Search buffer 1, pages 0–999: sum = 01 + 00 08 + 04 01 00 00 03 e8
    expect(hex(commandPacket(0xffffffff, Instruction.search, Buffer.from([1, 0, 0, 0x03, 0xe8])))).toBe('ef01ffffffff01000804010000' + '03e8' + '00f9');
    expect(hex(ack([0x00]))).toBe('ef01ffffffff07000300000a');
    expect(hex(commandPacket(0x12345678, Instruction.templateNum))).toBe('ef0112345678010003' + '1d' + '0021');
  });

  it('sums with wrap-around to 16 bits', () => {
    const content = Buffer.alloc(256, 0xff);
    expect(checksumOf(PacketId.data, 258, content)).toBe((2 + 1 + 2 + 256 * 255) & 0xffff);
  });

  it('refuses content longer than any packet size', () => {
    expect(() => encodePacket({ pid: PacketId.data, content: Buffer.alloc(257) })).toThrow(RangeError);
  });
});

describe('PacketParser', () => {
  const a = ack([0x00, 0x00, 0x05]);
  const b = encodePacket({ pid: PacketId.data, content: Buffer.from('template bytes') });
  const c = ack([0x09, 0, 0, 0, 0]);

  it('frames one packet per push, split packets, and merged packets', () => {
    const parser = new PacketParser({ address: 0xffffffff });
    expect(parser.push(a)).toEqual([{ address: 0xffffffff, pid: PacketId.ack, content: Buffer.from([0, 0, 5]) }]);
    const merged = Buffer.concat([a, b, c]);
    const split: Buffer[] = [];
    for (const byte of merged) split.push(...parser.push(Buffer.of(byte)).map((p) => p.content));
    expect(split.map(hex)).toEqual([hex(Buffer.from([0, 0, 5])), hex(Buffer.from('template bytes')), hex(Buffer.from([9, 0, 0, 0, 0]))]);
    expect(parser.push(merged)).toHaveLength(3);
    expect(parser.buffered).toBe(0);
  });

  it('skips garbage before a header, including false starts', () => {
    const parser = new PacketParser({ address: 0xffffffff });
    const garbage = Buffer.from([0x00, 0x55, 0xef, 0xef, 0x01, 0xff, 0xff, 0x12, 0xef, 0x01]);
    const packets = parser.push(Buffer.concat([garbage, a, garbage, c]));
    expect(packets.map((p) => p.content[0])).toEqual([0x00, 0x09]);
    expect(parser.stats.skippedBytes).toBe(garbage.length * 2);
  });

  it('drops a packet with a bad checksum and finds the next one', () => {
    const parser = new PacketParser();
    const bad = Buffer.from(a);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0x01;
    expect(parser.push(Buffer.concat([bad, c])).map((p) => p.content[0])).toEqual([0x09]);
    expect(parser.stats.badChecksums).toBe(1);
  });

  it('resynchronises on an absurd length instead of waiting for bytes that never come', () => {
    const parser = new PacketParser();
    const absurd = Buffer.from('ef01ffffffff07ffff00', 'hex');
    const tooShort = Buffer.from('ef01ffffffff070001', 'hex');
    expect(parser.push(Buffer.concat([absurd, tooShort, a])).map((p) => hex(p.content))).toEqual(['000005']);
    expect(parser.stats.badLengths).toBe(2);
  });

  it('finds a real packet that a false candidate had swallowed', () => {
    // A false header whose length covers the real packet: its checksum fails once the bytes are
    // in, and scanning resumes one byte later rather than after the false candidate.
    const parser = new PacketParser({ address: 0xffffffff });
    const falseHeader = Buffer.from('ef01ffffffff070014', 'hex');
    expect(parser.push(falseHeader)).toEqual([]);
    const packets = parser.push(Buffer.concat([a, Buffer.alloc(20)]));
    expect(packets.map((p) => p.content[0])).toEqual([0x00]);
  });

  it('gives up a long false header as soon as a complete real packet sits inside it', () => {
    // Without this, noise announcing 200 bytes would hold the real reply until 200 more arrived.
    const parser = new PacketParser({ address: 0xffffffff });
    expect(parser.push(Buffer.from('ef01ffffffff0700c8', 'hex'))).toEqual([]);
    expect(parser.push(a).map((p) => p.content[0])).toEqual([0x00]);
    expect(parser.buffered).toBe(0);
  });

  it('ignores packets for another address and unknown packet ids', () => {
    const parser = new PacketParser({ address: 0xffffffff });
    const foreign = ack([0x00], 0x00000001);
    const oddPid = Buffer.from(a);
    oddPid[6] = 0x05;
    expect(parser.push(Buffer.concat([foreign, oddPid, c])).map((p) => p.content[0])).toEqual([0x09]);
    expect(new PacketParser().push(foreign)).toHaveLength(1);
  });

  it('holds at most one packet of bytes whatever it is fed', () => {
    const parser = new PacketParser();
    parser.push(Buffer.alloc(100_000, 0xef));
    expect(parser.buffered).toBeLessThanOrEqual(1);
    parser.push(Buffer.from('ef01ffffffff070102', 'hex'));
    parser.push(Buffer.alloc(250, 0x33));
    expect(parser.buffered).toBeLessThanOrEqual(9 + 258);
  });
});

describe('ReadSysPara', () => {
  it('decodes the 16 bytes of an R307 at factory settings', () => {
    // status 0x0004 (password verified), system id 9, library 1000, level 3, address, 128-byte packets, 57600 baud
    const bytes = Buffer.from('0004' + '0009' + '03e8' + '0003' + 'ffffffff' + '0002' + '0006', 'hex');
    expect(decodeSystemParameters(bytes)).toEqual({
      status: 4,
      busy: false,
      passwordVerified: true,
      imageInBuffer: false,
      systemId: 9,
      librarySize: 1000,
      securityLevel: 3,
      address: 0xffffffff,
      packetSize: 128,
      baudRate: 57600,
    });
    const { busy: _b, passwordVerified: _p, imageInBuffer: _i, ...fields } = decodeSystemParameters(bytes);
    expect(hex(encodeSystemParameters(fields))).toBe(hex(bytes));
  });

  it('rejects a wrong length or packet size code', () => {
    expect(() => decodeSystemParameters(Buffer.alloc(15))).toThrow(RangeError);
    expect(() => decodeSystemParameters(Buffer.from('0000000903e80003ffffffff00090006', 'hex'))).toThrow(/packet size code 9/);
  });
});

describe('confirmation codes', () => {
  it('tell staff in Chinese and English; unknown codes are named, not swallowed', () => {
    expect(describeConfirmation(0x09)).toMatchObject({ kind: 'not-found', zh: expect.stringContaining('未找到') });
    expect(describeConfirmation(0x42)).toMatchObject({ kind: 'unknown-code', en: expect.stringContaining('0x42') });
  });
});
