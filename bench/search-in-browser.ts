// `npm run bench search`: bench/search.ts as the kiosk runs it, inside Debian's Chromium (the
// renderer is where citizens type), and in Node beside it for comparison. The search module is
// bundled with esbuild into one script, so the page loads exactly the code the figures are of.
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { build } from 'esbuild';
import { chromiumFlags } from '../playwright.config.ts';
import { readDemoCatalog } from '../server/catalog/demo-catalog.ts';
import { round, runSearchBench, useDemoHall } from './search.ts';
import type { DemoHall, measureColdBuild } from './search.ts';

type SearchFigures = Awaited<ReturnType<typeof runSearchBench>>;
interface BenchGlobals {
  runSearchBench: typeof runSearchBench;
  measureColdBuild: typeof measureColdBuild;
  useDemoHall: typeof useDemoHall;
}

/**
 * Cold builds measured, each in a browser context of its own (its own renderer process, so no
 * compiled code, dictionary or memo survives from the one before). The median is the figure:
 * one build on a shared machine can be slowed by whatever else runs at that moment.
 */
const coldBuilds = 7;

async function searchBundle(): Promise<string> {
  const result = await build({
    stdin: { contents: "import { measureColdBuild, runSearchBench } from './search.ts';\nimport { useDemoHall } from './search.ts';\nObject.assign(globalThis, { measureColdBuild, runSearchBench, useDemoHall });\n", resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

function demoContent(): DemoHall {
  const { catalog, guides } = readDemoCatalog('full');
  return { catalog, guides };
}

async function inFreshPage<T>(browser: Browser, script: string, run: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.setContent('<!doctype html><meta charset="utf-8"><title>search bench</title>');
    await page.addScriptTag({ content: script });
    await page.evaluate((content) => (globalThis as unknown as BenchGlobals).useDemoHall(content), demoContent());
    return await run(page);
  } finally {
    await context.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function runSearchBenchInBrowser(): Promise<Record<string, number | string | Record<string, number>>> {
  const script = await searchBundle();
  const loadBefore = loadavg()[0]!;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumFlags });
  const version = browser.version();
  const builds: number[] = [];
  let inBrowser: SearchFigures;
  try {
    for (let i = 0; i < coldBuilds; i++) {
      builds.push(await inFreshPage(browser, script, (page) => page.evaluate(() => (globalThis as unknown as BenchGlobals).measureColdBuild())));
    }
    inBrowser = await inFreshPage(browser, script, (page) => page.evaluate(() => (globalThis as unknown as BenchGlobals).runSearchBench()));
  } finally {
    await browser.close();
  }
  useDemoHall(demoContent());
  const inNode = await runSearchBench();
  return {
    ...inBrowser,
    index_build_ms: round(median(builds)),
    index_build_first_ms: round(builds[0]!),
    index_build_max_ms: round(Math.max(...builds)),
    index_build_cold_runs: builds.length,
    machine_load_1m: Math.max(loadBefore, loadavg()[0]!),
    browser: `chromium ${version}`,
    node: { search_p95_ms: inNode.search_p95_ms!, index_build_ms: inNode.index_build_ms! },
  };
}
