import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native module needs real processes, not worker threads.
    pool: 'forks',
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
