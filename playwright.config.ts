import { defineConfig } from '@playwright/test';

export const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export default defineConfig({
  testDir: 'tests',
  testMatch: ['e2e/**/*.spec.ts', 'electron/**/*.spec.ts'],
  timeout: 60_000,
  // Each spec starts its own servers on free ports, so two files run side by side; most of their time is waiting.
  workers: 2,
  reporter: [['list'], ['json', { outputFile: '.tmp/reports/playwright.json' }]],
  use: {
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumFlags },
    viewport: { width: 1080, height: 1920 },
    locale: 'zh-CN',
  },
});
