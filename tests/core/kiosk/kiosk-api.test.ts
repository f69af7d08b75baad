import { describe, expect, it } from 'vitest';
import { buildKioskApi, kioskMethodNames, parseKioskCall } from '../../../core/kiosk/kiosk-api.ts';
import { catalogSchema } from '../../../core/catalog/catalog.ts';
import { demoCatalog } from '../../support/demo-hall.ts';

const job = { hallName: '市政务服务中心', label: 'A001', serviceName: '企业设立登记', issuedAtText: '2026-11-25 09:30', qrPayload: 'https://hall.example/t/1' };

describe('KioskApi call validation', () => {
  it('accepts a valid call', () => {
    expect(parseKioskCall('printer.print', [job])).toMatchObject({ ok: true, method: 'printer.print' });
  });

  it('refuses unknown methods, prototype keys and bad arguments', () => {
    expect(parseKioskCall('fs.readFile', [])).toMatchObject({ ok: false, error: expect.stringContaining('unknown method') });
    expect(parseKioskCall('toString', [])).toMatchObject({ ok: false });
    expect(parseKioskCall('printer.print', [{ ...job, qrPayload: '二维码' }])).toMatchObject({ ok: false, error: expect.stringContaining('0.qrPayload') });
    expect(parseKioskCall('staff.verifyPin', ['12ab'])).toMatchObject({ ok: false, error: expect.stringContaining('PIN') });
    expect(parseKioskCall('system.info', ['extra'])).toMatchObject({ ok: false });
  });

  it('builds the nested API and validates results', async () => {
    const calls: string[] = [];
    const api = buildKioskApi(async (method) => {
      calls.push(method);
      return method === 'printer.status' ? { state: 'ready', paperNearEnd: false } : { state: 'bogus' };
    }, () => () => undefined);
    await expect(api.printer.status()).resolves.toEqual({ state: 'ready', paperNearEnd: false });
    await expect(api.system.info()).rejects.toThrow();
    expect(calls).toEqual(['printer.status', 'system.info']);
    expect(kioskMethodNames.length).toBeGreaterThan(4);
  });
});

describe('catalog', () => {
  it('ships a valid demo catalog', () => {
    expect(catalogSchema.safeParse(demoCatalog).success).toBe(true);
  });

  it('refuses duplicate prefixes and unknown departments', () => {
    const first = demoCatalog.services[0]!;
    const bad = { ...demoCatalog, services: [...demoCatalog.services, { ...first, id: 'x', departmentId: 'nope' }] };
    const r = catalogSchema.safeParse(bad);
    expect(r.success).toBe(false);
    const messages = r.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('unknown department nope'), expect.stringContaining(`prefix ${first.prefix} is already used`)]));
  });
});
