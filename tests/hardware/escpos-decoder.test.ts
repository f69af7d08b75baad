import { describe, expect, it } from 'vitest';
import { encodeTicket } from '../../hardware/printer/ticket-encoder.ts';
import { EscPosDecoder } from '../../hardware/sim/escpos-decoder.ts';
import type { EscPosEvent } from '../../hardware/sim/escpos-decoder.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { sampleJob } from './support/sample-job.ts';

const decodeAll = (...chunks: Buffer[]): EscPosEvent[] => {
  const decoder = new EscPosDecoder();
  return [...chunks.flatMap((c) => decoder.push(c)), ...decoder.end()];
};
const b = (...bytes: number[]) => Buffer.from(bytes);
const eventTypes = new Set(['text', 'qr', 'barcode', 'image', 'feed', 'cut', 'init', 'status-request', 'job-ack-request']);

describe('EscPosDecoder', () => {
  it('decodes the same events whether the stream arrives whole or byte by byte', () => {
    const bytes = encodeTicket(sampleJob(), 80);
    const whole = decodeAll(bytes);
    const byByte = decodeAll(...Array.from(bytes, (x) => b(x)));
    expect(byByte).toEqual(whole);
    expect(whole.some((e) => e.type === 'qr')).toBe(true);
  });

  it('reports status and acknowledgement requests', () => {
    expect(decodeAll(b(0x10, 0x04, 0x01, 0x10, 0x04, 0x04, 0x1d, 0x72, 0x01))).toEqual([
      { type: 'status-request', n: 1 },
      { type: 'status-request', n: 4 },
      { type: 'job-ack-request', n: 1 },
    ]);
  });

  it('decodes Chinese only in Chinese mode; before FS & high bytes are the code page', () => {
    const zhong = Buffer.from([0xd6, 0xd0]);
    const [latin] = decodeAll(zhong, b(0x0a));
    const [chinese] = decodeAll(b(0x1c, 0x26), zhong, b(0x0a));
    expect(latin).toMatchObject({ type: 'text', text: '╓╨' });
    expect(chinese).toMatchObject({ type: 'text', text: '中' });
  });

  it('skips image data by its declared length, even when it holds command-like bytes', () => {
    const raster = Buffer.concat([b(0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x03, 0x00), b(0x0a, 0x1d, 0x56, 0x00, 0x1b, 0x40)]);
    const bitImage = Buffer.concat([b(0x1b, 0x2a, 0x21, 0x02, 0x00), b(0x1d, 0x56, 0x00, 0x0a, 0x10, 0x04)]);
    const graphics = Buffer.concat([b(0x1d, 0x28, 0x4c, 0x04, 0x00), b(0x1d, 0x56, 0x00, 0x0a)]);
    const events = decodeAll(raster, bitImage, graphics, Buffer.from('after\n'));
    expect(events).toEqual([
      { type: 'image', widthDots: 16, heightDots: 3 },
      expect.objectContaining({ type: 'text', text: 'after' }),
    ]);
  });

  it('skips a long image that arrives in several chunks', () => {
    const header = b(0x1d, 0x76, 0x30, 0x00, 0x48, 0x00, 0x10, 0x00); // 72 bytes × 16 rows
    const data = Buffer.alloc(72 * 16, 0x0a);
    const events = decodeAll(header, data.subarray(0, 100), data.subarray(100, 900), Buffer.concat([data.subarray(900), Buffer.from('ok\n')]));
    expect(events.map((e) => e.type)).toEqual(['image', 'text']);
  });

  it('decodes both barcode forms', () => {
    const events = decodeAll(b(0x1d, 0x6b, 0x04), Buffer.from('A123'), b(0x00), b(0x1d, 0x6b, 0x49, 0x05), Buffer.from('{B123'));
    expect(events).toEqual([
      { type: 'barcode', system: 4, data: 'A123' },
      { type: 'barcode', system: 0x49, data: '{B123' },
    ]);
  });

  it('keeps each line in the style of its first character', () => {
    const events = decodeAll(b(0x1b, 0x61, 0x02, 0x1b, 0x45, 0x01), Buffer.from('right'), b(0x1b, 0x45, 0x00, 0x0a));
    expect(events[0]).toMatchObject({ text: 'right', align: 'right', bold: true });
  });

  it('reports both cut forms and a feed', () => {
    expect(decodeAll(b(0x1b, 0x64, 0x03, 0x1d, 0x56, 0x42, 0x00, 0x1d, 0x56, 0x01))).toEqual([
      { type: 'feed', lines: 3 },
      { type: 'cut', partial: true },
      { type: 'cut', partial: true },
    ]);
  });

  it('never throws on random bytes, in any chunking', () => {
    const random = seededRandom(20261125);
    for (let round = 0; round < 400; round++) {
      const length = Math.floor(random() * 600);
      const bytes = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
      const decoder = new EscPosDecoder();
      const events: EscPosEvent[] = [];
      let at = 0;
      while (at < bytes.length) {
        const size = 1 + Math.floor(random() * 64);
        events.push(...decoder.push(bytes.subarray(at, at + size)));
        at += size;
      }
      events.push(...decoder.end());
      for (const e of events) expect(eventTypes.has(e.type)).toBe(true);
    }
  });

  it('never throws on mutated tickets (flipped, dropped, duplicated, truncated bytes) and still finds text', () => {
    const random = seededRandom(42);
    const ticket = encodeTicket(sampleJob(), 80);
    let sawText = 0;
    for (let round = 0; round < 400; round++) {
      const bytes = [...ticket];
      const edits = 1 + Math.floor(random() * 8);
      for (let i = 0; i < edits; i++) {
        const at = Math.floor(random() * bytes.length);
        const kind = Math.floor(random() * 4);
        if (kind === 0) bytes[at] = Math.floor(random() * 256);
        else if (kind === 1) bytes.splice(at, 1);
        else if (kind === 2) bytes.splice(at, 0, ...bytes.slice(at, at + 10));
        else bytes.length = at;
      }
      const events = decodeAll(Buffer.from(bytes));
      if (events.some((e) => e.type === 'text')) sawText += 1;
    }
    expect(sawText).toBeGreaterThan(200);
  });

  it('does not throw on hostile lengths and recovers at the next complete command', () => {
    const decoder = new EscPosDecoder();
    expect(() => decoder.push(b(0x1d, 0x38, 0x4c, 0xff, 0xff, 0xff, 0xff))).not.toThrow();
    expect(() => decoder.push(Buffer.alloc(100_000, 0x41))).not.toThrow();
    const other = new EscPosDecoder();
    // an unterminated old-style barcode is given up after its length limit
    const events = [...other.push(b(0x1d, 0x6b, 0x02)), ...other.push(Buffer.alloc(300, 0x31)), ...other.push(Buffer.from('\nok\n'))];
    expect(events.some((e) => e.type === 'text' && e.text === 'ok')).toBe(true);
  });
});
