/**
 * Build-time flags, safe in the browser: Next inlines `NEXT_PUBLIC_*` and `NODE_ENV` when it
 * bundles, so a production build carries `false` here and drops the code behind it (the msw mock).
 * The server validates the same variables in src/server/env.ts.
 */

/** `npm run dev:mock`: the UI against the msw handlers, with a fake signed-in user and no database. */
export const isMockMode = process.env.NEXT_PUBLIC_TASKLANE_MOCK === '1';

export const isDevelopment = process.env.NODE_ENV === 'development';

/**
 * Starts the msw worker of mock mode. The import sits behind the inlined comparison itself (not
 * behind `isMockMode`) so the bundler sees a dead branch and emits no mock chunk at all.
 */
export const startMockWorker: (() => Promise<void>) | null =
  process.env.NEXT_PUBLIC_TASKLANE_MOCK === '1' ? () => import('@/test/msw/browser').then((mock) => mock.startMockWorker()) : null;
