import { expect, type Page } from '@playwright/test';
import type { PriorityClass } from '../../../core/ticket.ts';

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
