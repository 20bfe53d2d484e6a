import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // vitest's default is one worker per core minus one: a single worker on a two-core CI
    // machine. Most files wait on real timers and child processes, so two run side by side.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
