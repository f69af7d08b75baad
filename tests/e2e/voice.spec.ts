import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { chromiumFlags } from '../../playwright.config.ts';
import { voiceClipsPath } from '../../core/http/contract.ts';
import { startServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { defaultVoicePackDir } from '../../server/voice/voice-clips.ts';
import { freePort } from '../support/free-port.ts';

// The clip voice in a real Chromium: the voice check page (/voice) plays a call from the default
// clip pack setup generated (data/voice/default), decoded and scheduled by Web Audio. Headless
// Chromium has no Chinese speechSynthesis voice, so the page's automatic choice is the clips too.
test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: [...chromiumFlags, '--autoplay-policy=no-user-gesture-required'] } });
test.describe.configure({ mode: 'serial' });

const packReady = existsSync(join(defaultVoicePackDir, 'chime.wav'));
let dir: string;
let server: RunningServer;

test.beforeAll(async () => {
  test.skip(!packReady, `no clip pack in ${defaultVoicePackDir}: run scripts/setup.sh (it needs espeak-ng and sox)`);
  dir = mkdtempSync(join(tmpdir(), 'hall-voice-e2e-'));
  server = await startServer({
    target: { sqliteFile: join(dir, 'hall.sqlite') },
    port: await freePort(),
    clock: { now: () => Date.now() },
    logger: createServerLogger({ level: 'silent' }),
    seed: null,
    voiceClips: { hallDir: join(dir, 'hall-recordings') },
  });
});

test.afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The clips the page asks the server for, in order. */
function clipRequests(page: Page): string[] {
  const asked: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith(voiceClipsPath)) asked.push(path.slice(voiceClipsPath.length));
  });
  return asked;
}

async function call(page: Page, ticket: string, windowNumber: number) {
  await page.getByTestId('voice-ticket').fill(ticket);
  await page.getByTestId('voice-window').fill(String(windowNumber));
  await page.getByTestId('voice-play').click();
}

test('the clip voice fetches the clips of a call in order, plays it to the end, then the next', async ({ page }) => {
  // Played in real time: three calls, each a chime and the words twice, take about 30 s.
  test.setTimeout(120_000);
  const asked = clipRequests(page);
  await page.goto(`${server.url}/voice`);
  const log = page.getByTestId('voice-log').locator('li');

  await call(page, 'A001', 3);
  await expect(log.nth(0)).toHaveAttribute('data-engine', 'clips');
  await expect(log.nth(0)).toHaveAttribute('data-outcome', 'played', { timeout: 20_000 });
  await expect(log.nth(0)).toContainText('请 A001 号到 3 号窗口办理');
  // Each clip once, in the order the announcement first says it: chime, 请 A 零 一 号 到 三 窗口 办理.
  expect(asked).toEqual(['chime', 'qing', 'letter-a', 'ling', 'yi', 'hao', 'dao', 'san', 'chuangkou', 'banli']);

  // Two calls pressed at once: the second waits for the first to be said to its end.
  const started = Date.now();
  await call(page, 'B012', 110);
  await call(page, 'C7', 20);
  await expect(log.nth(1)).toHaveAttribute('data-outcome', 'played', { timeout: 20_000 });
  await expect(log.nth(2)).toHaveAttribute('data-outcome', 'playing');
  await expect(log.nth(2)).toHaveAttribute('data-outcome', 'played', { timeout: 20_000 });
  // The new clips only, as first said: B 二 (B012), 百 十 (一百一十), then C 七 (C7 to 二十).
  expect(asked.slice(10)).toEqual(['letter-b', 'er', 'bai', 'shi', 'letter-c', 'qi']);
  // Both said in full: a chime and the words twice each take seconds, not the moment a cut-off would.
  expect(Date.now() - started).toBeGreaterThan(2 * 3000);
});

test('a ticket number the voice cannot read is refused on the page, nothing fetched', async ({ page }) => {
  const asked = clipRequests(page);
  await page.goto(`${server.url}/voice?engine=clips`);
  await call(page, 'A-01', 3);
  await expect(page.getByRole('alert')).toContainText('A-01');
  await expect(page.getByTestId('voice-log').locator('li')).toHaveCount(0);
  expect(asked).toEqual([]);
});
