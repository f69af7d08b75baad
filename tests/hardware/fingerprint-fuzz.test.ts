import { describe, expect, it } from 'vitest';
import { FingerprintDeviceError, FingerprintLinkError } from '../../hardware/fingerprint/errors.ts';
import { Instruction } from '../../hardware/fingerprint/instructions.ts';
import { PacketId, PacketParser, commandPacket, encodePacket } from '../../hardware/fingerprint/packet.ts';
import type { FingerprintPacket } from '../../hardware/fingerprint/packet.ts';
import { FingerprintReader } from '../../hardware/fingerprint/reader.ts';
import type { FingerprintReaderOptions } from '../../hardware/fingerprint/reader.ts';
import { syntheticTemplate } from '../../hardware/sim/fingerprint/fingers.ts';
import { SimulatedFingerprintModule } from '../../hardware/sim/fingerprint/module.ts';
import { nextStatus, readerOnPty } from './support/fingerprint-rig.ts';
import { seededRandom } from '../support/seeded-random.ts';

/** Seeded, so every run is the same run. */
function prng(seed: number) {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  // Bytes biased towards the ones a parser keys on, so false headers are common.
  const byte = () => (next() < 0.3 ? [0xef, 0x01, 0xff, 0x07, 0x02, 0x08, 0x00][int(7)]! : int(256));
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, byte));
  return { next, int, bytes };
}
type Rng = ReturnType<typeof prng>;

function randomPacket(rng: Rng): Buffer {
  const pid = [PacketId.command, PacketId.data, PacketId.ack, PacketId.lastData][rng.int(4)]!;
  return encodePacket({ pid, content: rng.bytes(1 + rng.int(rng.next() < 0.2 ? 256 : 40)) });
}

function mutate(rng: Rng, input: Buffer): Buffer {
  const bytes = [...input];
  for (let m = 1 + rng.int(3); m > 0 && bytes.length > 0; m--) {
    const at = rng.int(bytes.length);
    switch (rng.int(5)) {
      case 0:
        bytes[at] = bytes[at]! ^ (1 << rng.int(8));
        break;
      case 1:
        bytes.splice(at, 1);
        break;
      case 2:
        bytes.splice(at, 0, ...rng.bytes(1 + rng.int(4)));
        break;
      case 3:
        bytes.length = at;
        break;
      default:
        bytes.splice(at, 0, ...bytes.slice(at, at + 1 + rng.int(12)));
    }
  }
  return Buffer.from(bytes);
}

function feed(rng: Rng, parser: PacketParser, stream: Buffer): FingerprintPacket[] {
  const out: FingerprintPacket[] = [];
  for (let offset = 0; offset < stream.length; ) {
    const size = rng.next() < 0.3 ? 1 : 1 + rng.int(80);
    out.push(...parser.push(stream.subarray(offset, offset + size)));
    offset += size;
    expect(parser.buffered).toBeLessThanOrEqual(9 + 258);
  }
  return out;
}

describe('parser fuzz', () => {
  it('random and mutated streams never throw, emit only well-formed packets, and resynchronise on the next clean ones', () => {
    const rng = prng(0x5eed_0001);
    for (let round = 0; round < 1500; round++) {
      const parser = new PacketParser(round % 2 === 0 ? { address: 0xffffffff } : {});
      const dirt: Buffer[] = [];
      for (let piece = rng.int(6); piece > 0; piece--) dirt.push(rng.next() < 0.5 ? rng.bytes(rng.int(120)) : mutate(rng, randomPacket(rng)));
      const clean = Array.from({ length: 1 + rng.int(3) }, () => randomPacket(rng));
      // Padding lets any false candidate swallowing the clean packets complete and be judged.
      const stream = Buffer.concat([...dirt, ...clean, Buffer.alloc(270)]);
      const packets = feed(rng, parser, stream);
      for (const p of packets) expect(encodePacket(p).subarray(9, -2)).toEqual(p.content);
      expect(packets.slice(-clean.length).map((p) => encodePacket(p).toString('hex'))).toEqual(clean.map((c) => c.toString('hex')));
    }
  });

  it('pure noise never throws and never keeps more than one packet of bytes', () => {
    const rng = prng(0x5eed_0002);
    const parser = new PacketParser();
    let packets = 0;
    for (let round = 0; round < 300; round++) packets += feed(rng, parser, rng.bytes(1000)).length;
    // The odd false packet survives a 16-bit checksum; the reader's shape checks and timeouts cover it.
    expect(packets).toBeLessThan(10);
  });
});

const fuzzTimeouts = {
  commandTimeoutMs: 60,
  slowCommandTimeoutMs: 60,
  handshakeTimeoutMs: 60,
  healthIntervalMs: 200,
  pollIntervalMs: 1,
} satisfies Partial<FingerprintReaderOptions>;

