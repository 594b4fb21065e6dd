/**
 * Vitest reporter: when the PostgreSQL suites could not run, one line at the end of the run says
 * how many tests that was and how to run them, so that a green run never hides them.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class PostgresSkipsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests('skipped')) {
        if (test.fullName.includes('PostgreSQL')) skipped++;
      }
    }
    if (skipped === 0) return;
    console.log(
      `\nPostgreSQL: ${skipped} tests skipped. Run them with ASSENT_TEST_DATABASE_URL=postgres://user:password@127.0.0.1:5432/db npm test, or fix what stopped the embedded server (named in the skipped suites).`,
    );
  }
}
