import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous limits: tests that start CLI subprocesses or Chromium several times passed 60 s on a loaded
    // 2-core machine (the outcome is what is checked, never the time).
    testTimeout: 180_000,
    hookTimeout: 240_000,
    // expect.poll waits for something another process does (a background fold, a page rendering); its
    // default 1 s failed a browser test in CI on a loaded machine (test/e2e/cases.test.ts).
    expect: { poll: { timeout: 20_000 } },
    // Files run in parallel in forks; each storage test makes its own database. Vitest's default is one
    // worker fewer than the cores — a single worker on a 2-core machine, which then waits on PostgreSQL,
    // Chromium and CLI subprocesses one file at a time. Most files wait more than they compute, so run
    // one more file than there are cores (PARALLAX_TEST_WORKERS to choose).
    pool: 'forks',
    maxWorkers: Number(process.env.PARALLAX_TEST_WORKERS) || availableParallelism() + 1,
    // The CLI bundled once, for the tests that start it as a subprocess (test/cli-bundle.ts says why).
    globalSetup: ['test/cli-bundle.ts'],
    reporters: ['default'],
  },
});
