import iconv from 'iconv-lite';
import { lineColumns } from '../../core/printing/printing.ts';
import type { PaperWidth, TicketPrintJob } from '../../core/printing/printing.ts';

/*
 * The ticket is built from plain ESC/POS bytes rather than with node-thermal-printer. What that
 * library would contribute here is a handful of two- and three-byte constants, while each of its
 * larger pieces needs working around (DESIGN §4): its text path encodes GBK only, its wrapping
 * counts string length, printQR declares a character count, and cut() feeds 8 lines then sends
 * ESC @. Owning every byte also lets the tests pin the exact stream.
 */

const ESC = 0x1b;
const FS = 0x1c;
const GS = 0x1d;
const LF = 0x0a;

export type Align = 'left' | 'center' | 'right';

/** Lines fed before the cut: enough to clear the head-to-cutter gap, not the 8 of a generic cut. */
export const feedBeforeCut = 4;

/** QR module size in dots (203 dpi): large enough for a phone camera, small enough for 58 mm paper. */
export const qrModuleDots: Record<PaperWidth, number> = { 80: 6, 58: 5 };

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * Columns a text takes on paper in Chinese mode: a single-byte (ASCII) character is one column of
 * the 12-dot font, every multi-byte character one 24-dot glyph, two columns. string-width agrees
 * for CJK but counts East Asian "ambiguous" characters (· — “ ” ①) as one, which the printer
 * prints double-width, and counts combining marks as zero, which the printer prints as glyphs.
 */
export function printColumns(text: string): number {
  let columns = 0;
  for (const ch of text) columns += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return columns;
}
const asciiWordChar = /^[\x21-\x7e]$/;

/**
 * Breaks text into lines of at most `columns` display columns as printed (a Chinese character
 * takes two, see printColumns).
 * Chinese text may break between any two characters; an ASCII word moves to the next line whole
 * unless it is longer than a line. `\n` forces a break.
 */
export function wrapByDisplayWidth(text: string, columns: number): string[] {
  if (!Number.isInteger(columns) || columns < 1) throw new RangeError(`columns must be a positive integer, got ${columns}`);
  if (text === '') return [];
  return text.split(/\r?\n/).flatMap((paragraph) => wrapParagraph(paragraph, columns));
}

function wrapParagraph(paragraph: string, columns: number): string[] {
  const parts = Array.from(graphemes.segment(paragraph), ({ segment }) => segment);
  // Width of the ASCII word from each position to its end, to know whether moving it down helps.
  const restOfWord = new Array<number>(parts.length + 1).fill(0);
  for (let i = parts.length - 1; i >= 0; i--) restOfWord[i] = asciiWordChar.test(parts[i]!) ? restOfWord[i + 1]! + 1 : 0;

  const lines: string[] = [];
  let line: string[] = [];
  let width = 0;
  const flush = () => {
    lines.push(line.join('').trimEnd());
    line = [];
    width = 0;
  };
  parts.forEach((segment, i) => {
    const w = printColumns(segment);
    if (width + w > columns && line.length > 0) {
      if (segment === ' ') return flush();
      let carry: string[] = [];
      if (restOfWord[i]! > 0) {
        let start = line.length;
        while (start > 0 && asciiWordChar.test(line[start - 1]!)) start--;
        // A word that began mid-line moves down whole if a line can hold it; else it is broken.
        if (start > 0 && line.length - start + restOfWord[i]! <= columns) carry = line.splice(start);
      }
      flush();
      line = carry;
      width = printColumns(carry.join(''));
    }
    if (line.length === 0 && segment === ' ' && lines.length > 0) return;
    line.push(segment);
    width += w;
  });
  if (line.length > 0 || lines.length === 0) flush();
  return lines;
}

/** Job text must never smuggle control bytes (an ESC or GS in a name would be a command). */
export function printable(text: string): string {
  return Array.from(text, (ch) => {
    const code = ch.codePointAt(0)!;
    return (code < 0x20 && code !== 0x0a) || code === 0x7f ? ' ' : ch;
  }).join('');
}

