import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

// The fast tier (`npm run test:fast`) for the edit loop: the unit suites of core, the renderer, main,
// hardware and the lint rules, without the files that start a child process (a server or CLI,
// socat PTYs, a kiosk host), found by what a file calls so a new test is sorted without a list.
// The server's suites (a real database each) are left to `npm test`; for one of them on SQLite
// alone: HALL_TEST_ENGINES=sqlite npx vitest run tests/server/<feature>.
const startsProcesses = /\b(spawnServer|runServerCli|openPtyPair|readerOnPty|blackHolePort|startKioskHost)\(|from 'node:child_process'/;
const testsDir = fileURLToPath(new URL('./tests', import.meta.url));
const withProcesses = readdirSync(testsDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.test\.tsx?$/.test(file) && startsProcesses.test(readFileSync(join(testsDir, file), 'utf8')))
  .map((file) => `tests/${file}`);

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...configDefaults.exclude, 'tests/server/**', ...withProcesses],
      // Lint and type-check are done by then (scripts/test-fast.mjs): every core runs tests.
      maxWorkers: availableParallelism(),
    },
  }),
);
