import type { TicketPrintJob } from './printing.ts';

/** What the maintenance screen's test print says about the kiosk; nothing personal. */
export interface TestPageFacts {
  hallName: string;
  kioskId: string;
  printerAddress: string;
  paperWidth: number;
  /** the hall's local time, already formatted */
  timeText: string;
}

/**
 * A test page through the ticket layout, so it exercises exactly what a ticket does (Chinese
 * text, wrapping, QR, cut). Its label and wording say plainly it is no queue number.
 */
export function testPageJob(facts: TestPageFacts): TicketPrintJob {
  return {
    hallName: facts.hallName,
    label: 'TT000',
    serviceName: '打印测试 · 非取号凭证',
    windows: `打印机 ${facts.printerAddress} · ${facts.paperWidth}mm`,
    issuedAtText: facts.timeText,
    qrPayload: `TEST ${facts.kioskId}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 300),
    footer: `自助机 ${facts.kioskId}：如能看清本页中文、二维码且已切纸，打印机工作正常。`,
  };
}

/** The test page as the screen shows it before printing, one printed line per line. */
export function testPagePreview(job: TicketPrintJob): string {
  return [job.hallName, job.label, job.serviceName, job.windows ?? '', job.issuedAtText, `[QR] ${job.qrPayload}`, job.footer ?? ''].filter((l) => l !== '').join('\n');
}
