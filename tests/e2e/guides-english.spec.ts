import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { finishTicket } from './support/kiosk-page.ts';
import { expectScreenFits } from './support/screen-fit.ts';
import { stubSpeech } from './support/speech-stub.ts';
import { fullDemoCatalog } from '../support/demo-hall.ts';

// 09:30 in the hall (Asia/Shanghai), counters open.
const hallMorning = Date.parse('2026-11-25T01:30:00Z');
const hallName = '市政务服务中心';
const han = /\p{Script=Han}/u;
const soleTrader = fullDemoCatalog.services.find((s) => s.id === 'sole-trader')!;

test.describe('an English speaker at a standalone kiosk', () => {
  let host: KioskHost;
  test.beforeEach(async () => {
    host = await startKioskHost();
  });
  test.afterEach(async () => {
    await host.stop();
  });

  test('reads a translated guide in English, is told when one is not, and takes away a slip and a ticket in English (issue 13 point 13)', async ({ page }) => {
    await page.clock.install({ time: hallMorning });
    await page.goto(host.url);
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('take-ticket').click();

    // 养老保险关系转移 is not among the translated services: its Chinese texts come with a note.
    await page.getByTestId('dept-social').click();
    await page.getByTestId('service-pension-guide').click();
    await expect(page.getByTestId('guide-name')).toHaveText('Pension transfer');
    const note = page.getByTestId('translation-note');
    await expect(note).toBeVisible();
    await expect(note).toHaveAttribute('data-translation', 'partial');
    await expect(note).toContainText('shown in Chinese');
    await expect(page.getByTestId('guide-materials')).toContainText(han);
    await page.getByTestId('nav-back').click();
    await page.getByTestId('nav-back').click();

    // 个体工商户登记 is translated: every text in English, and no note.
    await page.getByTestId('dept-market').click();
    await page.getByTestId('service-sole-trader-guide').click();
    await expect(page.getByTestId('guide-name')).toHaveText('Sole trader registration');
    await expect(page.getByTestId('translation-note')).toHaveCount(0);
    await expect(page.getByTestId('guide-basics')).toContainText('Registration Section, City Market Regulation Bureau');
    await expect(page.getByTestId('guide-conditions')).toContainText('There are fixed business premises');
    await expect(page.getByTestId('guide-material-agent-id-card')).toContainText("Agent's resident identity card");
    await expect(page.getByTestId('guide-material-agent-id-card')).toContainText('Applies when: When someone else applies on your behalf');
    await expect(page.getByTestId('guide-windows')).toHaveText(soleTrader.windows.en);
    await expect(page.getByTestId('guide-place')).toContainText('Monday to Friday 9:00–12:00');
    // Every text of the guide but the law titles (cited as enacted, and said so) is English.
    const body = page.locator('.guide-body');
    const sections = await body.locator('.guide-section').evaluateAll((all) =>
      all.filter((s) => s.getAttribute('data-testid') !== 'guide-legal-basis').map((s) => (s as HTMLElement).innerText),
    );
    expect(sections.filter((text) => han.test(text))).toEqual([]);
    await expect(page.getByTestId('guide-legal-basis')).toContainText('Laws are cited by their official Chinese titles.');
    await expect(page.getByTestId('guide-summary')).not.toContainText(han);
    await expect(page.getByTestId('guide-name')).not.toContainText(han);
    await page.screenshot({ path: join(import.meta.dirname, '../../docs/guide-english.png') });

    // The checklist in English, and the slip comes out of the printer in English.
    await page.getByTestId('guide-checklist').click();
    await expect(page.getByTestId('checklist')).toBeVisible();
    await expect(page.getByTestId('translation-note')).toHaveCount(0);
    await expect(page.getByTestId('material-application-form')).toContainText('Sole trader registration (filing) application form');
    await page.getByTestId('material-id-card-have').click();
    await page.getByTestId('material-power-of-attorney-not-applicable').click();
    await page.getByTestId('material-agent-id-card-not-applicable').click();
    await page.getByTestId('print-slip').click();
    const state = page.getByTestId('slip-state');
    await expect(state).toHaveAttribute('data-state', 'printed');
    const serial = (await state.getAttribute('data-serial'))!;
    const [slip] = await host.printer.waitForTickets(1, 10_000);
    const lines = slip!.lines;
    expect(lines[0]).toBe(hallName);
    expect(lines[1]).toBe('One-time notice');
    const text = lines.join('\n');
    expect(text).toContain(`Notice no.: ${serial}`);
    expect(text).toContain('Service: Sole trader registration');
    expect(text).toContain('Item code: SC-002');
    expect(lines).toContainEqual(expect.stringMatching(/^MISSING +1\. Sole trader registration$/));
    expect(lines).toContainEqual(expect.stringMatching(/^OK +2\. Trader's resident identity card$/));
    expect(lines.map((l) => l.trim()).join(' ')).toContain('Where to get it: Provided by the applicant (Free at the counter or downloadable online)');
    // Nothing but the hall's name is in Chinese.
    expect(lines.slice(1).filter((l) => han.test(l))).toEqual([]);

    // A number from the guide: the ticket too is in English, the hall's name and the number as they are.
    await page.getByTestId('nav-back').click();
    await page.getByTestId('guide-take').click();
    await page.getByTestId('priority-normal').click();
    await page.getByTestId('confirm-ticket').click();
    await expect(page.getByTestId('ticket-label')).toHaveText('B001');
    await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
    const tickets = await host.printer.waitForTickets(2, 10_000);
    const ticket = tickets[1]!.lines;
    expect(ticket[0]).toBe(hallName);
    expect(ticket.join('\n')).toContain('B001');
    expect(ticket.join('\n')).toContain('Sole trader registration');
    expect(ticket.join('\n')).toContain(soleTrader.windows.en);
    expect(ticket.join(' ')).toContain('Please listen for your number');
    expect(ticket.slice(1).filter((l) => han.test(l))).toEqual([]);
    await finishTicket(page);
  });

  for (const elder of [false, true]) {
    test(`the note leaves every control of an untranslated guide and its checklist on the screen, ${elder ? 'elder mode' : 'normal mode'}`, async ({ page }) => {
      await stubSpeech(page, []);
      await page.clock.install({ time: hallMorning });
      await page.goto(host.url);
      await page.getByTestId('lang-toggle').click();
      if (elder) await page.getByTestId('elder-toggle').click();
      await page.getByTestId('take-ticket').click();
      await page.getByTestId('dept-social').click();
      await page.getByTestId('service-pension-guide').click();
      await expect(page.getByTestId('translation-note')).toBeVisible();
      await expectScreenFits(page, 'untranslated guide');
      await page.getByTestId('guide-checklist').click();
      await expect(page.getByTestId('translation-note')).toBeVisible();
      await expectScreenFits(page, 'untranslated checklist');
    });
  }
});
