import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { lineColumns } from '../../core/printing/printing.ts';
import type { PaperWidth } from '../../core/printing/printing.ts';
import { encodeGb18030, encodeTicket, printColumns, wrapByDisplayWidth } from '../../hardware/printer/ticket-encoder.ts';
import { EscPosDecoder } from '../../hardware/sim/escpos-decoder.ts';
import type { EscPosEvent, TextLineEvent } from '../../hardware/sim/escpos-decoder.ts';
import { sampleJob } from './support/sample-job.ts';

const hex = (bytes: Buffer) => bytes.toString('hex');
const decodeAll = (bytes: Buffer): EscPosEvent[] => {
  const decoder = new EscPosDecoder();
  return [...decoder.push(bytes), ...decoder.end()];
};
const textLines = (events: EscPosEvent[]) => events.filter((e): e is TextLineEvent => e.type === 'text');

describe('encodeTicket bytes', () => {
  it('starts with ESC @ then FS & (Chinese mode)', () => {
    expect(hex(encodeTicket(sampleJob(), 80).subarray(0, 4))).toBe('1b401c26');
  });

  it('encodes Chinese as GB18030: 中 is d6 d0', () => {
    const bytes = encodeTicket(sampleJob({ hallName: '中心' }), 80);
    expect(bytes.includes(Buffer.from([0xd6, 0xd0]))).toBe(true);
    expect(hex(encodeGb18030('中'))).toBe('d6d0');
  });

  it('encodes 𠮷 (U+20BB7, outside GBK) as its four GB18030 bytes 95 34 b2 35, never "?"', () => {
    const bytes = encodeTicket(sampleJob(), 80);
    expect(hex(encodeGb18030('𠮷'))).toBe('9534b235');
    expect(bytes.includes(Buffer.from([0x95, 0x34, 0xb2, 0x35]))).toBe(true);
    // GBK has no code for it: what node-thermal-printer's CHINA code page would have sent.
    expect(hex(iconv.encode('𠮷', 'gbk'))).toBe('3f');
    // The first supplementary-plane ideograph, U+20000 𠀀, is 95 32 82 36.
    expect(hex(encodeGb18030('𠀀'))).toBe('95328236');
  });

  it('sends no "?" for any character of the job', () => {
    const job = sampleJob({ qrPayload: 'https://hall.example/t/1' });
    const lines = textLines(decodeAll(encodeTicket(job, 80))).map((e) => e.text);
    expect(lines.join('')).not.toContain('?');
    expect(lines.join('')).toContain('𠮷');
  });

  it('declares the QR store length in bytes (payload + 3)', () => {
    for (const payload of ['https://hall.example/t/01936f2a', 'x'.repeat(300), 'https://h.example/?q=中文']) {
      const bytes = encodeTicket(sampleJob({ qrPayload: payload }), 80);
      const at = bytes.indexOf(Buffer.from([0x31, 0x50, 0x30])) - 5;
      expect(hex(bytes.subarray(at, at + 3))).toBe('1d286b');
      const declared = bytes[at + 3]! + bytes[at + 4]! * 256;
      expect(declared).toBe(Buffer.byteLength(payload, 'utf8') + 3);
      expect(bytes.subarray(at + 8, at + 8 + declared - 3).toString('utf8')).toBe(payload);
    }
  });

  it('ends with a short feed (ESC d 4) and a full cut, without the 8-line feed or a trailing ESC @', () => {
    const bytes = encodeTicket(sampleJob(), 80);
    expect(hex(bytes.subarray(-6))).toBe('1b64041d5600');
    expect(bytes.includes(Buffer.from([0x1b, 0x64, 0x08]))).toBe(false);
    expect(bytes.indexOf(Buffer.from([0x1b, 0x40]), 2)).toBe(-1);
  });

  it('scales the label with GS ! (both Chinese and ASCII), not ESC !', () => {
    const bytes = encodeTicket(sampleJob(), 80);
    expect(bytes.includes(Buffer.concat([Buffer.from([0x1d, 0x21, 0x33]), Buffer.from('A007\n')]))).toBe(true);
    expect(bytes.includes(Buffer.from([0x1b, 0x21]))).toBe(false);
  });

  it('turns control characters in job text into spaces, so text cannot become commands', () => {
    const job = sampleJob({ hallName: 'Hall\x1bi\x1dV\x00 name', footer: 'a\x10\x04\x01b' });
    const events = decodeAll(encodeTicket(job, 80));
    expect(events.filter((e) => e.type === 'cut')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'status-request')).toHaveLength(0);
    expect(textLines(events)[0]?.text).toBe('Hall i V  name');
  });
});

