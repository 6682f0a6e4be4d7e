import { defineConfig } from 'vitest/config';

// Test-only configuration (never used outside vitest).
const testEnv = {
  BETTER_AUTH_SECRET: 'test-secret-not-for-production-0123456789',
  BETTER_AUTH_URL: 'http://localhost:3000',
};

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    env: testEnv,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          // Interop runs on its own (vitest.interop.config.ts): it needs Debian's FastAPI packages and PostgreSQL.
          exclude: ['src/test/integration/**', 'src/test/security/**', 'src/test/outage/**', 'src/test/smoke/**', 'src/test/interop/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['src/test/integration/**/*.test.ts'],
          // Each file: a fresh migrated database (PGlite in memory, or a new database on the
          // PostgreSQL server named by TEST_DATABASE_URL).
          setupFiles: ['src/test/fresh-database.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'security',
          // The attack suite: each test is named after the attack it makes. Fresh database per file.
          include: ['src/test/security/**/*.test.ts'],
          setupFiles: ['src/test/fresh-database.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'components',
          // The UI's components in a DOM, against the msw handlers of the task API contract.
          include: ['src/**/*.test.tsx'],
          environment: 'happy-dom',
          environmentOptions: { happyDOM: { url: 'http://localhost:3000/tasks' } },
          setupFiles: ['src/test/components/setup.ts'],
          testTimeout: 15_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'outage',
          // Chooses its own database: the app reaches it through a relay the test can cut.
          include: ['src/test/outage/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
