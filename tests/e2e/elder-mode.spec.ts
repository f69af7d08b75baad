import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { seen } from './support/computed-style.ts';
import { addVoice, spoken, stubSpeech } from './support/speech-stub.ts';

// 长辈模式 on a standalone host-mode kiosk in Chromium, with the platform's speech replaced by a
// recorder (a machine with a Mandarin voice, one with none) and the page's clock injected.
const hallMorning = Date.parse('2026-11-25T01:30:00Z');
const mandarin = { lang: 'zh-CN', name: 'Test 普通话', localService: true };
const cantonese = { lang: 'zh-HK', name: 'Test 粵語', localService: true };
const english = { lang: 'en-US', name: 'Test English', localService: true };

let host: KioskHost;
/** data directories a test made itself (startKioskHost removes only its own) */
let ownDirs: string[] = [];
test.beforeEach(async () => {
  host = await startKioskHost();
});
test.afterEach(async () => {
  await host.stop();
  for (const dir of ownDirs) rmSync(dir, { recursive: true, force: true });
  ownDirs = [];
});

async function openKiosk(page: Page): Promise<void> {
  await page.clock.install({ time: hallMorning });
  await page.goto(host.url);
  await expect(page.getByTestId('home')).toBeVisible();
}

const elderOn = (page: Page) => expect(page.getByTestId('elder-toggle')).toHaveAttribute('aria-pressed', 'true');
const elderOff = (page: Page) => expect(page.getByTestId('elder-toggle')).toHaveAttribute('aria-pressed', 'false');

test('elder mode makes type larger, contrast higher and targets bigger, past the MIIT 适老化 minimums', async ({ page }) => {
  await stubSpeech(page, [mandarin]);
  await openKiosk(page);
  const hint = page.locator('.hint').first();
  const take = page.getByTestId('take-ticket').locator('.take-hint');
  const language = page.getByTestId('lang-toggle');
  const before = { hint: await seen(hint), take: await seen(take), language: await seen(language) };
  await expect(page.getByTestId('elder-toggle')).toContainText('长辈模式');
  await elderOff(page);
  await expect(page.getByTestId('elder-prompt')).toHaveCount(0);
  // The switch and everything below it fit on the screen, in either mode.
  await expect(page.getByTestId('elder-toggle')).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId('staff-checkin')).toBeInViewport({ ratio: 1 });

  await page.getByTestId('elder-toggle').click();
  await elderOn(page);
  await expect(page.getByTestId('elder-toggle')).toContainText('退出长辈模式');
  await expect(page.getByTestId('elder-toggle')).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId('staff-checkin')).toBeInViewport({ ratio: 1 });
  const after = { hint: await seen(hint), take: await seen(take), language: await seen(language) };

  // Type: larger, and never under 40 px (the specs' 18 pt is 24 px).
  expect(after.hint.fontSizePx).toBeGreaterThan(before.hint.fontSizePx);
  expect(after.take.fontSizePx).toBeGreaterThan(before.take.fontSizePx);
  expect(after.hint.fontSizePx).toBeGreaterThanOrEqual(40);
  // Contrast: higher than the normal kiosk's, and far past 4.5:1.
  expect(after.take.contrast).toBeGreaterThan(before.take.contrast);
  expect(after.hint.contrast).toBeGreaterThan(before.hint.contrast);
  expect(after.take.contrast).toBeGreaterThanOrEqual(15);
  // Targets: larger, and at least 128 px each way (the specs ask for 60 × 60).
  expect(after.language.height).toBeGreaterThan(before.language.height);
  expect(after.language.height).toBeGreaterThanOrEqual(128);
  expect(after.language.width).toBeGreaterThanOrEqual(128);
  const toggle = await seen(page.getByTestId('elder-toggle'));
  expect(toggle.height).toBeGreaterThanOrEqual(128);

  // Every screen gets it: the department list too.
  await page.getByTestId('take-ticket').click();
  const department = await seen(page.getByTestId('dept-market').locator('.choice-name'));
  expect(department.fontSizePx).toBeGreaterThanOrEqual(52);
  expect((await seen(page.getByTestId('dept-market'))).height).toBeGreaterThanOrEqual(128);
});

test('with a Mandarin voice each screen is spoken in zh-CN, the number digit by digit; the next citizen starts in normal mode', async ({ page }) => {
  await stubSpeech(page, [cantonese, mandarin, english]);
  await openKiosk(page);
  expect(await spoken(page)).toEqual([]);
  await page.getByTestId('elder-toggle').click();

  const prompt = page.getByTestId('elder-prompt');
  await expect(prompt).toHaveAttribute('data-voice', 'spoken');
  await expect(prompt).toContainText('取号请点“取号”');
  await expect(page.getByTestId('elder-no-voice')).toHaveCount(0);
  await expect.poll(async () => (await spoken(page)).at(-1)).toEqual({ text: '您好！取号请点“取号”，查看要带的材料请点“办事指南”', lang: 'zh-CN', voice: 'Test 普通话', rate: 0.85 });

  await page.getByTestId('take-ticket').click();
  await expect.poll(async () => (await spoken(page)).at(-1)?.text).toBe('请选择您要办事的部门');
  await page.getByTestId('dept-market').click();
  await expect.poll(async () => (await spoken(page)).at(-1)?.text).toBe('请选择您要办理的事项');
  await page.getByTestId('service-biz-registration').click();
  await expect.poll(async () => (await spoken(page)).at(-1)?.text).toContain('请选择优先取号');
  await page.getByTestId('priority-elderly').click();
  await page.getByTestId('confirm-ticket').click();
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  await expect(prompt).toContainText('您的号码是 A001');
  await expect.poll(async () => (await spoken(page)).at(-1)?.text).toBe('取号成功，您的号码是 A 0 0 1。请拿好小票，留意叫号');
  expect((await spoken(page)).every((u) => u.lang === 'zh-CN' && u.voice === 'Test 普通话')).toBe(true);

  // Ticket in hand: the kiosk is ready for the next citizen, in normal mode.
  await page.getByTestId('ticket-done').click();
  await elderOff(page);
  await expect(prompt).toHaveCount(0);
  expect(await page.evaluate(() => document.documentElement.classList.contains('elder-mode'))).toBe(false);
});

