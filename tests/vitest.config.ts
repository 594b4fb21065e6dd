import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/build/**/*.test.ts', 'tests/system/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 180_000,
  },
});
