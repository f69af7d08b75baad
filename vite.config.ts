import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is served from app://kiosk in Electron and from http://127.0.0.1 in host mode:
// relative asset paths work under both.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
  },
});
