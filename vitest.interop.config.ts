import { defineConfig } from 'vitest/config';

// Interop: Tasklane in front of the seeds' FastAPI task service (interop/fastapi), which needs
// Debian's python3-fastapi & co. and PostgreSQL (.ci/run installs and starts both). One file at a
// time: each starts its own fixture process, on a machine of two cores.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    name: 'interop',
    include: ['src/test/interop/**/*.test.ts'],
    env: {
      BETTER_AUTH_SECRET: 'test-secret-not-for-production-0123456789',
      BETTER_AUTH_URL: 'http://localhost:3000',
    },
    setupFiles: ['src/test/fresh-database.ts'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
