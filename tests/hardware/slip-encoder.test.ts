import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DisclosureSlipJob } from '../../core/guide/disclosure-slip.ts';
import { disclosureSlipJobSchema } from '../../core/guide/disclosure-slip.ts';
import type { ServiceGuide } from '../../core/guide/service-guide.ts';
import { lineColumns } from '../../core/printing/printing.ts';
import type { PaperWidth } from '../../core/printing/printing.ts';
import { createTicketPrinter } from '../../hardware/printer/index.ts';
import { encodeDisclosureSlip } from '../../hardware/printer/slip-encoder.ts';
import { encodeGb18030, printColumns } from '../../hardware/printer/ticket-encoder.ts';
import type { TicketPrinter } from '../../hardware/printer/ticket-printer.ts';
import { EscPosDecoder } from '../../hardware/sim/escpos-decoder.ts';
import type { EscPosEvent, TextLineEvent } from '../../hardware/sim/escpos-decoder.ts';
import { VirtualPrinter } from '../../hardware/sim/virtual-printer.ts';
import { buildSlipPrintJob } from '../../renderer/printing/slip-print-job.ts';
import { demoGuides, fullDemoCatalog } from '../support/demo-hall.ts';

const decodeAll = (bytes: Buffer): EscPosEvent[] => {
  const decoder = new EscPosDecoder();
  return [...decoder.push(bytes), ...decoder.end()];
};
const textLines = (events: EscPosEvent[]) => events.filter((e): e is TextLineEvent => e.type === 'text');

const service = fullDemoCatalog.services.find((s) => s.id === 'sole-trader')!;
const guide = demoGuides['sole-trader']!;
const serial = 'GZ-E5DF34-20261125-007';

/** 个体工商户登记 as the kiosk prints it: ID card ticked, premises to correct, the rest missing. */
function soleTraderSlip(): DisclosureSlipJob {
  return buildSlipPrintJob({
    slip: {
      serial,
      at: Date.parse('2026-11-25T01:30:00Z'),
      materials: guide.materials.map((m) => ({ id: m.id, status: m.id === 'id-card' ? 'have' : m.id === 'premises' ? 'to-correct' : 'missing' })),
    },
    service,
    guide,
    hallName: '市政务服务中心',
    timeZone: 'Asia/Shanghai',
  });
}

