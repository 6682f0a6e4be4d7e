'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { startMockWorker } from '@/lib/build-flags';

/**
 * In `npm run dev:mock`, starts the msw service worker before anything fetches, so every API call
 * is answered by the mock. Anywhere else this is a pass-through, and a production build carries
 * none of the mock code (see build-flags.ts).
 */
export function MockServiceGate({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(startMockWorker === null);
  useEffect(() => {
    if (startMockWorker === null) return;
    let live = true;
    void startMockWorker().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, []);
  if (!ready) return <p className="p-6 text-sm">Starting the mock API…</p>;
  return <>{children}</>;
}
