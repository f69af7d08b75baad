import iconv from 'iconv-lite';

/*
 * An incremental ESC/POS decoder, written from the command reference independently of our
 * encoder so that a round trip tests the bytes, not a shared table. It feeds on arbitrary chunks,
 * keeps an incomplete command until the rest arrives, skips commands it does not act on by their
 * documented lengths, and never throws: a real printer prints garbage, it does not crash.
 */

export type Align = 'left' | 'center' | 'right';

export interface TextLineEvent {
  type: 'text';
  text: string;
  bold: boolean;
  underline: boolean;
  inverted: boolean;
  align: Align;
  /** GS ! / ESC ! / FS ! magnification, 1–8 */
  widthScale: number;
  heightScale: number;
  doubleWidth: boolean;
  doubleHeight: boolean;
}

export type EscPosEvent =
  | TextLineEvent
  | { type: 'qr'; payload: string; moduleSize: number; errorCorrection: 'L' | 'M' | 'Q' | 'H' }
  | { type: 'barcode'; system: number; data: string }
  | { type: 'image'; widthDots: number; heightDots: number }
  | { type: 'feed'; lines: number }
  | { type: 'cut'; partial: boolean }
  | { type: 'init' }
  | { type: 'status-request'; n: number }
  | { type: 'job-ack-request'; n: number };

export type EscPosEventType = EscPosEvent['type'];

const ESC = 0x1b;
const FS = 0x1c;
const GS = 0x1d;
const DLE = 0x10;
const LF = 0x0a;

/** Lines longer than this are flushed anyway; a real printer would have wrapped long before. */
const maxLineBytes = 2048;
/** NUL-terminated parameters (tab stops, old barcodes) longer than this are treated as garbage. */
const maxTerminatedBytes = 256;
/** Dots per text line at the default 1/6-inch spacing, for ESC J. */
const dotsPerLine = 30;

const codePages: Record<number, string> = { 0: 'cp437', 2: 'cp850', 3: 'cp860', 4: 'cp863', 5: 'cp865', 16: 'windows1252', 17: 'cp866', 18: 'cp852', 19: 'cp858' };

interface Style {
  bold: boolean;
  underline: boolean;
  inverted: boolean;
  align: Align;
  widthScale: number;
  heightScale: number;
  chinese: boolean;
  codePage: number;
}

const initialStyle = (): Style => ({
  bold: false,
  underline: false,
  inverted: false,
  align: 'left',
  widthScale: 1,
  heightScale: 1,
  chinese: false,
  codePage: 0,
});

/** How one parse step ended: how many bytes it consumed, or that it needs more to decide. */
type Step = number | 'more';

