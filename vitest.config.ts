import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files run in parallel in forks; each storage test makes its own database.
    pool: 'forks',
    // The CLI bundled once, for the tests that start it as a subprocess (test/cli-bundle.ts says why).
    globalSetup: ['test/cli-bundle.ts'],
    reporters: ['default'],
  },
});