/** The longest any one command may take to settle: its timeout, then a reconnect of two handshake steps. */
const settleBoundMs = fuzzTimeouts.commandTimeoutMs + 2 * fuzzTimeouts.handshakeTimeoutMs + 150;

async function randomCommand(rng: Rng, reader: FingerprintReader): Promise<unknown> {
  switch (rng.int(9)) {
    case 0:
      return reader.templateNum();
    case 1:
      return reader.readIndexTable(0);
    case 2:
      return reader.readSysPara();
    case 3:
      return reader.genImg();
    case 4:
      return reader.loadChar(1, rng.int(4));
    case 5:
      return reader.upChar(1);
    case 6:
      return reader.downChar(2, syntheticTemplate(`f${rng.int(3)}`));
    case 7:
      return reader.search(1, 0, 300);
    default:
      return reader.command(rng.int(0x30), rng.bytes(rng.int(6)));
  }
}

/** Runs commands one by one; each must settle in bounded time with a driver error or a result. */
async function hammer(rng: Rng, reader: FingerprintReader, commands: number): Promise<{ failures: number; slowestMs: number }> {
  let failures = 0;
  let slowestMs = 0;
  for (let i = 0; i < commands; i++) {
    const started = performance.now();
    const outcome = await randomCommand(rng, reader).then(
      () => undefined,
      (error: unknown) => error,
    );
    slowestMs = Math.max(slowestMs, performance.now() - started);
    if (outcome === undefined) continue;
    failures += 1;
    expect(outcome instanceof FingerprintDeviceError || outcome instanceof FingerprintLinkError, String(outcome)).toBe(true);
  }
  return { failures, slowestMs };
}

describe('reader fuzz: a line that mangles bytes both ways', () => {
  it('never crashes and never leaves a command hanging; recovers once the line is clean', async () => {
    const rng = prng(0x5eed_0003);
    let noisy = true;
    const module = new SimulatedFingerprintModule({ capacity: 300, packetSize: 64, seed: 'fuzz' });
    for (let page = 0; page < 4; page++) module.storeTemplate(page, syntheticTemplate(`f${page}`));
    module.placeFinger('f1');
    const reader = new FingerprintReader({
      ...fuzzTimeouts,
      link: () =>
        module.connect({
          tamper: (bytes) => {
            if (!noisy || rng.next() > 0.25) return bytes;
            return rng.next() < 0.2 ? rng.bytes(rng.int(40)) : mutate(rng, bytes);
          },
        }),
    });
    try {
      await reader.start();
      const { failures, slowestMs } = await hammer(rng, reader, 250);
      expect(failures).toBeGreaterThan(10);
      expect(slowestMs).toBeLessThan(settleBoundMs);

      noisy = false;
      // Once clean, the watchdog (or the next command) brings it back within a health interval.
      await new Promise((r) => setTimeout(r, fuzzTimeouts.healthIntervalMs + settleBoundMs));
      expect(reader.status.state).toBe('connected');
      await reader.vfyPwd();
      expect(typeof (await reader.templateNum())).toBe('number');
    } finally {
      await reader.stop();
      await module.stop();
    }
  });
});

describe('reader fuzz over a socat PTY: random noise between and inside replies', () => {
  it('every command settles in bounded time, and the reader ends in step', async () => {
    const rng = prng(0x5eed_0004);
    const rig = await readerOnPty({ module: { capacity: 300 }, reader: fuzzTimeouts });
    try {
      for (let page = 0; page < 4; page++) rig.module.storeTemplate(page, syntheticTemplate(`f${page}`));
      rig.module.placeFinger('f2');
      let slowestMs = 0;
      for (let i = 0; i < 80; i++) {
        // Faults queued while the reader is disconnected would pile up unanswered, so only then.
        if (rig.reader.status.state === 'connected') {
          if (rng.next() < 0.3) rig.module.sendRaw(rng.bytes(rng.int(60)));
          if (rng.next() < 0.3) rig.module.injectBeforeReplies(rng.next() < 0.5 ? rng.bytes(rng.int(60)) : mutate(rng, commandPacket(0xffffffff, Instruction.genImg)));
          if (rng.next() < 0.1) rig.module.corruptReplies(1);
        }
        const outcome = await hammer(rng, rig.reader, 1);
        slowestMs = Math.max(slowestMs, outcome.slowestMs);
      }
      expect(slowestMs).toBeLessThan(settleBoundMs);
      // A reconnect whose handshake the noise garbled leaves it disconnected until the next health tick.
      if (rig.reader.status.state !== 'connected') await nextStatus(rig.reader, 'connected', 3 * (fuzzTimeouts.healthIntervalMs + settleBoundMs));
      expect(await rig.reader.templateNum()).toBe(4);
    } finally {
      await rig.dispose();
    }
  });
});
