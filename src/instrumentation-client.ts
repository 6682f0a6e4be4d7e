/**
 * Runs in the browser before the app hydrates. Its only job: in `npm run dev:mock`, start the msw
 * service worker that answers the API (src/mocks). The comparison is inlined when Next bundles
 * (next.config.ts always defines the variable), so every other build sees a dead branch and carries
 * no mock code; the app waits on `window.__tasklaneMockReady` (src/app/mock-service-gate.tsx).
 */
declare global {
  interface Window {
    /** Settles once the mock API answers (mock mode only). */
    __tasklaneMockReady?: Promise<void>;
  }
}

// eslint-disable-next-line no-restricted-properties -- inlined at build time; see above
if (process.env.NEXT_PUBLIC_TASKLANE_MOCK === '1') {
  window.__tasklaneMockReady = import('./mocks/browser').then((mock) => mock.startMockWorker());
}

export {};
