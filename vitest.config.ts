import { defineConfig } from 'vitest/config';

// One run covers every package; each test file starts its own loopback servers on free ports,
// so files are isolated in separate processes and may run in parallel.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'docs/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.soak.test.ts'],
    pool: 'forks',
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