describe('encodeDisclosureSlip, read back by the virtual printer’s decoder', () => {
  it('prints the hall, the title, serial, service and code, every material with its mark, the phones, the time, the QR, then cuts', () => {
    const events = decodeAll(encodeDisclosureSlip(soleTraderSlip(), 80));
    const lines = textLines(events).map((e) => e.text);
    const text = lines.join('\n');
    // Wrapped lines joined again, for the long texts.
    const flat = lines.map((l) => l.trim()).join('');
    expect(lines[0]).toBe('市政务服务中心');
    expect(lines[1]).toBe('一次性告知单');
    expect(textLines(events)[1]).toMatchObject({ bold: true, widthScale: 2, heightScale: 2, align: 'center' });
    expect(text).toContain(`告知单编号：${serial}`);
    expect(text).toContain('办理事项：个体工商户登记');
    expect(text).toContain('事项编码：SC-002');
    expect(text).toContain('申请材料共 6 项：缺 4 项，需补正 1 项');
    expect(lines).toContain('✗ 缺   1. 个体工商户登记（备案）申请书');
    expect(lines).toContain('√ 已备 2. 经营者居民身份证');
    expect(lines).toContain('△ 补正 3. 住所（经营场所）使用证明');
    expect(lines).toContain('✗ 缺   5. 授权委托书');
    expect(flat).toContain('适用情形：委托他人代为办理的');
    expect(flat).toContain('获取途径：政府部门核发（户籍所在地公安机关）');
    expect(flat).toContain('请按上述要求补正后提交');
    expect(flat).toContain('办理地点：市政务服务中心一楼东区 7–9号窗口');
    expect(text).toContain('咨询电话：12315');
    expect(text).toContain('监督投诉电话：12345');
    expect(text).toContain('告知时间：2026-11-25 09:30');
    const qr = events.filter((e) => e.type === 'qr');
    expect(qr).toEqual([expect.objectContaining({ payload: 'https://hall.example/zwfw/sole-trader', errorCorrection: 'M' })]);
    expect(events.at(-1)).toEqual({ type: 'cut', partial: false });
  });

  it('marks what is missing or to correct in bold, and what the citizen has in plain text', () => {
    const marked = textLines(decodeAll(encodeDisclosureSlip(soleTraderSlip(), 80))).filter((e) => /^[✗√△]/.test(e.text));
    expect(marked.map((e) => [e.text.slice(0, 4).trim(), e.bold])).toEqual([
      ['✗ 缺', true],
      ['√ 已备', false],
      ['△ 补正', true],
      ['✗ 缺', true],
      ['✗ 缺', true],
      ['✗ 缺', true],
    ]);
  });

  it('sends ✗ (U+2717, outside GBK) as its four GB18030 bytes, which decode back to ✗', () => {
    const cross = encodeGb18030('✗');
    // Python's codec agrees: '✗'.encode('gb18030') == b'\x81\x37\xbe\x31'
    expect(cross.toString('hex')).toBe('8137be31');
    const bytes = encodeDisclosureSlip(soleTraderSlip(), 58);
    expect(bytes.includes(Buffer.concat([cross, encodeGb18030(' 缺')]))).toBe(true);
    expect(textLines(decodeAll(bytes)).map((e) => e.text).join('')).not.toContain('?');
  });

  for (const paper of [80, 58] as PaperWidth[]) {
    it(`keeps every line within ${paper} mm paper and never starts one with closing punctuation`, () => {
      const lines = textLines(decodeAll(encodeDisclosureSlip(soleTraderSlip(), paper)));
      for (const line of lines) {
        expect(printColumns(line.text) * line.widthScale, line.text).toBeLessThanOrEqual(lineColumns(paper));
        expect(line.text.trimStart(), line.text).not.toMatch(/^[，。、；：）》」”]/);
      }
      // Wrapped continuation lines stay under their material, not under the mark.
      const continued = lines.filter((l) => l.text.startsWith('       '));
      expect(continued.length).toBeGreaterThan(5);
    });
  }

  it('prints the guide\'s own online address as the QR, and no QR at all for a guide without one', () => {
    const service = fullDemoCatalog.services.find((s) => demoGuides[s.id]!.onlineUrl !== undefined)!;
    const { onlineUrl, ...withoutUrl } = demoGuides[service.id]!;
    const qrsOf = (guide: ServiceGuide) =>
      decodeAll(encodeDisclosureSlip(buildSlipPrintJob({ slip: { serial, at: 0, materials: [] }, service, guide, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai' }), 58))
        .flatMap((e) => (e.type === 'qr' ? [e.payload] : []));
    expect(qrsOf({ ...withoutUrl, onlineUrl })).toEqual([onlineUrl]);
    expect(qrsOf(withoutUrl)).toEqual([]);
  });

  it('prints a slip for every demo guide on 58 mm paper', () => {
    for (const s of fullDemoCatalog.services) {
      const g = demoGuides[s.id]!;
      const job = buildSlipPrintJob({ slip: { serial, at: 0, materials: [] }, service: s, guide: g, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai' });
      const lines = textLines(decodeAll(encodeDisclosureSlip(job, 58)));
      // Nothing answered: every required material is missing, every conditional one 视情况.
      const required = g.materials.filter((m) => m.requirement.kind === 'required').length;
      expect(lines.filter((l) => l.text.startsWith('✗ 缺')), s.id).toHaveLength(required);
      expect(lines.filter((l) => l.text.startsWith('○ 视情况')), s.id).toHaveLength(g.materials.length - required);
    }
  });

  it('turns control bytes in job text into spaces, so a material name cannot smuggle a command', () => {
    const job = disclosureSlipJobSchema.parse({ ...soleTraderSlip(), serviceText: '办理事项：个体\x1b@\x1dV\x00工商户' });
    const events = decodeAll(encodeDisclosureSlip(job, 80));
    expect(events.filter((e) => e.type === 'init')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'cut')).toHaveLength(1);
  });
});

describe('TicketPrinter.printSlip against the virtual printer over TCP', () => {
  let vp: VirtualPrinter;
  let printer: TicketPrinter;
  beforeEach(async () => {
    vp = new VirtualPrinter({ paper: 58 });
    await vp.start({ port: 0 });
    printer = createTicketPrinter(vp.printerAddress(), { paper: 58, statusTimeoutMs: 300, ackTimeoutMs: 1000 });
  });
  afterEach(async () => {
    await printer.close();
    await vp.stop();
  });

  it('checks status, sends the slip once and reports it printed when the printer confirms it', async () => {
    expect(await printer.printSlip(soleTraderSlip())).toEqual({ outcome: 'printed', paperNearEnd: false });
    const [slip] = vp.tickets();
    expect(slip!.lines).toContain('一次性告知单');
    expect(slip!.lines.join('\n')).toContain(serial);
    expect(slip!.qrPayloads).toEqual(['https://hall.example/zwfw/sole-trader']);
    expect(vp.previewOfLastTicket()).toContain('-- cut --');
  });

  it('refuses to print into a fault, like a ticket', async () => {
    vp.setCondition({ paperOut: true });
    expect((await printer.printSlip(soleTraderSlip())).outcome).toBe('paper-out');
    expect(vp.tickets()).toHaveLength(0);
  });
});
