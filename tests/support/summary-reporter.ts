// Ends the run with one plain line, "tests: N passed, N failed, N skipped", which CI
// and humans read the same way. Skipped tests also list their reason (a missing service).
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed += 1;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else {
          skipped += 1;
          const note = test.options.mode === 'skip' ? ` (${test.fullName})` : '';
          process.stdout.write(`skipped: ${test.module.moduleId}${note}\n`);
        }
      }
    }
    // Test files run in forks of this process: the same Node.js.
    process.stdout.write(`\nNode.js ${process.version} ran the tests\n`);
    process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
