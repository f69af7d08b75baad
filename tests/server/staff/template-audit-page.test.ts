import { randomBytes } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { parseTemplateKey } from '../../../server/staff/template-key.ts';
import { describeEngines } from '../support/engines.ts';
import { grantEnrolmentAs } from '../support/grants.ts';
import { api } from '../support/http.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { inspect } from '../support/servers.ts';

const shanghai = (wall: string): number => Date.parse(`${wall.replace(' ', 'T')}:00+08:00`);

/** A synthetic AS608 character file: 512 bytes. */
const fingerTemplate = (seed: number): Buffer => Buffer.from(Array.from({ length: 512 }, (_, i) => (seed * 31 + i * 7) & 0xff));

/** The table rows of the page, each as its cells' text (tags dropped, <br> as a space). */
function rowsOf(html: string): string[][] {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map(([, row]) => [...row!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map(([, cell]) => cell!.replace(/<br>/g, ' ').replace(/<[^>]+>/g, '').trim()));
}

describeEngines('the 指纹登记记录 page', (engine) => {
  const hall = useHallServer(engine, { server: () => ({ templateKey: parseTemplateKey(randomBytes(32).toString('base64'), 'test key') }), kiosk: '一楼东侧自助机' });
  let cookie: string;
  let adminToken: string;

  beforeEach(async () => {
    // The hall's morning, before the session: moving the clock months on would end the session.
    hall.clock.setTo(shanghai('2026-12-02 09:10'));
    cookie = await hall.adminPageSession('/admin/template-audit');
    adminToken = await hall.adminToken();
    const staff = [
      { id: '1001', name: '欧阳雪梅', departmentId: 'market', counter: '3号窗口' },
      { id: '1002', name: '<script>alert(1)</script>', departmentId: 'market', counter: '4号窗口' },
      { id: 'ADM1', name: '王管理', departmentId: 'market', counter: null, role: 'admin' },
    ];
    for (const body of staff) expect((await api(hall.server.url, 'POST', '/api/v1/admin/staff', { token: adminToken, body })).status).toBe(200);
    for (const staffId of ['1001', '1002']) await grantEnrolmentAs(hall.server.url, adminToken, staffId, hall.kiosk.deviceId, 240);
  });

  const upload = async (staffId: string, finger: number, seed: number, authorisedBy: Record<string, unknown>) => {
    const response = await api(hall.server.url, 'PUT', `/api/v1/staff/${staffId}/templates/${finger}`, { token: hall.kiosk.token, body: { template: fingerTemplate(seed).toString('base64'), authorisedBy } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  };
  const page = async (query = '', session: string | null = cookie) => {
    const response = await fetch(`${hall.server.url}/admin/template-audit${query}`, { headers: session ? { cookie: session } : {}, redirect: 'manual' });
    return { response, html: await response.text() };
  };

  it('is behind the admin login', async () => {
    const anonymous = await page('?staff=1001', null);
    expect(anonymous.response.status).toBe(303);
    expect(anonymous.response.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Ftemplate-audit%3Fstaff%3D1001');
    expect((await page('', 'hall_admin=hka_forged')).response.status).toBe(303);
  });

  it('lists an enrolment and a re-enrolment, newest first, with who, which finger, when (hall time), which kiosk and who authorised it', async () => {
    hall.clock.setTo(shanghai('2026-12-02 09:14'));
    await upload('1001', 1, 1, { method: 'pin' });
    hall.clock.setTo(shanghai('2026-12-02 10:02'));
    await upload('1001', 1, 2, { method: 'admin-finger', staffId: 'ADM1' });

    const { response, html } = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(html).not.toContain('<script');
    expect(html).toContain('<strong aria-current="page">指纹登记记录</strong>');
    expect(rowsOf(html)).toEqual([
      ['2026-12-02 10:02', '欧阳雪梅 工号 1001', '右手食指', '重新登记', `一楼东侧自助机 ${hall.kiosk.deviceId}`, '管理员指纹：王管理 工号 ADM1', '管理员 admin'],
      ['2026-12-02 09:14', '欧阳雪梅 工号 1001', '右手食指', '新登记', `一楼东侧自助机 ${hall.kiosk.deviceId}`, '管理密码（PIN）', '管理员 admin'],
    ]);
    expect(html).not.toContain('data-testid="truncated"');
  });

  it('filters by 工号, escapes a staff name, and refuses a 工号 that cannot be one', async () => {
    hall.clock.setTo(shanghai('2026-12-02 09:14'));
    await upload('1001', 1, 1, { method: 'pin' });
    await upload('1002', 6, 3, { method: 'pin' });

    const all = await page();
    expect(rowsOf(all.html).map((r) => r[1])).toEqual(['&lt;script&gt;alert(1)&lt;/script&gt; 工号 1002', '欧阳雪梅 工号 1001']);
    expect(all.html).not.toContain('<script>alert(1)');

    const one = await page('?staff=1002');
    expect(one.response.status).toBe(200);
    expect(rowsOf(one.html)).toEqual([['2026-12-02 09:14', '&lt;script&gt;alert(1)&lt;/script&gt; 工号 1002', '左手食指', '新登记', `一楼东侧自助机 ${hall.kiosk.deviceId}`, '管理密码（PIN）', '管理员 admin']]);
    expect(one.html).toContain('name="staff" value="1002"');

    const nobody = await page('?staff=9999');
    expect(rowsOf(nobody.html)).toEqual([['工号 9999 没有指纹登记记录']]);

    const bad = await page(`?staff=${encodeURIComponent('"><b>x')}`);
    expect(bad.response.status).toBe(400);
    expect(bad.html).toContain('data-testid="filter-error"');
    expect(bad.html).toContain('value="&quot;&gt;&lt;b&gt;x"');
    expect(bad.html).not.toContain('<b>x');
  });

  it('shows at most 200 rows and says so when there are more', async () => {
    await inspect(hall.db, (db) =>
      db
        .insertInto('template_audit')
        .values(Array.from({ length: 201 }, (_, i) => ({ revision: i + 1, staff_id: '1001', finger: 1, device_id: null, authorised_method: 'pin', authorised_staff_id: null, replaced: i === 0 ? 0 : 1, at: shanghai('2026-12-01 08:00') + i * 60_000 })))
        .execute(),
    );
    const { html } = await page();
    const rows = rowsOf(html);
    expect(rows).toHaveLength(200);
    expect(rows[0]![0]).toBe('2026-12-01 11:20');
    expect(html).toContain('只显示最近 200 条');
  });

  it("opens enrolment for one staff member at one kiosk with the page's form: the kiosk's upload is taken only then; a form without the page's token changes nothing", async () => {
    const before = await page();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(before.html)![1]!;
    expect(before.html).toContain(`<option value="${hall.kiosk.deviceId}">一楼东侧自助机</option>`);
    const upload = () => api(hall.server.url, 'PUT', '/api/v1/staff/ADM1/templates/2', { token: hall.kiosk.token, body: { template: fingerTemplate(9).toString('base64'), authorisedBy: { method: 'pin' } } });
    const refused = await upload();
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('enrolment-not-granted');

    const own = hall.server.url;
    const post = (values: Record<string, string>) =>
      fetch(`${own}/admin/template-audit/grants`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: own, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(values).toString() });
    const grants = () => inspect(hall.db, (k) => k.selectFrom('enrolment_grants').select(['staff_id', 'device_id', 'granted_by']).where('staff_id', '=', 'ADM1').execute());
    const form = { staffId: 'ADM1', deviceId: hall.kiosk.deviceId, minutes: '15' };
    const tokenless = await post(form);
    expect(tokenless.status).toBe(403);
    expect(await grants()).toEqual([]);

    const unknown = await post({ ...form, _csrf: csrf, staffId: '9999' });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('未开通：名册中没有工号 9999');
    const granted = await post({ ...form, _csrf: csrf });
    expect(granted.status).toBe(303);
    const location = granted.headers.get('location')!;
    expect(location).toMatch(/^\/admin\/template-audit\?granted=[0-9a-f-]+#grants$/);
    expect(await grants()).toEqual([{ staff_id: 'ADM1', device_id: hall.kiosk.deviceId, granted_by: 'office' }]);
    const shown = await page(location.replace('/admin/template-audit', '').replace('#grants', ''));
    expect(shown.html).toContain(`已开通：王管理（工号 ADM1）可在 一楼东侧自助机 录入指纹，2026-12-02 09:25 前有效`);
    expect(shown.html).toMatch(/<tr data-grant-id="[^"]+"><td>王管理<br><span class="muted">工号 ADM1<\/span><\/td>/);

    expect((await upload()).status).toBe(200);
  });

  it('is in the nav of the other admin pages', async () => {
    for (const path of ['/admin/kiosks', '/admin/attendance', '/admin/hall-calendar']) {
      const response = await fetch(`${hall.server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toContain('<a href="/admin/template-audit">指纹登记记录</a>');
    }
  });
});
