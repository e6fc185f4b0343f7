import { defineConfig } from 'vitest/config';

// Long-running soak tests only (`npm run test:soak`): one fork with an exposed GC, so heap
// samples measure live objects rather than garbage that has not been collected yet.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.soak.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    execArgv: ['--expose-gc'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 0,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
