import type { EscPosEvent } from './escpos-decoder.ts';

/** What ends up on paper; status requests and resets are conversation, not print. */
export type PrintedEvent = Extract<EscPosEvent, { type: 'text' | 'qr' | 'barcode' | 'image' | 'feed' | 'cut' }>;

const printedTypes = new Set<string>(['text', 'qr', 'barcode', 'image', 'feed', 'cut']);

export function isPrinted(event: EscPosEvent): event is PrintedEvent {
  return printedTypes.has(event.type);
}

/** One piece of paper: everything printed up to and including a cut. */
export interface DecodedTicket {
  /** 1 for the first ticket this printer produced */
  number: number;
  events: PrintedEvent[];
  /** the text lines in print order */
  lines: string[];
  qrPayloads: string[];
}

export function decodedTicket(number: number, events: PrintedEvent[]): DecodedTicket {
  return {
    number,
    events,
    lines: events.flatMap((e) => (e.type === 'text' ? [e.text] : [])),
    qrPayloads: events.flatMap((e) => (e.type === 'qr' ? [e.payload] : [])),
  };
}

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** Paper columns in Chinese mode: one per single-byte character, two per double-byte glyph. */
function paperColumns(text: string): number {
  let columns = 0;
  for (const ch of text) columns += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return columns;
}

/** Magnified text shown by spacing: each character keeps `scale` times its own width. */
function magnify(text: string, scale: number): string {
  if (scale <= 1) return text;
  let out = '';
  for (const { segment } of graphemes.segment(text)) out += segment + ' '.repeat(paperColumns(segment) * (scale - 1));
  return out.trimEnd();
}

function place(text: string, align: 'left' | 'center' | 'right', columns: number): string {
  const free = Math.max(0, columns - paperColumns(text));
  const left = align === 'center' ? Math.floor(free / 2) : align === 'right' ? free : 0;
  return (' '.repeat(left) + text).trimEnd();
}

/**
 * A monospace rendering of a ticket for people (demo screen, test failures): aligned lines,
 * magnified text spaced out, inverted text between >> <<, `[QR: payload]` and `-- cut --`.
 */
export function renderTicketPreview(ticket: DecodedTicket, columns: number): string {
  const rows: string[] = [];
  let align: 'left' | 'center' | 'right' = 'left';
  for (const event of ticket.events) {
    switch (event.type) {
      case 'text': {
        align = event.align;
        const body = magnify(event.text, event.widthScale);
        rows.push(place(event.inverted ? `>> ${body.trim()} <<` : body, event.align, columns));
        break;
      }
      case 'qr':
        rows.push(place(`[QR: ${event.payload}]`, align, columns));
        break;
      case 'barcode':
        rows.push(place(`[barcode: ${event.data}]`, align, columns));
        break;
      case 'image':
        rows.push(place(`[image ${event.widthDots}×${event.heightDots}]`, align, columns));
        break;
      case 'feed':
        for (let i = 0; i < Math.min(event.lines, 8); i++) rows.push('');
        break;
      case 'cut':
        rows.push(place('-- cut --', 'center', columns));
        break;
    }
  }
  return rows.join('\n');
}
