import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: Debian's Chromium (playwright-core) driving `next start` of the
// production build (`npm run test:e2e` builds first) on a fresh embedded database.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One app, one browser: the files share nothing, but the machine has two cores.
    fileParallelism: false,
  },
});
