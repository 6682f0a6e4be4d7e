/**
 * Build-time flags, safe in the browser: Next inlines `NEXT_PUBLIC_*` and `NODE_ENV` when it
 * bundles, so a production build carries `false` here and drops the code behind it. The server
 * validates the same variables in src/server/env.ts.
 */

/**
 * `npm run dev:mock`: the UI against the msw handlers (src/mocks, started by
 * src/instrumentation-client.ts), with a fake signed-in user and no database.
 */
export const isMockMode = process.env.NEXT_PUBLIC_TASKLANE_MOCK === '1';

export const isDevelopment = process.env.NODE_ENV === 'development';

/** The signed-in person of mock mode: the server renders pages for them, the msw mock answers as them. */
export const MOCK_USER = { id: 'mock-user', name: 'Mock User', email: 'mock@example.com', timezone: 'UTC', emailReminders: true } as const;
