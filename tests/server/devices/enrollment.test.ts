import { Writable } from 'node:stream';
import { beforeEach, expect, it } from 'vitest';
import { serverTimeHeader } from '../../../core/sync/errors.ts';
import { revokeDevice } from '../../../server/devices/devices.ts';
import { createServerLogger } from '../../../server/http/logger.ts';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import { TestKiosk } from '../support/kiosk.ts';
import { leasesFor } from '../support/number-grants.ts';
import { useHallServer } from '../support/hall-under-test.ts';

describeEngines('devices: enrollment and tokens', (engine) => {
  let logLines: string[];
  beforeEach(() => {
    logLines = [];
  });
  const destination = () =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
  const hall = useHallServer(engine, { server: () => ({ logger: createServerLogger({ level: 'debug', destination: destination() }) }) });

  it('exchanges a one-time code for a token, once', async () => {
    const { enrollmentCode, deviceId } = await hall.server.createDevice('东门 1 号机');
    const first = await api(hall.server.url, 'POST', '/api/v1/devices/enroll', { body: { code: enrollmentCode } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ deviceId, name: '东门 1 号机', token: expect.stringMatching(/^hkd_[A-Za-z0-9_-]{43}$/), epoch: expect.any(String) });

    const again = await api(hall.server.url, 'POST', '/api/v1/devices/enroll', { body: { code: enrollmentCode } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('enrollment-code-invalid');

    const pull = await api(hall.server.url, 'GET', '/api/v1/sync/pull', { token: first.body.token });
    expect(pull.status).toBe(200);
  });

  it('accepts a code typed sloppily (lower case, no dashes, O for 0) but not an expired one', async () => {
    const device = await hall.server.createDevice('kiosk');
    const sloppy = device.enrollmentCode.replace(/-/g, '').toLowerCase().replace(/0/g, 'o');
    expect((await api(hall.server.url, 'POST', '/api/v1/devices/enroll', { body: { code: sloppy } })).status).toBe(200);

    const late = await hall.server.createDevice('late kiosk');
    hall.server.clock.advance(25 * 60 * 60 * 1000);
    const expired = await api(hall.server.url, 'POST', '/api/v1/devices/enroll', { body: { code: late.enrollmentCode } });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('enrollment-code-invalid');
  });

  it('refuses missing, unknown and revoked tokens with 401 and a code the kiosk can show', async () => {
    const device = await hall.server.createDevice('kiosk');
    const kiosk = await TestKiosk.enroll(hall.server.url, device.enrollmentCode);

    const missing = await api(hall.server.url, 'POST', '/api/v1/numbers/next', { body: { serviceId: 'ss-card', priority: 'normal' } });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('token-missing');

    const unknown = await api(hall.server.url, 'GET', '/api/v1/sync/pull', { token: 'hkd_' + 'A'.repeat(43) });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('token-invalid');

    expect((await kiosk.next('ss-card')).status).toBe(200);
    expect(await revokeDevice(hall.server.db.db, hall.server.clock, kiosk.deviceId)).toBe(true);
    for (const response of [await kiosk.next('ss-card'), await kiosk.pull(), await kiosk.push([kiosk.custom('ticket.voided', {}, Date.now())])]) {
      expect(response.status).toBe(401);
      expect(response.body.error).toMatchObject({ code: 'device-revoked', message: expect.stringContaining('revoked') });
    }
  });

  it('puts the server time in every response, errors and unknown routes included', async () => {
    for (const response of [
      await api(hall.server.url, 'GET', '/api/v1/time'),
      await api(hall.server.url, 'GET', '/api/v1/nowhere'),
      await api(hall.server.url, 'POST', '/api/v1/devices/enroll', { body: { code: 'nope' } }),
    ]) {
      const header = Number(response.headers.get(serverTimeHeader));
      expect(header).toBeGreaterThan(Date.parse('2026-03-02T00:00:00Z'));
      expect(response.body.serverTime).toBe(header);
    }
  });

  it('logs no token, no enrollment code and no Authorization header', async () => {
    const device = await hall.server.createDevice('kiosk');
    const kiosk = await TestKiosk.enroll(hall.server.url, device.enrollmentCode);
    await kiosk.pull();
    await api(hall.server.url, 'POST', '/api/v1/devices/enroll', { body: { code: device.enrollmentCode } });
    const log = logLines.join('');
    expect(log).toContain('/api/v1/sync/pull');
    expect(log).not.toContain(kiosk.token);
    expect(log).not.toContain(kiosk.token.slice(4, 20));
    expect(log).not.toContain(device.enrollmentCode);
    expect(log.toLowerCase()).not.toContain('bearer');
  });

  it('limits the rate of enrollment attempts per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await api(hall.server.url, 'POST', '/api/v1/devices/enroll', { body: { code: 'AAAA-AAAA-AAAA-AAAA' } })).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const limited = await api(hall.server.url, 'POST', '/api/v1/devices/enroll', { body: { code: 'AAAA-AAAA-AAAA-AAAA' } });
    expect(limited.body.error.code).toBe('rate-limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describeEngines('admin API and per-device rate limits', (engine) => {
  const hall = useHallServer(engine, { server: { deviceRateLimit: { capacity: 5, refillPerSecond: 0.05 } } });

  it('lets an admin create, list and revoke devices; kiosk routes refuse admin tokens and vice versa', async () => {
    const token = await hall.adminToken();
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/devices')).body.error.code).toBe('token-missing');

    const created = await api(hall.server.url, 'POST', '/api/v1/admin/devices', { token, body: { name: '西门自助机' } });
    expect(created.status).toBe(200);
    const kiosk = await TestKiosk.enroll(hall.server.url, created.body.enrollmentCode, {}, leasesFor(() => hall.server.db.db));
    kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: 1, issuedAt: hall.server.clock.now() });
    await kiosk.push();

    const listed = await api(hall.server.url, 'GET', '/api/v1/admin/devices', { token });
    expect(listed.body.devices).toMatchObject([{ id: kiosk.deviceId, name: '西门自助机', enrolled: true, revokedAt: null, appVersion: 'test-1.0', lastAppliedSeq: 1, deadLetters: 0 }]);
    expect((await api(hall.server.url, 'GET', '/api/v1/sync/pull', { token })).body.error.code).toBe('token-invalid');
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/devices', { token: kiosk.token })).body.error.code).toBe('token-invalid');

    expect((await api(hall.server.url, 'POST', `/api/v1/admin/devices/${kiosk.deviceId}/revoke`, { token })).status).toBe(200);
    expect((await kiosk.pull()).body.error.code).toBe('device-revoked');
    expect((await api(hall.server.url, 'POST', `/api/v1/admin/devices/${kiosk.deviceId}/revoke`, { token })).status).toBe(404);
  });

  it('limits each device separately, with 429 and retry-after', async () => {
    const a = await hall.enrolKiosk('a');
    const b = await hall.enrolKiosk('b');
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await a.next('ss-card')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await a.next('ss-card');
    expect(limited.body.error.code).toBe('rate-limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(1);
    expect((await b.next('ss-card')).status).toBe(200);
  });
});
