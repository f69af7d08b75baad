import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FingerprintLinkError } from '../../hardware/fingerprint/errors.ts';
import { Instruction } from '../../hardware/fingerprint/instructions.ts';
import { PacketId, encodePacket } from '../../hardware/fingerprint/packet.ts';
import { syntheticTemplate } from '../../hardware/sim/fingerprint/fingers.ts';
import { fastReaderOptions, readerOnPty, rejectionOf } from './support/fingerprint-rig.ts';
import type { ReaderRig } from './support/fingerprint-rig.ts';

/** Noise that looks like the start of a packet in every way a parser could be fooled. */
const treacherousNoise = Buffer.concat([
  Buffer.from([0x00, 0x55, 0xff, 0xef, 0xef, 0x01, 0xff, 0xff]),
  // a whole packet with a broken checksum
  (() => {
    const p = encodePacket({ pid: PacketId.ack, content: Buffer.from([0x00, 0x00, 0x07]) });
    p[p.length - 1] = p[p.length - 1]! ^ 0xff;
    return p;
  })(),
  // a header announcing 65 535 bytes
  Buffer.from('ef01ffffffff07ffff', 'hex'),
  // a packet for another module on the same bus
  encodePacket({ address: 0x01020304, pid: PacketId.ack, content: Buffer.from([0x00, 0x00, 0x09]) }),
]);

describe('fingerprint reader over a socat PTY: a noisy line', () => {
  let rig: ReaderRig;
  beforeAll(async () => {
    rig = await readerOnPty({ module: { packetSize: 64 } });
  });
  afterAll(() => rig.dispose());
  beforeEach(async () => {
    rig.module.setSplitReplies(false);
    await rig.reader.empty();
    rig.module.storeTemplate(1, syntheticTemplate('a'));
    rig.module.storeTemplate(2, syntheticTemplate('b'));
  });

  it('reads through garbage injected before replies and between packets', async () => {
    rig.module.injectBeforeReplies(treacherousNoise, 6);
    for (let i = 0; i < 3; i++) expect(await rig.reader.templateNum()).toBe(2);
    rig.module.sendRaw(treacherousNoise);
    await new Promise((r) => setTimeout(r, 20));
    expect(await rig.reader.readIndexTable(0)).toEqual([1, 2]);
    await rig.reader.loadChar(1, 2);
    expect(await rig.reader.upChar(1)).toEqual(syntheticTemplate('b'));
    expect(rig.reader.status.state).toBe('connected');
  });

  it('reassembles replies that arrive a byte at a time, template uploads included', async () => {
    rig.module.setSplitReplies(true);
    expect(await rig.reader.templateNum()).toBe(2);
    await rig.reader.loadChar(2, 1);
    expect(await rig.reader.upChar(2)).toEqual(syntheticTemplate('a'));
  });

  it('a corrupted reply makes that command time out, not hang; the next one is answered correctly', async () => {
    rig.module.corruptReplies(1);
    const started = Date.now();
    const error = await rejectionOf(rig.reader.templateNum(), FingerprintLinkError);
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(fastReaderOptions.commandTimeoutMs + 200);
    expect(await rig.reader.templateNum()).toBe(2);
    expect(rig.statuses.map((s) => s.state)).toEqual(['connected']);
  });

  it('a reply that comes after the driver gave up never answers a later command', async () => {
    // Same instruction twice, so the late reply has exactly the shape the second one waits for.
    rig.module.delayReplies(fastReaderOptions.commandTimeoutMs + 200);
    const straysBefore = rig.reader.strayPacketCount;
    await rejectionOf(rig.reader.templateNum(), FingerprintLinkError);
    rig.module.storeTemplate(3, syntheticTemplate('c'));
    expect(await rig.reader.templateNum()).toBe(3);
    expect(await rig.reader.templateNum()).toBe(3);
    // the late "2" did arrive, and was recognised as nobody's answer
    expect(rig.reader.strayPacketCount).toBe(straysBefore + 1);
    const sent = rig.module.receivedInstructions();
    // after the timeout the driver reopened the port and resynchronised before asking again
    expect(sent.slice(-4)).toEqual([Instruction.readSysPara, Instruction.vfyPwd, Instruction.templateNum, Instruction.templateNum]);
  });
});
