'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { isMockMode } from '@/lib/build-flags';

/**
 * In `npm run dev:mock`, starts the msw service worker before anything fetches, so every API call
 * is answered by the mock. Anywhere else this is a pass-through, and a production build (where
 * isMockMode is the constant false) carries none of the mock code.
 */
export function MockServiceGate({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(!isMockMode);
  useEffect(() => {
    if (!isMockMode) return;
    let live = true;
    void import('@/test/msw/browser').then(({ startMockWorker }) => startMockWorker()).then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, []);
  if (!ready) return <p className="p-6 text-sm">Starting the mock API…</p>;
  return <>{children}</>;
}
