import { defineConfig } from 'vitest/config';

// vitest 5 needs Node 22.12+; on an older `node` it fails in odd places. Say so plainly.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  throw new Error(
    `The tests run on Node.js 24 (this is ${process.version}): use \`npm test\`, or \`bash scripts/run.sh vitest run <file>\`.`,
  );
}

export default defineConfig({
  test: {
    // Temporal's native module needs real processes, not worker threads.
    pool: 'forks',
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 90_000,
    // One more try for a test that failed on a loaded 2-core machine (a CI run with many
    // Temporal servers at once); a test that fails twice fails the run, and
    // vitest's report marks a test that needed its retry, so a flake stays visible.
    retry: 1,
    hookTimeout: 90_000,
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