describe('wrapByDisplayWidth', () => {
  it('counts a Chinese character as two columns at 48 and 32', () => {
    expect(wrapByDisplayWidth('中'.repeat(30), 48)).toEqual(['中'.repeat(24), '中'.repeat(6)]);
    expect(wrapByDisplayWidth('中'.repeat(30), 32)).toEqual(['中'.repeat(16), '中'.repeat(14)]);
    expect(wrapByDisplayWidth(`a${'中'.repeat(24)}`, 48)).toEqual([`a${'中'.repeat(23)}`, '中']);
  });

  it('moves an ASCII word to the next line whole, and breaks one longer than a line', () => {
    expect(wrapByDisplayWidth(`${'中'.repeat(22)} hello`, 48)).toEqual(['中'.repeat(22), 'hello']);
    expect(wrapByDisplayWidth('前面还有 12 人 please wait patiently', 32)).toEqual(['前面还有 12 人 please wait', 'patiently']);
    expect(wrapByDisplayWidth(`办理${'x'.repeat(50)}`, 48)).toEqual([`办理${'x'.repeat(44)}`, 'x'.repeat(6)]);
  });

  it('keeps 4-byte characters whole and counts ambiguous-width punctuation as printed (two columns)', () => {
    expect(wrapByDisplayWidth('𠮷'.repeat(17), 32)).toEqual(['𠮷'.repeat(16), '𠮷']);
    expect(wrapByDisplayWidth('·'.repeat(25), 48)).toEqual(['·'.repeat(24), '·']);
  });

  it('honours newlines and drops spaces at the break', () => {
    expect(wrapByDisplayWidth('第一行\n第二行', 48)).toEqual(['第一行', '第二行']);
    expect(wrapByDisplayWidth(`${'a'.repeat(31)}   b`, 32)).toEqual(['a'.repeat(31), 'b']);
    expect(wrapByDisplayWidth('', 48)).toEqual([]);
  });

  it('never exceeds the width for mixed text, and loses no character', () => {
    const text = '办理地点：政务服务中心二楼 B 区 12 号窗口 (Window 12, Floor 2)，咨询电话 0571-12345678，监督投诉 12345';
    for (const columns of [48, 32, 24, 16]) {
      const lines = wrapByDisplayWidth(text, columns);
      for (const line of lines) expect(printColumns(line)).toBeLessThanOrEqual(columns);
      expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
  });
});

describe('an encoded ticket decoded back', () => {
  it.each([80, 58] as PaperWidth[])('yields the Chinese lines, the QR payload and one cut on %i mm paper', (paper) => {
    const job = sampleJob();
    const events = decodeAll(encodeTicket(job, paper));
    const lines = textLines(events);
    const texts = lines.map((e) => e.text);
    expect(texts[0]).toBe('某某市政务服务中心');
    expect(texts).toContain('A007');
    expect(texts.join('')).toContain('企业设立登记（含名称自主申报）');
    expect(texts).toContain('请到 3、4、5 号窗口办理');
    expect(texts).toContain('前面还有 12 人');
    expect(texts).toContain('2026-11-25 09:31');
    expect(texts.join('')).toContain('请留意叫号屏幕，过号请重新取号。申请人：𠮷先生');
    const label = lines.find((e) => e.text === 'A007')!;
    expect(label).toMatchObject({ bold: true, align: 'center', widthScale: 4, heightScale: 4, doubleWidth: true, doubleHeight: true });
    const priority = lines.find((e) => e.text.includes('优先'))!;
    expect(priority).toMatchObject({ inverted: true, bold: true, doubleWidth: true });
    expect(events.filter((e) => e.type === 'qr')).toEqual([{ type: 'qr', payload: job.qrPayload, moduleSize: paper === 80 ? 6 : 5, errorCorrection: 'M' }]);
    expect(events.at(-1)).toEqual({ type: 'cut', partial: false });
    expect(events.at(-2)).toEqual({ type: 'feed', lines: 4 });
    // every line fits the paper at its magnification
    for (const line of lines) expect(printColumns(line.text) * line.widthScale).toBeLessThanOrEqual(lineColumns(paper));
  });

  it('prints a job without its optional parts', () => {
    const job = { hallName: '政务服务中心', label: 'K012', serviceName: '社保卡补办', issuedAtText: '09:31', qrPayload: 'k012' };
    const events = decodeAll(encodeTicket(job, 58));
    expect(textLines(events).map((e) => e.text)).toEqual(['政务服务中心', 'K012', '社保卡补办', '09:31']);
    expect(textLines(events).some((e) => e.inverted)).toBe(false);
    expect(events.filter((e) => e.type === 'qr' || e.type === 'cut').map((e) => e.type)).toEqual(['qr', 'cut']);
  });

  it('wraps a long service name at half the columns when printed double width', () => {
    const job = sampleJob({ serviceName: '建设工程规划许可证核发（建筑类）及其变更、延续申请' });
    for (const paper of [80, 58] as PaperWidth[]) {
      const service = textLines(decodeAll(encodeTicket(job, paper))).filter((e) => e.widthScale === 2 && e.heightScale === 2);
      expect(service.length).toBeGreaterThan(1);
      expect(service.map((e) => e.text).join('')).toBe(job.serviceName);
      for (const line of service) expect(printColumns(line.text)).toBeLessThanOrEqual(lineColumns(paper) / 2);
    }
  });
});
