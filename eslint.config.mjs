import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';

const browserSafe = {
  patterns: [
    { group: ['@/server/*', '@/server/**', '**/server/**'], message: 'Browser code must not import server code (src/server).' },
    { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'Browser code must not touch the database.' },
  ],
};

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
    files: ['src/server/env.ts', 'src/lib/build-flags.ts', '*.config.{ts,mjs}', 'bench/**', 'e2e/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Code that can run in a browser: lib/, components/, and the msw mock.
    files: ['src/lib/**', 'src/components/**', 'src/app/**/_components/**', 'src/test/msw/**'],
    rules: { 'no-restricted-imports': ['error', browserSafe] },
  },
]);
