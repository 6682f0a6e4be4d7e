'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { isMockMode } from '@/lib/build-flags';

/**
 * In `npm run dev:mock`, holds the page until the msw service worker (started by
 * src/instrumentation-client.ts) answers, so every API call reaches the mock. Anywhere else this
 * is a pass-through.
 */
export function MockServiceGate({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(!isMockMode);
  useEffect(() => {
    if (!isMockMode) return;
    let live = true;
    void window.__tasklaneMockReady?.then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, []);
  if (!ready) return <p className="p-6 text-sm">Starting the mock API…</p>;
  return <>{children}</>;
}
