import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeviceStatusReport, KioskHealthFacts } from '../../../core/kiosk/device-status.ts';
import { backlogGrowingAfterMs, kioskAlerts, kioskOfflineAfterMs, nextBacklog } from '../../../core/kiosk/device-status.ts';
import { revokeDevice } from '../../../server/devices/devices.ts';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { useHallServer } from '../support/hall-under-test.ts';

const minute = 60_000;

function report(change: Partial<DeviceStatusReport> = {}): DeviceStatusReport {
  return { appVersion: '0.1.0', uptimeSeconds: 3_700, pendingEvents: 0, lastSyncError: null, printer: { state: 'ready', paperNearEnd: false }, ...change };
}

describe('kiosk alerts (core)', () => {
  const healthy: KioskHealthFacts = { active: true, lastSeenAt: 0, printer: { state: 'ready', paperNearEnd: false }, pendingEvents: 0, backlog: null };

  it('calls a kiosk offline only after three minutes unseen, and never one that is revoked or not enrolled', () => {
    expect(kioskAlerts(healthy, kioskOfflineAfterMs)).toEqual([]);
    expect(kioskAlerts(healthy, kioskOfflineAfterMs + 1)).toEqual(['offline']);
    expect(kioskAlerts({ ...healthy, lastSeenAt: null }, 0)).toEqual(['offline']);
    expect(kioskAlerts({ ...healthy, active: false, lastSeenAt: null }, 10 * minute)).toEqual([]);
  });

  it('raises a disconnected reader, and low storage by disk or by the browser quota', () => {
    const gb = 1024 ** 3;
    expect(kioskAlerts({ ...healthy, reader: { state: 'disconnected' } }, 0)).toEqual(['reader-disconnected']);
    expect(kioskAlerts({ ...healthy, reader: { state: 'connected' }, diskFreeBytes: 20 * gb, storage: { usedBytes: gb, quotaBytes: 10 * gb } }, 0)).toEqual([]);
    expect(kioskAlerts({ ...healthy, diskFreeBytes: 100 * 1024 * 1024 }, 0)).toEqual(['storage-low']);
    expect(kioskAlerts({ ...healthy, storage: { usedBytes: 9.5 * gb, quotaBytes: 10 * gb } }, 0)).toEqual(['storage-low']);
    expect(kioskAlerts({ ...healthy, storage: { usedBytes: 0, quotaBytes: 0 } }, 0)).toEqual([]);
  });

  it('tells paper out from other printer faults and from paper near its end', () => {
    expect(kioskAlerts({ ...healthy, printer: { state: 'paper-out', paperNearEnd: true } }, 0)).toEqual(['paper-out']);
    expect(kioskAlerts({ ...healthy, printer: { state: 'cover-open', paperNearEnd: false } }, 0)).toEqual(['printer-fault']);
    expect(kioskAlerts({ ...healthy, printer: { state: 'ready', paperNearEnd: true } }, 0)).toEqual(['paper-near-end']);
  });

  it('raises a growing backlog only when the pending count has not gone down for five minutes and grew', () => {
    let backlog = nextBacklog(null, null, 10, 0);
    expect(backlog).toEqual({ since: 0, startPending: 10 });
    backlog = nextBacklog(backlog, 10, 12, 2 * minute);
    expect(backlog).toEqual({ since: 0, startPending: 10 });
    expect(kioskAlerts({ ...healthy, lastSeenAt: 4 * minute, pendingEvents: 12, backlog }, 4 * minute)).toEqual([]);
    expect(kioskAlerts({ ...healthy, lastSeenAt: 5 * minute, pendingEvents: 12, backlog }, backlogGrowingAfterMs)).toEqual(['backlog-growing']);
    // Stuck but not growing is not "growing"; a drop restarts the run; an empty outbox ends it.
    expect(kioskAlerts({ ...healthy, lastSeenAt: 9 * minute, pendingEvents: 10, backlog }, 9 * minute)).toEqual([]);
    expect(nextBacklog(backlog, 12, 11, 6 * minute)).toEqual({ since: 6 * minute, startPending: 11 });
    expect(nextBacklog(backlog, 12, 0, 6 * minute)).toBeNull();
  });
});

