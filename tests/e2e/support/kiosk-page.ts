import { expect, type Page } from '@playwright/test';
import type { PriorityClass } from '../../../core/ticket/ticket.ts';

/** The citizen's path through the kiosk: home → department → service → class → confirm. */
export async function takeNumber(page: Page, departmentId: string, serviceId: string, priority: PriorityClass = 'normal'): Promise<string> {
  await page.getByTestId('take-ticket').click();
  await page.getByTestId(`dept-${departmentId}`).click();
  await page.getByTestId(`service-${serviceId}`).click();
  await page.getByTestId(`priority-${priority}`).click();
  await page.getByTestId('confirm-ticket').click();
  const label = page.getByTestId('ticket-label');
  await expect(label).toBeVisible();
  return (await label.textContent())!.trim();
}

export async function finishTicket(page: Page): Promise<void> {
  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('home')).toBeVisible();
}

export async function openStaffScreen(page: Page, pin: string): Promise<void> {
  await page.getByTestId('staff-entry').click();
  await page.getByTestId('pin-input').fill(pin);
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('staff')).toBeVisible();
}

/**
 * The staff screen's 同步 until every one of `staffIds` shows in the roster (the panel reads the
 * roster when it opens, so it is left and opened again each time): their templates are in the
 * reader then. Leaves the staff screen open.
 */
export async function syncRosterUntil(page: Page, pin: string, staffIds: readonly string[]): Promise<void> {
  if ((await page.getByTestId('staff').count()) === 0) await openStaffScreen(page, pin);
  await expect(async () => {
    await page.getByTestId('sync-now').click();
    await expect(page.getByTestId('sync-panel')).toHaveAttribute('data-connection', 'online', { timeout: 2_000 });
    await page.getByTestId('staff-logout').click();
    await openStaffScreen(page, pin);
    for (const id of staffIds) await expect(page.getByTestId(`roster-${id}`)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}
