import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';

const noServerCode = [
  { group: ['@/server/*', '@/server/**', '**/server/**'], message: 'Browser code must not import server code (src/server).' },
  { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'Browser code must not touch the database.' },
];
const noMocks = [
  { group: ['@/mocks', '@/mocks/*', '**/mocks/**'], message: 'Only tests and src/instrumentation-client.ts (mock mode) load the msw mock.' },
];
const noTestCode = [
  { group: ['@/test/*', '@/test/**', '**/test/**'], message: 'Runtime code must not import test code; tests import runtime code.' },
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores(['.next/**', 'node_modules/**', 'drizzle/**', 'next-env.d.ts', 'public/mockServiceWorker.js']),
  {
    plugins: { drizzle },
    rules: {
      // An update or delete without a where touches every user's rows.
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db'] }],
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db'] }],
      // Only src/server/env.ts reads process.env: configuration is validated in one place.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Import `env` from @/server/env instead.' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // build-flags.ts: the NEXT_PUBLIC_ / NODE_ENV flags Next inlines into browser code.
    files: ['src/server/env.ts', 'src/lib/build-flags.ts', '*.config.{ts,mjs}', 'bench/**', 'e2e/**', 'support/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Runtime code: the app (pages, routes, server) and what the bench runs of it.
    files: ['src/**', 'bench/**', 'support/**'],
    ignores: ['src/test/**', 'src/**/*.test.{ts,tsx}', 'src/mocks/**', 'src/instrumentation-client.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noMocks, ...noTestCode] }] },
  },
  {
    // Code that can run in a browser.
    files: ['src/lib/**', 'src/components/**', 'src/app/**/_components/**'],
    ignores: ['src/**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noServerCode, ...noMocks, ...noTestCode] }] },
  },
  {
    // The msw mock runs in the browser too (npm run dev:mock), and is runtime code: no tests in it.
    files: ['src/mocks/**'],
    ignores: ['src/**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noServerCode, ...noTestCode] }] },
  },
]);
