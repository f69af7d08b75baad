import { describe, expect, it } from 'vitest';
import {
  GarbledStatusError,
  composePrinterStatus,
  decodeStatusByte,
  jobAckRequest,
  paperNearEndFromAck,
  statusRequest,
} from '../../hardware/printer/status.ts';
import type { StatusReplies, StatusRequestKind } from '../../hardware/printer/status.ts';

describe('status requests', () => {
  it('are DLE EOT n and GS r 1', () => {
    expect([1, 2, 3, 4].map((n) => statusRequest(n as StatusRequestKind).toString('hex'))).toEqual(['100401', '100402', '100403', '100404']);
    expect(jobAckRequest.toString('hex')).toBe('1d7201');
  });
});

describe('decodeStatusByte', () => {
  it('n=1 printer status: bit 3 offline', () => {
    expect(decodeStatusByte(1, 0x12)).toEqual({ n: 1, offline: false });
    expect(decodeStatusByte(1, 0x1a)).toEqual({ n: 1, offline: true });
    // bits 2 (drawer), 5, 6 do not make it offline
    expect(decodeStatusByte(1, 0x76)).toEqual({ n: 1, offline: false });
  });

  it('n=2 offline cause: bit 2 cover, 3 feed button, 5 paper end, 6 error', () => {
    const none = { n: 2, coverOpen: false, feedButtonPressed: false, stoppedByPaperEnd: false, errorOccurred: false };
    expect(decodeStatusByte(2, 0x12)).toEqual(none);
    expect(decodeStatusByte(2, 0x16)).toEqual({ ...none, coverOpen: true });
    expect(decodeStatusByte(2, 0x1a)).toEqual({ ...none, feedButtonPressed: true });
    expect(decodeStatusByte(2, 0x32)).toEqual({ ...none, stoppedByPaperEnd: true });
    expect(decodeStatusByte(2, 0x52)).toEqual({ ...none, errorOccurred: true });
    expect(decodeStatusByte(2, 0x76)).toEqual({ n: 2, coverOpen: true, feedButtonPressed: false, stoppedByPaperEnd: true, errorOccurred: true });
  });

  it('n=3 error cause: bit 2 recoverable, 3 autocutter, 5 unrecoverable, 6 auto-recoverable', () => {
    const none = { n: 3, recoverable: false, autocutter: false, unrecoverable: false, autoRecoverable: false };
    expect(decodeStatusByte(3, 0x12)).toEqual(none);
    expect(decodeStatusByte(3, 0x16)).toEqual({ ...none, recoverable: true });
    expect(decodeStatusByte(3, 0x1a)).toEqual({ ...none, autocutter: true });
    expect(decodeStatusByte(3, 0x32)).toEqual({ ...none, unrecoverable: true });
    expect(decodeStatusByte(3, 0x52)).toEqual({ ...none, autoRecoverable: true });
  });

  it('n=4 roll sensor: 0x0c near end, 0x60 paper end, either bit of each pair', () => {
    expect(decodeStatusByte(4, 0x12)).toEqual({ n: 4, nearEnd: false, paperEnd: false });
    expect(decodeStatusByte(4, 0x1e)).toEqual({ n: 4, nearEnd: true, paperEnd: false });
    expect(decodeStatusByte(4, 0x16)).toEqual({ n: 4, nearEnd: true, paperEnd: false });
    expect(decodeStatusByte(4, 0x72)).toEqual({ n: 4, nearEnd: false, paperEnd: true });
    expect(decodeStatusByte(4, 0x32)).toEqual({ n: 4, nearEnd: false, paperEnd: true });
    expect(decodeStatusByte(4, 0x7e)).toEqual({ n: 4, nearEnd: true, paperEnd: true });
  });

  it.each([0x00, 0xff, 0x10, 0x02, 0x13, 0x92, 0x0c, 0x60])('rejects byte %i as garbled for every n (fixed bits wrong)', (byte) => {
    for (const n of [1, 2, 3, 4] as StatusRequestKind[]) {
      expect(() => decodeStatusByte(n, byte)).toThrow(GarbledStatusError);
    }
  });
});

describe('composePrinterStatus', () => {
  const replies = (r1: number, r2: number, r4: number, r3?: number): StatusReplies => ({
    printer: decodeStatusByte(1, r1),
    offlineCause: decodeStatusByte(2, r2),
    paperSensor: decodeStatusByte(4, r4),
    errorCause: r3 === undefined ? undefined : decodeStatusByte(3, r3),
  });

  it('all well', () => {
    expect(composePrinterStatus(replies(0x12, 0x12, 0x12))).toEqual({ state: 'ready', paperNearEnd: false });
  });

  it('ready with the roll nearly used up', () => {
    expect(composePrinterStatus(replies(0x12, 0x12, 0x1e))).toMatchObject({ state: 'ready', paperNearEnd: true });
  });

  it('paper out, from the roll sensor or the offline cause', () => {
    expect(composePrinterStatus(replies(0x1a, 0x32, 0x7e))).toMatchObject({ state: 'paper-out', paperNearEnd: true });
    expect(composePrinterStatus(replies(0x1a, 0x32, 0x12)).state).toBe('paper-out');
  });

  it('cover open wins over the paper sensor it blinds', () => {
    expect(composePrinterStatus(replies(0x1a, 0x36, 0x72))).toMatchObject({ state: 'cover-open', detail: 'printer cover is open' });
  });

  it('error with its cause', () => {
    const status = composePrinterStatus(replies(0x1a, 0x52, 0x12, 0x1a));
    expect(status.state).toBe('error');
    expect(status.detail).toContain('autocutter');
    expect(composePrinterStatus(replies(0x1a, 0x52, 0x12, 0x32)).detail).toContain('unrecoverable');
  });

  it('offline without another cause', () => {
    expect(composePrinterStatus(replies(0x1a, 0x12, 0x12))).toMatchObject({ state: 'offline', detail: 'printer reports offline' });
    expect(composePrinterStatus(replies(0x1a, 0x1a, 0x12)).detail).toContain('feed button');
  });

  it('reads near end from the GS r 1 reply', () => {
    expect(paperNearEndFromAck(0x00)).toBe(false);
    expect(paperNearEndFromAck(0x03)).toBe(true);
    expect(paperNearEndFromAck(0x0c)).toBe(false);
  });
});