export class EscPosDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private skipRemaining = 0;
  private style: Style = initialStyle();
  private lineStyle: Style | undefined;
  private lineText = '';
  private lineBytes: number[] = [];
  private lineChinese = false;
  private qrData: Buffer = Buffer.alloc(0);
  private qrModuleSize = 3;
  private qrErrorCorrection: 'L' | 'M' | 'Q' | 'H' = 'L';
  private out: EscPosEvent[] = [];
  private readonly gb18030 = new TextDecoder('gb18030');
  private readonly utf8 = new TextDecoder('utf-8');

  /** Decodes what the chunk completes; an unfinished command waits for the next chunk. */
  push(chunk: Uint8Array): EscPosEvent[] {
    let data: Buffer = Buffer.from(chunk);
    if (this.skipRemaining > 0) {
      const skipped = Math.min(this.skipRemaining, data.length);
      this.skipRemaining -= skipped;
      data = data.subarray(skipped);
    }
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    let pos = 0;
    while (pos < this.pending.length) {
      const step = this.step(this.pending, pos);
      if (step === 'more') break;
      pos += step;
    }
    this.pending = Buffer.from(this.pending.subarray(Math.min(pos, this.pending.length)));
    return this.drain();
  }

  /** The stream ended: print what is in the line buffer. */
  end(): EscPosEvent[] {
    this.pending = Buffer.alloc(0);
    this.flushLine();
    return this.drain();
  }

  private drain(): EscPosEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }

  private step(buf: Buffer, pos: number): Step {
    const b = buf[pos]!;
    const avail = buf.length - pos;
    const at = (k: number) => buf[pos + k] ?? 0;

    if (b >= 0x20 && b !== 0x7f) {
      this.addText(b);
      return 1;
    }
    switch (b) {
      case LF:
        if (this.hasLine()) this.flushLine();
        else this.out.push({ type: 'feed', lines: 1 });
        return 1;
      case ESC:
        return avail < 2 ? 'more' : this.esc(buf, pos, at(1), avail);
      case GS:
        return avail < 2 ? 'more' : this.gs(buf, pos, at(1), avail);
      case FS:
        return avail < 2 ? 'more' : this.fs(at(1), avail, at);
      case DLE:
        return avail < 2 ? 'more' : this.dle(at(1), avail, at);
      default:
        // CR, HT, FF, CAN, stray control bytes: nothing a ticket needs.
        return 1;
    }
  }

  private esc(buf: Buffer, pos: number, cmd: number, avail: number): Step {
    const at = (k: number) => buf[pos + k] ?? 0;
    const need = (k: number): Step => (avail < k ? 'more' : k);
    switch (cmd) {
      case 0x40: // ESC @
        this.lineBytes = [];
        this.lineText = '';
        this.lineStyle = undefined;
        this.style = initialStyle();
        this.qrData = Buffer.alloc(0);
        this.out.push({ type: 'init' });
        return 2;
      case 0x21: {
        // ESC ! n: print mode for one-byte characters
        if (avail < 3) return 'more';
        const n = at(2);
        this.style.bold = (n & 0x08) !== 0;
        this.style.heightScale = n & 0x10 ? 2 : 1;
        this.style.widthScale = n & 0x20 ? 2 : 1;
        this.style.underline = (n & 0x80) !== 0;
        return 3;
      }
      case 0x45: // ESC E n
      case 0x47: // ESC G n (double strike prints as bold)
        if (avail < 3) return 'more';
        this.style.bold = (at(2) & 1) === 1;
        return 3;
      case 0x2d: // ESC - n
        if (avail < 3) return 'more';
        this.style.underline = (at(2) & 3) !== 0 && at(2) !== 0x30;
        return 3;
      case 0x61: {
        // ESC a n
        if (avail < 3) return 'more';
        const n = at(2);
        this.style.align = n === 1 || n === 0x31 ? 'center' : n === 2 || n === 0x32 ? 'right' : 'left';
        return 3;
      }
      case 0x74: // ESC t n
        if (avail < 3) return 'more';
        this.switchText(this.style.chinese, at(2));
        return 3;
      case 0x64: // ESC d n: print and feed n lines
      case 0x4a: {
        // ESC J n: print and feed n dots
        if (avail < 3) return 'more';
        const lines = cmd === 0x64 ? at(2) : Math.round(at(2) / dotsPerLine);
        if (this.hasLine()) this.flushLine();
        if (lines > 0) this.out.push({ type: 'feed', lines });
        return 3;
      }
      case 0x69: // ESC i / ESC m: old cut commands
      case 0x6d:
        this.flushLine();
        this.out.push({ type: 'cut', partial: true });
        return 2;
      case 0x70: // ESC p m t1 t2: drawer kick
        return need(5);
      case 0x24: // ESC $ nL nH
      case 0x5c: // ESC \ nL nH
        return need(4);
      case 0x2a: {
        // ESC * m nL nH d…: bit image, 1 or 3 bytes per column
        if (avail < 5) return 'more';
        const columns = at(3) + at(4) * 256;
        const perColumn = at(2) === 32 || at(2) === 33 ? 3 : 1;
        return this.skip(avail, 5 + columns * perColumn);
      }
      case 0x44: // ESC D n… NUL: tab stops
        return this.terminated(buf, pos + 2, 2);
      case 0x26: {
        // ESC & y c1 c2 [x d1…d(y·x)]…: user-defined characters
        if (avail < 5) return 'more';
        const y = at(2);
        // Real fonts are 2–3 bytes tall; anything larger is garbage, not worth buffering for.
        if (y > 4) return 2;
        const count = Math.max(0, at(4) - at(3) + 1);
        let offset = 5;
        for (let i = 0; i < count; i++) {
          if (avail < offset + 1) return 'more';
          offset += 1 + y * at(offset);
        }
        return this.skip(avail, offset);
      }
      case 0x32: // ESC 2: default line spacing
      case 0x3c: // ESC <: return home
      case 0x4c: // ESC L: page mode
      case 0x53: // ESC S: standard mode
        return 2;
      case 0x20: // ESC SP n: character spacing
      case 0x25: // ESC % n: user-defined set on/off
      case 0x33: // ESC 3 n: line spacing
      case 0x3d: // ESC = n: peripheral select
      case 0x3f: // ESC ? n: cancel user-defined character
      case 0x4d: // ESC M n: font
      case 0x52: // ESC R n: international set
      case 0x54: // ESC T n: page-mode direction
      case 0x55: // ESC U n: unidirectional
      case 0x56: // ESC V n: rotation
      case 0x72: // ESC r n: colour
      case 0x7b: // ESC { n: upside-down
        return need(3);
      case 0x57: // ESC W: print area in page mode, 8 parameter bytes
        return need(10);
      case 0x63: // ESC c 3 n / ESC c 4 n / ESC c 5 n
        return need(4);
      default:
        return 2;
    }
  }

  private gs(buf: Buffer, pos: number, cmd: number, avail: number): Step {
    const at = (k: number) => buf[pos + k] ?? 0;
    const need = (k: number): Step => (avail < k ? 'more' : k);
    switch (cmd) {
      case 0x21: {
        // GS ! n: width scale in the high nibble, height in the low one
        if (avail < 3) return 'more';
        const n = at(2);
        this.style.widthScale = ((n >> 4) & 7) + 1;
        this.style.heightScale = (n & 7) + 1;
        return 3;
      }
      case 0x42: // GS B n
        if (avail < 3) return 'more';
        this.style.inverted = (at(2) & 1) === 1;
        return 3;
      case 0x56: {
        // GS V m [n]
        if (avail < 3) return 'more';
        const m = at(2);
        const withFeed = m === 65 || m === 66 || m === 97 || m === 98 || m === 103 || m === 104;
        if (withFeed && avail < 4) return 'more';
        this.flushLine();
        this.out.push({ type: 'cut', partial: m % 2 === 1 || m === 66 || m === 98 || m === 104 });
        return withFeed ? 4 : 3;
      }
      case 0x72: // GS r n
        if (avail < 3) return 'more';
        this.out.push({ type: 'job-ack-request', n: at(2) });
        return 3;
      case 0x28: {
        // GS ( fn pL pH d…: the whole "GS (" family shares this framing
        if (avail < 5) return 'more';
        const length = at(3) + at(4) * 256;
        if (at(2) !== 0x6b) return this.skip(avail, 5 + length);
        if (avail < 5 + length) return 'more';
        this.qrFunction(buf.subarray(pos + 5, pos + 5 + length));
        return 5 + length;
      }
      case 0x38: {
        // GS 8 L p1 p2 p3 p4 …: graphics with a 32-bit length
        if (avail < 7) return 'more';
        const length = at(3) + at(4) * 0x100 + at(5) * 0x10000 + at(6) * 0x1000000;
        return this.skip(avail, 7 + length);
      }
      case 0x6b: {
        // GS k m …: barcode; m 0–6 is NUL-terminated, m 65–79 carries a length byte
        if (avail < 3) return 'more';
        const system = at(2);
        if (system <= 6) {
          const end = buf.indexOf(0, pos + 3);
          if (end < 0) return avail - 3 > maxTerminatedBytes ? 3 : 'more';
          this.barcode(system, buf.subarray(pos + 3, end));
          return end - pos + 1;
        }
        if (avail < 4) return 'more';
        const n = at(3);
        if (avail < 4 + n) return 'more';
        this.barcode(system, buf.subarray(pos + 4, pos + 4 + n));
        return 4 + n;
      }
      case 0x76: {
        // GS v 0 m xL xH yL yH d…: raster image
        if (avail < 8) return 'more';
        const widthBytes = at(4) + at(5) * 256;
        const height = at(6) + at(7) * 256;
        this.flushLine();
        this.out.push({ type: 'image', widthDots: widthBytes * 8, heightDots: height });
        return this.skip(avail, 8 + widthBytes * height);
      }
      case 0x2a: {
        // GS * x y d…: downloaded bit image, x·y·8 bytes
        if (avail < 4) return 'more';
        return this.skip(avail, 4 + at(2) * at(3) * 8);
      }
      case 0x3a: // GS :: macro definition start/end
        return 2;
      case 0x2f: // GS / m: print downloaded image
      case 0x45: // GS E n: head energy
      case 0x48: // GS H n: HRI position
      case 0x49: // GS I n: printer ID (a reply nobody here asks for)
      case 0x61: // GS a n: automatic status back
      case 0x62: // GS b n: smoothing
      case 0x66: // GS f n: HRI font
      case 0x68: // GS h n: barcode height
      case 0x77: // GS w n: barcode module width
        return need(3);
      case 0x24: // GS $ nL nH
      case 0x4c: // GS L nL nH: left margin
      case 0x50: // GS P x y: motion units
      case 0x57: // GS W nL nH: print area width
      case 0x5c: // GS \ nL nH
        return need(4);
      case 0x5e: // GS ^ r t m: run macro
        return need(5);
      default:
        return 2;
    }
  }

  private fs(cmd: number, avail: number, at: (k: number) => number): Step {
    const need = (k: number): Step => (avail < k ? 'more' : k);
    switch (cmd) {
      case 0x26: // FS &: Chinese (double-byte) mode on
        this.switchText(true, this.style.codePage);
        return 2;
      case 0x2e: // FS .: off
        this.switchText(false, this.style.codePage);
        return 2;
      case 0x21: {
        // FS ! n: print mode for double-byte characters
        if (avail < 3) return 'more';
        const n = at(2);
        this.style.widthScale = n & 0x04 ? 2 : 1;
        this.style.heightScale = n & 0x08 ? 2 : 1;
        this.style.underline = (n & 0x80) !== 0;
        return 3;
      }
      case 0x57: // FS W n: quadruple size for double-byte characters
        if (avail < 3) return 'more';
        this.style.widthScale = this.style.heightScale = at(2) & 1 ? 2 : 1;
        return 3;
      case 0x2d: case 0x43: // FS - n, FS C n
        return need(3);
      case 0x53: case 0x70: // FS S n1 n2, FS p n m
        return need(4);
      case 0x32: // FS 2 c1 c2 d1…d72: a user-defined 24×24 character
        return this.skip(avail, 76);
      default:
        return 2;
    }
  }

  private dle(cmd: number, avail: number, at: (k: number) => number): Step {
    switch (cmd) {
      case 0x04: // DLE EOT n: real-time status
        if (avail < 3) return 'more';
        this.out.push({ type: 'status-request', n: at(2) });
        return 3;
      case 0x05: // DLE ENQ n: real-time request
        return avail < 3 ? 'more' : 3;
      case 0x14: // DLE DC4 fn a b: real-time pulse / power-off / clear buffer
        return avail < 5 ? 'more' : 5;
      default:
        return 1;
    }
  }

  /** Consumes a command of known length, however much of it has arrived so far. */
  private skip(avail: number, length: number): Step {
    if (avail >= length) return length;
    this.skipRemaining = length - avail;
    return avail;
  }

  private terminated(buf: Buffer, from: number, headerLength: number): Step {
    const end = buf.indexOf(0, from);
    if (end >= 0) return end - from + headerLength + 1;
    return buf.length - from > maxTerminatedBytes ? headerLength : 'more';
  }

  private qrFunction(data: Buffer): void {
    const [cn, fn] = [data[0], data[1]];
    if (cn !== 0x31) return;
    if (fn === 0x43) this.qrModuleSize = data[2] ?? this.qrModuleSize;
    if (fn === 0x45) this.qrErrorCorrection = (['L', 'M', 'Q', 'H'] as const)[(data[2] ?? 0x30) - 0x30] ?? 'L';
    if (fn === 0x50) this.qrData = Buffer.from(data.subarray(3));
    if (fn === 0x51) {
      this.flushLine();
      this.out.push({ type: 'qr', payload: this.utf8.decode(this.qrData), moduleSize: this.qrModuleSize, errorCorrection: this.qrErrorCorrection });
    }
  }

  private barcode(system: number, data: Buffer): void {
    this.flushLine();
    this.out.push({ type: 'barcode', system, data: data.toString('latin1') });
  }

  private addText(byte: number): void {
    if (this.lineBytes.length === 0 && this.lineText === '') {
      this.lineStyle = { ...this.style };
      this.lineChinese = this.style.chinese;
    }
    this.lineBytes.push(byte);
    if (this.lineBytes.length >= maxLineBytes) this.flushLine();
  }

  /** Bytes already in the line were received under the old mode and are decoded with it. */
  private switchText(chinese: boolean, codePage: number): void {
    this.decodeLineBytes();
    this.style.chinese = chinese;
    this.style.codePage = codePage;
    this.lineChinese = chinese;
  }

  private decodeLineBytes(): void {
    if (this.lineBytes.length === 0) return;
    const bytes = Uint8Array.from(this.lineBytes);
    this.lineBytes = [];
    if (this.lineChinese) this.lineText += this.gb18030.decode(bytes);
    else this.lineText += iconv.decode(Buffer.from(bytes), codePages[this.style.codePage] ?? 'cp437');
  }

  private hasLine(): boolean {
    return this.lineBytes.length > 0 || this.lineText !== '';
  }

  private flushLine(): void {
    this.decodeLineBytes();
    const style = this.lineStyle ?? this.style;
    if (this.lineText !== '') {
      this.out.push({
        type: 'text',
        text: this.lineText,
        bold: style.bold,
        underline: style.underline,
        inverted: style.inverted,
        align: style.align,
        widthScale: style.widthScale,
        heightScale: style.heightScale,
        doubleWidth: style.widthScale >= 2,
        doubleHeight: style.heightScale >= 2,
      });
    }
    this.lineText = '';
    this.lineStyle = undefined;
  }
}
