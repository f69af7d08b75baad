import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { hallApi } from '../../../core/http/contract.ts';
import { pathOf } from '../../../core/http/route-contract.ts';
import { createAdminUser } from '../../../server/admin/admin-users.ts';
import type { RunningServer } from '../../../server/embedded.ts';

export const counterStaff = { staffId: '3101', pin: '135790', window: 3 } as const;

/** The hall office's set-up of a counter, over the admin API: staff member 3101 with a PIN, window 3 for 企业设立登记 (A). */
export async function setUpCounter(server: RunningServer): Promise<void> {
  const clock = { now: () => Date.now() };
  await createAdminUser(server.db.db, clock, 'office', 'correct horse battery');
  const login = await fetch(`${server.url}${pathOf(hallApi.adminLogin)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'office', password: 'correct horse battery' }) });
  const { token } = (await login.json()) as { token: string };
  const admin = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBe(200);
  };
  await admin('POST', pathOf(hallApi.adminStaffAdd), { id: counterStaff.staffId, name: '李明', departmentId: 'market', counter: '3号窗口' });
  await admin('PUT', pathOf(hallApi.adminWindow, { params: { number: counterStaff.window } }), { name: '3号窗口', departmentId: 'market', profile: { main: ['biz-registration'], extra: [] }, hasEvaluator: false });
  await admin('PUT', pathOf(hallApi.adminCounterPin, { params: { id: counterStaff.staffId } }), { pin: counterStaff.pin });
}

/** A window PC's browser: 1366×768, Chinese. */
export function counterContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
}

/** Opens /counter and signs in at window 3; resolves when the desk is live. */
export async function signInAtCounter(page: Page, serverUrl: string): Promise<void> {
  await page.goto(`${serverUrl}/counter`);
  await page.getByTestId('sign-in-staff').fill(counterStaff.staffId);
  await page.getByTestId('sign-in-pin').fill(counterStaff.pin);
  await page.getByTestId('sign-in-window').fill(String(counterStaff.window));
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('counter-desk')).toHaveAttribute('data-online', 'true', { timeout: 15_000 });
}
