// Builds everything the kiosk runs from dist/: the renderer (Vite), the preload and the Electron
// main process (esbuild, one CommonJS file each); and the hall server's web apps (Vite,
// dist/hall-web/).
import { existsSync } from 'node:fs';
import { cp, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

async function buildRenderer() {
  await viteBuild({ configFile: join(root, 'vite.config.ts'), root: join(root, 'renderer'), logLevel: 'warn' });
  // The clip voice goes with the kiosk, which must speak with the hall's network down: its
  // elder-mode prompts fetch ./voice/<clip>.wav (renderer/elder/clip-voice.ts). Without a pack
  // (setup has not run, or espeak-ng is missing) the kiosk shows its prompts without voice.
  const pack = join(root, 'data', 'voice', 'default');
  if (existsSync(join(pack, 'chime.wav'))) await cp(pack, join(dist, 'renderer', 'voice'), { recursive: true });
  else console.warn(`no voice clips in ${pack} (run scripts/setup.sh): the kiosk's elder mode will have no clip voice`);
}

// The counter app and the other pages the hall server serves (server/http/hall-web.ts).
async function buildHallWeb() {
  await viteBuild({ configFile: join(root, 'vite.hall.config.ts'), root: join(root, 'server'), logLevel: 'warn' });
}

// A sandboxed preload gets a require() that knows only a few modules and cannot load ESM, so it
// must be one CommonJS file whose only import is electron.
async function buildPreload() {
  const outfile = join(dist, 'preload', 'index.cjs');
  await esbuild({
    entryPoints: [join(root, 'preload', 'index.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    external: ['electron'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const code = await readFile(outfile, 'utf8');
  const foreign = [...code.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]).filter((name) => name !== 'electron');
  if (foreign.length > 0) throw new Error(`preload must require only electron, but requires: ${[...new Set(foreign)].join(', ')}`);
}

// Native modules stay outside the bundle: their .node binaries are loaded from node_modules
// (unpacked from the asar by electron-builder).
async function buildElectronMain() {
  await esbuild({
    entryPoints: [join(root, 'main', 'electron', 'main.ts')],
    outfile: join(dist, 'electron', 'main.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    external: ['electron', 'serialport', '@serialport/*'],
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

const steps = [
  ['renderer', buildRenderer],
  ['preload', buildPreload],
  ['electron main', buildElectronMain],
  ['hall web apps', buildHallWeb],
];

let failed = false;
for (const [name, step] of steps) {
  const started = Date.now();
  try {
    await step();
    console.log(`built ${name} in ${Date.now() - started} ms`);
  } catch (error) {
    failed = true;
    console.error(`building ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
if (failed) process.exit(1);