describeEngines('kiosk status reports and the status page', (engine) => {
  const hall = useHallServer(engine);
  const kiosk = (name: string) => hall.enrolKiosk(name);

  const send = (k: TestKiosk, body: unknown) => api(hall.server.url, 'POST', '/api/v1/devices/status', { token: k.token, body });

  const login = () => hall.adminPageSession('/admin/kiosks');

  const page = (cookie?: string) => fetch(`${hall.server.url}/admin/kiosks`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });

  it('takes a report from an enrolled kiosk only, checks it, and keeps the latest', async () => {
    const k = await kiosk('东门 1 号机');
    expect((await api(hall.server.url, 'POST', '/api/v1/devices/status', { body: report() })).status).toBe(401);
    const bad = await send(k, { ...report(), pendingEvents: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid-body', field: 'pendingEvents' });
    expect((await send(k, { ...report(), printer: { state: 'melted', paperNearEnd: false } })).body.error.field).toBe('printer.state');

    expect((await send(k, report({ pendingEvents: 4 }))).status).toBe(200);
    expect((await send(k, report({ pendingEvents: 2, printer: { state: 'paper-out', paperNearEnd: true, detail: 'roll empty' }, lastSyncError: 'push: HTTP 500' }))).status).toBe(200);

    expect((await api(hall.server.url, 'GET', '/api/v1/admin/kiosks')).status).toBe(401);
    const admin = await hall.adminToken();
    const listed = await api(hall.server.url, 'GET', '/api/v1/admin/kiosks', { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.kiosks).toEqual([
      {
        id: k.deviceId,
        name: '东门 1 号机',
        state: 'active',
        lastSeenAt: expect.any(Number),
        appVersion: '0.1.0',
        deadLetters: 0,
        report: {
          reportedAt: expect.any(Number),
          uptimeSeconds: 3_700,
          pendingEvents: 2,
          lastSyncError: 'push: HTTP 500',
          printer: { state: 'paper-out', paperNearEnd: true, detail: 'roll empty' },
          backlog: { since: expect.any(Number), startPending: 2 },
          reader: null,
          storage: null,
          diskFreeBytes: null,
          lastError: null,
          runtimeVersions: null,
        },
        alerts: ['paper-out'],
      },
    ]);
  });

  it('is behind the admin login', async () => {
    const anonymous = await page();
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fkiosks');
    expect((await page('hall_admin=hka_forged')).status).toBe(303);
    // An API session token is no page cookie unless it comes as one; a device token never is.
    const k = await kiosk('kiosk');
    expect((await page(`hall_admin=${k.token}`)).status).toBe(303);
    const cookie = await login();
    expect((await page(cookie)).status).toBe(200);
  });

  it('lists every kiosk, highlights paper out, offline and a growing backlog, and escapes what kiosks send', async () => {
    const ok = await kiosk('大厅 2 号机');
    const paper = await kiosk('东门 1 号机');
    const growing = await kiosk('西门 3 号机');
    const evil = await kiosk('<script>alert("name")</script>');
    const revoked = await kiosk('旧机器');
    await revokeDevice(hall.server.db.db, hall.server.clock, revoked.deviceId);
    await hall.server.createDevice('待注册的机器');
    const cookie = await login();

    for (const step of [0, 1, 2]) {
      if (step) hall.server.clock.advance(3 * minute);
      expect((await send(ok, report())).status).toBe(200);
      expect((await send(paper, report({ printer: { state: 'paper-out', paperNearEnd: true } }))).status).toBe(200);
      expect((await send(growing, report({ pendingEvents: 10 + step * 10, lastSyncError: 'push: the hall server did not answer in time' }))).status).toBe(200);
      if (step === 0) expect((await send(evil, report({ appVersion: '1.0<b>', lastSyncError: '<img src=x onerror=alert(1)>', printer: { state: 'error', paperNearEnd: false, detail: '"quoted" & <tag>' } }))).status).toBe(200);
    }

    const response = await page(cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    const html = await response.text();
    // The one inline style sheet is allowed by its hash, and nothing else is.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(html.match(/<style>/g)).toHaveLength(1);
    // The office moves between its pages from here.
    expect(html).toContain('<a href="/admin/hall-calendar">大厅日历</a>');
    expect(html).toContain('<a href="/admin/attendance">考勤通报</a>');
    expect(html).toContain('<strong aria-current="page">自助机状态</strong>');

    const rowOf = (id: string) => new RegExp(`<tr class="(\\w+)" data-kiosk-id="${id}" data-alerts="([^"]*)">(.*?)</tr>`).exec(html);
    expect(rowOf(ok.deviceId)?.slice(1, 3)).toEqual(['ok', '']);
    expect(rowOf(paper.deviceId)?.slice(1, 3)).toEqual(['alert', 'paper-out']);
    expect(rowOf(growing.deviceId)?.slice(1, 3)).toEqual(['alert', 'backlog-growing']);
    expect(rowOf(growing.deviceId)![3]).toContain('>30<');
    expect(rowOf(evil.deviceId)?.slice(1, 3)).toEqual(['alert', 'offline printer-fault']);
    expect(rowOf(revoked.deviceId)?.slice(1, 3)).toEqual(['inactive', '']);
    expect(rowOf(revoked.deviceId)![3]).toContain('已停用');
    expect(html).toContain('待注册');
    expect(html).toContain('<p class="summary alert" data-testid="summary">3 台自助机需要处理</p>');
    expect(html).toContain('6 分钟前');

    // Whatever a kiosk or an admin typed arrives as text, never as markup.
    expect(html).not.toMatch(/<script|<img|<b>|<tag>/);
    expect(html).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('1.0&lt;b&gt;');
    expect(html).toContain('&quot;quoted&quot; &amp; &lt;tag&gt;');
  });

  it('keeps the heartbeat\'s reader, storage, last error and versions, shows them, and alerts on them', async () => {
    const k = await kiosk('南门 4 号机');
    const older = await kiosk('老版本机器');
    const cookie = await login();
    const heartbeat = report({
      reader: { state: 'disconnected' },
      storage: { usedBytes: 12 * 1024 * 1024, quotaBytes: 2 * 1024 ** 3 },
      diskFreeBytes: 300 * 1024 * 1024,
      lastError: 'printer status poll failed: ECONNREFUSED',
      runtimeVersions: 'node 20.19.0 · chrome 138.0',
    });
    expect((await send(k, heartbeat)).status).toBe(200);
    // A kiosk on an older version sends none of the new fields and is still taken.
    expect((await send(older, report())).status).toBe(200);
    expect((await send(k, { ...heartbeat, lastError: 'x'.repeat(301) })).status).toBe(400);

    const admin = await hall.adminToken();
    const listed = (await api(hall.server.url, 'GET', '/api/v1/admin/kiosks', { token: admin })).body.kiosks as Array<{ id: string; report: unknown; alerts: string[] }>;
    expect(listed.find((x) => x.id === k.deviceId)).toMatchObject({
      report: { reader: { state: 'disconnected' }, storage: { usedBytes: 12 * 1024 * 1024, quotaBytes: 2 * 1024 ** 3 }, diskFreeBytes: 300 * 1024 * 1024, lastError: 'printer status poll failed: ECONNREFUSED', runtimeVersions: 'node 20.19.0 · chrome 138.0' },
      alerts: ['reader-disconnected', 'storage-low'],
    });
    expect(listed.find((x) => x.id === older.deviceId)?.alerts).toEqual([]);

    const html = await (await page(cookie)).text();
    const row = new RegExp(`<tr class="(\\w+)" data-kiosk-id="${k.deviceId}" data-alerts="([^"]*)">(.*?)</tr>`).exec(html)!;
    expect(row.slice(1, 3)).toEqual(['alert', 'reader-disconnected storage-low']);
    for (const text of ['指纹仪未连接', '存储空间不足', '本地数据 12 MB / 2.0 GB', '磁盘剩余 300 MB', 'printer status poll failed: ECONNREFUSED', 'node 20.19.0 · chrome 138.0']) expect(row[3]).toContain(text);

    // No heartbeat for over three minutes (server clock): offline, on the page too.
    hall.server.clock.advance(3 * minute + 1);
    const later = await (await page(cookie)).text();
    expect(new RegExp(`data-kiosk-id="${k.deviceId}" data-alerts="offline reader-disconnected storage-low"`).test(later)).toBe(true);
  });
});
