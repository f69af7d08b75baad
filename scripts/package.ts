// `npm run package [-- electron-builder args]`: the kiosk's installers from dist/ (build first).
// Default: the Linux deb. `-- --dir` only lays out the app directory (release/linux-unpacked);
// `-- --win nsis` makes the Windows installer (on a Windows build box: NSIS needs its tools).
//
// Electron itself comes from the local electron package (electronDist), never from the network;
// native modules are used as prebuilt (electron-builder.yml). Without a local Electron binary
// there is nothing to package: say so and stop with code 3. `--publish never`: the update feed is
// the hall's own server (`npm run server -- update:publish`), never a public host.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binary = electronBinary();
if ('missing' in binary) {
  process.stderr.write(`cannot package: ${binary.missing}\n`);
  process.exit(3);
}
if (!existsSync(join(root, 'dist', 'electron', 'main.cjs'))) {
  process.stderr.write('cannot package: dist/ is not built; run `npm run build` first\n');
  process.exit(1);
}
const targets = process.argv.slice(2);
const builder = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder');
// electron-builder reads electron-builder.yml from the project dir by itself; `-c.` (an alias of
// --config) only adds the one key that depends on this machine.
const result = spawnSync(builder, [`-c.electronDist=${dirname(binary.path)}`, '--publish', 'never', ...(targets.length ? targets : ['--linux', 'deb'])], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