test('with no voice the prompt stays on screen with a clear note; a voice that arrives later is used', async ({ page }) => {
  await stubSpeech(page, [cantonese]);
  await openKiosk(page);
  await page.getByTestId('elder-toggle').click();
  const prompt = page.getByTestId('elder-prompt');
  await expect(prompt).toHaveAttribute('data-voice', 'none');
  await expect(prompt).toContainText('取号请点“取号”');
  await expect(page.getByTestId('elder-no-voice')).toHaveText('本机无语音播报，请看屏幕上的提示');
  await page.getByTestId('take-ticket').click();
  await expect(prompt).toContainText('请选择您要办事的部门');
  // Cantonese is not Mandarin: nothing was said.
  expect(await spoken(page)).toEqual([]);

  // In English the note is English.
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByTestId('elder-no-voice')).toHaveText('No voice on this kiosk: please read the prompts on screen');

  // The platform's voice list arrives late (as Chromium's does): the prompt is spoken from then on.
  await addVoice(page, english);
  await expect(prompt).toHaveAttribute('data-voice', 'spoken');
  await expect(page.getByTestId('elder-no-voice')).toHaveCount(0);
  await expect.poll(async () => (await spoken(page)).at(-1)).toEqual({ text: 'Please choose the department', lang: 'en-US', voice: 'Test English', rate: 0.85 });
});

test('elder mode waits three times longer before it starts over, then returns to normal', async ({ page }) => {
  await stubSpeech(page, []);
  await openKiosk(page);
  // Normal mode: the hall's 60 s.
  await page.getByTestId('take-ticket').click();
  await page.clock.runFor(59_000);
  await expect(page.getByTestId('departments')).toBeVisible();
  await page.clock.runFor(2_000);
  await expect(page.getByTestId('home')).toBeVisible();

  await page.getByTestId('elder-toggle').click();
  await page.getByTestId('take-ticket').click();
  await page.clock.runFor(61_000);
  await expect(page.getByTestId('departments')).toBeVisible();
  await page.clock.runFor(118_000);
  await expect(page.getByTestId('departments')).toBeVisible();
  await page.clock.runFor(2_000);
  await expect(page.getByTestId('home')).toBeVisible();
  await elderOff(page);
});

test('a hall that sets elderModeDefault starts every citizen in elder mode', async ({ page }) => {
  // A first start writes the config; the hall turns the default on and restarts the kiosk.
  await host.stop();
  const dataDir = mkdtempSync(join(tmpdir(), 'hall-kiosk-elder-'));
  ownDirs.push(dataDir);
  host = await startKioskHost({ dataDir });
  await host.stop();
  const config = join(dataDir, 'config.json');
  writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), elderModeDefault: true }));
  host = await startKioskHost({ dataDir });
  await stubSpeech(page, [mandarin]);
  await openKiosk(page);
  await elderOn(page);
  // A citizen may still switch it off for themselves; the next one gets it back.
  await page.getByTestId('elder-toggle').click();
  await elderOff(page);
  await page.getByTestId('take-ticket').click();
  await page.clock.runFor(61_000);
  await expect(page.getByTestId('home')).toBeVisible();
  await elderOn(page);
});

test('with no Chinese voice the clip voice bundled with the kiosk says the number just taken', async ({ page }) => {
  const clips: string[] = [];
  page.on('request', (request) => {
    const match = /\/voice\/([a-z-]+)\.wav$/.exec(new URL(request.url()).pathname);
    if (match) clips.push(match[1]!);
  });
  await stubSpeech(page, [cantonese]);
  await openKiosk(page);
  await page.getByTestId('elder-toggle').click();
  const prompt = page.getByTestId('elder-prompt');
  // The clips say only numbers: the other screens keep their note.
  await expect(prompt).toHaveAttribute('data-voice', 'none');
  await page.getByTestId('take-ticket').click();
  await page.getByTestId('dept-market').click();
  await page.getByTestId('service-biz-registration').click();
  await page.getByTestId('priority-elderly').click();
  await page.getByTestId('confirm-ticket').click();
  await expect(page.getByTestId('ticket-print-state')).toHaveAttribute('data-state', 'printed');
  await expect(prompt).toContainText('您的号码是 A001');
  await expect(prompt).toHaveAttribute('data-voice', 'clips');
  await expect(page.getByTestId('elder-no-voice')).toHaveCount(0);
  // 您的号码是 (loaded ahead as the check that the clips are there), then A 零 一, each once.
  await expect.poll(() => clips).toEqual(['nindehaomashi', 'letter-a', 'ling', 'yi']);
  expect(await spoken(page)).toEqual([]);
});
