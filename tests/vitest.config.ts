import { defineConfig } from 'vitest/config';

const root = new URL('..', import.meta.url).pathname;

export default defineConfig({
  root,
  test: {
    testTimeout: 20_000,
    hookTimeout: 180_000,
    // A real PostgreSQL for the second store (the machine's, or a throwaway embedded one).
    globalSetup: ['tests/setup/postgres.ts'],
    reporters: ['default', './tests/setup/postgres-skips-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        // Real builds, servers and browsers: one file at a time, so that two Astro builds never
        // share the project's generated types, and timings are not starved of the two cores.
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/build/**/*.test.ts', 'tests/system/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          fileParallelism: false,
          // A journey drives Chromium through several pages against real servers: 10 to 20 s on
          // an idle two-core machine, more while the unit project runs beside it. A limit, not a
          // timing: speed is measured in bench/.
          testTimeout: 60_000,
        },
      },
    ],
  },
});
