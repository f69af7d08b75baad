// `npm run bench search`: bench/search.ts as the kiosk runs it, inside Debian's Chromium (the
// renderer is where citizens type), and in Node beside it for comparison. The search module is
// bundled with esbuild into one script, so the page loads exactly the code the figures are of.
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { chromiumFlags } from '../playwright.config.ts';
import { runSearchBench } from './search.ts';

type SearchFigures = Awaited<ReturnType<typeof runSearchBench>>;

async function searchBundle(): Promise<string> {
  const result = await build({
    stdin: { contents: "import { runSearchBench } from './search.ts';\nglobalThis.runSearchBench = runSearchBench;\n", resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

export async function runSearchBenchInBrowser(): Promise<Record<string, number | string | Record<string, number>>> {
  const script = await searchBundle();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumFlags });
  const version = browser.version();
  let inBrowser: SearchFigures;
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><meta charset="utf-8"><title>search bench</title>');
    await page.addScriptTag({ content: script });
    inBrowser = await page.evaluate(() => (globalThis as unknown as { runSearchBench: () => Promise<SearchFigures> }).runSearchBench());
  } finally {
    await browser.close();
  }
  const inNode = await runSearchBench();
  return {
    ...inBrowser,
    browser: `chromium ${version}`,
    node: { search_p95_ms: inNode.search_p95_ms!, index_build_ms: inNode.index_build_ms! },
  };
}
