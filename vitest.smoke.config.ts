import { defineConfig } from 'vitest/config';

// The production smoke test: drives `next start` (run `npm run build` first) over real HTTP.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    name: 'smoke',
    include: ['src/test/smoke/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
