import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/{core,hardware,main,renderer,server,scripts}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
