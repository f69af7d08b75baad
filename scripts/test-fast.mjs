// npm run test:fast — the edit loop: lint and type-check side by side, then the fast tier of the
// unit tests (vitest.fast.config.ts). `npm test` stays the whole suite.
import { spawn } from 'node:child_process';

const started = Date.now();
const seconds = (from) => `${((Date.now() - from) / 1000).toFixed(1)} s`;

/** Runs `npm run <script>` or `npx <args>`; its output is shown in one piece when it ends, unless `live`. */
function run(name, command, args, live = false) {
  const from = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      if (output.trim()) process.stdout.write(`${output.trimEnd()}\n`);
      console.log(`test:fast: ${name} ${code === 0 ? 'passed' : 'FAILED'} in ${seconds(from)}`);
      resolve(code === 0);
    });
  });
}

const checks = await Promise.all([run('lint', 'npm', ['run', '--silent', 'lint']), run('typecheck', 'npm', ['run', '--silent', 'typecheck'])]);
const tests = await run('unit tests', 'npx', ['vitest', 'run', '--config', 'vitest.fast.config.ts'], true);
const ok = checks.every(Boolean) && tests;
console.log(`test:fast: ${ok ? 'passed' : 'FAILED'} in ${seconds(started)} (the whole suite: npm test)`);
process.exit(ok ? 0 : 1);
