import { describe, expect, it } from 'vitest';
import { ticketPrintJobSchema } from '../../../core/printing/printing.ts';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { buildTicketPrintJob, reprintJobOf } from '../../../renderer/printing/ticket-print-job.ts';
import { demoService } from '../support/issuer-fixture.ts';

const service = demoService('biz-registration');
const ticket: Ticket = {
  id: '019ab5e2-3c40-7d1e-9a2b-3c4d5e6f7a8b',
  kioskId: 'kiosk-entrance-1',
  serviceId: service.id,
  departmentId: service.departmentId,
  businessDay: '2026-11-25',
  sequence: 7,
  label: 'A007',
  priority: 'elderly',
  issuedAt: Date.parse('2026-11-25T01:30:00Z'),
  state: 'printing',
  printAttempts: 0,
  liveToken: 'AQgPFh0kKzI5QEdOVVxjag',
};

describe('buildTicketPrintJob', () => {
  it('prints in Chinese with the hall-local time and the live ticket\'s address in the QR', () => {
    const job = buildTicketPrintJob({ ticket, service, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai', publicAddress: 'https://zwfw.example.gov.cn/hall' });
    expect(job).toEqual({
      hallName: '市政务服务中心',
      label: 'A007',
      serviceName: '企业设立登记',
      windows: '1–6号窗口',
      priorityMark: '优先 · 老年人',
      issuedAtText: '2026-11-25 09:30',
      qrPayload: 'https://zwfw.example.gov.cn/hall/t/AQgPFh0kKzI5QEdOVVxjag',
      footer: '请留意叫号，过号请重新取号',
    });
    expect(ticketPrintJobSchema.safeParse(job).success).toBe(true);
  });

  it('prints no QR at all without the hall\'s public address, or for a ticket without a token', () => {
    expect(buildTicketPrintJob({ ticket, service, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai' })).not.toHaveProperty('qrPayload');
    expect(buildTicketPrintJob({ ticket, service, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai', publicAddress: null })).not.toHaveProperty('qrPayload');
    const { liveToken: _, ...old } = ticket;
    expect(buildTicketPrintJob({ ticket: old, service, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai', publicAddress: 'https://q.example.gov.cn' })).not.toHaveProperty('qrPayload');
  });

  it('has no priority mark for a normal ticket, and marks a reprint, whose QR is the same live ticket', () => {
    const job = buildTicketPrintJob({ ticket: { ...ticket, priority: 'normal' }, service, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai', reprint: true, publicAddress: 'https://q.example.gov.cn' });
    expect(job.priorityMark).toBeUndefined();
    expect(job.footer).toBe('补打 · 请留意叫号，过号请重新取号');
    expect(job.qrPayload).toBe('https://q.example.gov.cn/t/AQgPFh0kKzI5QEdOVVxjag');
  });

  it('prints 预计等候 only when the server could say, and never on a reprint', () => {
    const job = (waitEstimateMinutes: number | null | undefined, reprint = false) =>
      buildTicketPrintJob({ ticket, service, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai', waitEstimateMinutes, reprint }).waitEstimateText;
    expect(job(12)).toBe('预计等候约12分钟');
    expect(job(null)).toBeUndefined();
    expect(job(undefined)).toBeUndefined();
    expect(job(12, true)).toBeUndefined();
  });

  it('prints the people ahead when the kiosk knew them at issue, and says nothing when it did not or on a reprint', () => {
    const job = (peopleAhead: number | null | undefined, reprint = false) =>
      buildTicketPrintJob({ ticket, service, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai', peopleAhead, reprint }).peopleAheadText;
    expect(job(3)).toBe('前面还有3人');
    expect(job(0)).toBe('前面还有0人');
    expect(job(null)).toBeUndefined();
    expect(job(undefined)).toBeUndefined();
    expect(job(3, true)).toBeUndefined();
  });

  it('prints in English for a citizen who chose English, and its reprint says so in English', () => {
    const job = buildTicketPrintJob({ ticket, service, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai', peopleAhead: 2, language: 'en' });
    expect(job).toMatchObject({
      hallName: '市政务服务中心',
      label: 'A007',
      serviceName: 'Company registration',
      windows: service.windows.en,
      priorityMark: 'Priority · Senior',
      peopleAheadText: 'People ahead: 2',
      footer: 'Please listen for your number; if missed, take a new one',
      language: 'en',
    });
    expect(reprintJobOf(job).footer).toBe('Reprint · Please listen for your number; if missed, take a new one');
    expect(reprintJobOf(buildTicketPrintJob({ ticket, service, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai' })).footer).toBe('补打 · 请留意叫号，过号请重新取号');
  });

  it('still prints a ticket whose service has left the catalog', () => {
    const job = buildTicketPrintJob({ ticket, service: undefined, hallName: '市政务服务中心', timeZone: 'Asia/Shanghai' });
    expect(job.serviceName).toBe(service.id);
    expect(job.windows).toBeUndefined();
  });
});