export function encodeGb18030(text: string): Buffer {
  return iconv.encode(text, 'gb18030');
}

/** Accumulates one job's bytes (a ticket, a disclosure slip); each method is one ESC/POS command. */
export class EscPosStream {
  private readonly parts: Buffer[] = [];

  bytes(...values: number[]): this {
    this.parts.push(Buffer.from(values));
    return this;
  }

  init(): this {
    return this.bytes(ESC, 0x40);
  }

  chineseMode(): this {
    return this.bytes(FS, 0x26);
  }

  align(align: Align): this {
    return this.bytes(ESC, 0x61, align === 'left' ? 0 : align === 'center' ? 1 : 2);
  }

  /** GS ! scales Chinese and ASCII characters alike (ESC ! would leave Chinese unscaled). */
  size(widthScale: number, heightScale: number): this {
    return this.bytes(GS, 0x21, ((widthScale - 1) << 4) | (heightScale - 1));
  }

  bold(on: boolean): this {
    return this.bytes(ESC, 0x45, on ? 1 : 0);
  }

  inverted(on: boolean): this {
    return this.bytes(GS, 0x42, on ? 1 : 0);
  }

  line(text: string): this {
    this.parts.push(encodeGb18030(text), Buffer.from([LF]));
    return this;
  }

  feed(lines: number): this {
    return this.bytes(ESC, 0x64, lines);
  }

  /** Native QR (GS ( k), model 2, error correction M; lengths count bytes, not characters. */
  qr(payload: string, moduleDots: number): this {
    const data = Buffer.from(payload, 'utf8');
    if (data.length > 7089) throw new RangeError(`QR payload of ${data.length} bytes does not fit a QR code`);
    const store = data.length + 3;
    this.bytes(GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0);
    this.bytes(GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, moduleDots);
    this.bytes(GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31);
    this.bytes(GS, 0x28, 0x6b, store & 0xff, store >> 8, 0x31, 0x50, 0x30);
    this.parts.push(data);
    return this.bytes(GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30);
  }

  /** Full cut, no feed of its own: the feed before it is ours to choose. */
  cut(): this {
    return this.bytes(GS, 0x56, 0x00);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** The complete byte stream of one queue ticket, from reset to cut. */
export function encodeTicket(job: TicketPrintJob, paper: PaperWidth): Buffer {
  const columns = lineColumns(paper);
  const out = new EscPosStream().init().chineseMode().align('center');
  const block = (text: string | undefined, scale: number) => {
    if (text === undefined || text.trim() === '') return;
    for (const line of wrapByDisplayWidth(printable(text), Math.floor(columns / scale))) out.line(line);
  };

  out.bold(true).size(1, 2);
  block(job.hallName, 1);
  out.size(1, 1).bold(false).feed(1);

  out.bold(true).size(4, 4);
  block(job.label, 4);
  out.size(2, 2);
  block(job.serviceName, 2);
  out.size(1, 1).bold(false);
  block(job.windows, 1);
  out.bold(true);
  block(job.validityText, 1);
  out.bold(false);

  if (job.priorityMark !== undefined && job.priorityMark.trim() !== '') {
    // One space each side so the black bar leaves a margin around the words.
    out.inverted(true).bold(true).size(2, 1);
    for (const line of wrapByDisplayWidth(printable(job.priorityMark.trim()), columns / 2 - 2)) out.line(` ${line} `);
    out.size(1, 1).bold(false).inverted(false);
  }
  block(job.peopleAheadText, 1);
  block(job.waitEstimateText, 1);
  block(job.issuedAtText, 1);

  if (job.qrPayload !== undefined) out.qr(job.qrPayload, qrModuleDots[paper]);
  if (job.footer !== undefined && job.footer.trim() !== '') {
    out.line('-'.repeat(columns));
    block(job.footer, 1);
  }
  return out.feed(feedBeforeCut).cut().toBuffer();
}
