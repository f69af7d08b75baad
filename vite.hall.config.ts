import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { hallWebFilesPath } from './core/http/contract.ts';

// The hall server's web apps (server/<feature>/web/, shared parts in server/web/): one HTML entry
// per app, built into dist/hall-web/ and served by the hall server (server/http/hall-web.ts) at
// each app's path, with the built files under /hall-web/. Add an app here and in hallWebPages.
const entry = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: 'server',
  base: hallWebFilesPath,
  plugins: [react()],
  // The pages run under a CSP without inline script: no inlined module-preload helper.
  build: {
    outDir: '../dist/hall-web',
    emptyOutDir: true,
    target: 'chrome109',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      input: {
        counter: entry('./server/calling/web/counter.html'),
        live: entry('./server/live/web/live.html'),
        voice: entry('./server/voice/web/voice-check.html'),
        display: entry('./server/displays/web/display.html'),
      },
    },
  },
});
