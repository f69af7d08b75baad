import type { TicketPrintJob } from '../../../core/printing/printing.ts';

/** A ticket as the kiosk would print it, with a rare name character (𠮷) outside GBK. */
export function sampleJob(overrides: Partial<TicketPrintJob> = {}): TicketPrintJob {
  return {
    hallName: '某某市政务服务中心',
    label: 'A007',
    serviceName: '企业设立登记（含名称自主申报）',
    windows: '请到 3、4、5 号窗口办理',
    priorityMark: '优先：老年人',
    peopleAheadText: '前面还有 12 人',
    issuedAtText: '2026-11-25 09:31',
    qrPayload: 'https://hall.example/t/01936f2a-7c1e-7abc-8def-0123456789ab',
    footer: '请留意叫号屏幕，过号请重新取号。申请人：𠮷先生',
    ...overrides,
  };
}
