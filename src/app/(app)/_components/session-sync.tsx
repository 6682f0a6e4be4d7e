'use client';

import { useEffect } from 'react';
import { authBroadcast } from '@/lib/auth-broadcast';

/**
 * Keeps this tab's session in step with the browser's other tabs: signed out (or the account
 * deleted) in one, this one goes to sign in at once, holding nothing of the session; signed in as
 * someone else, it starts over on their tasks.
 */
export function SessionSync({ userId }: { userId: string }) {
  useEffect(
    () =>
      authBroadcast().subscribe((event) => {
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load: nothing of the session stays in memory
        if (event.type === 'signed-out') window.location.assign('/sign-in');
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- the same, for the other person's page
        else if (event.userId !== userId) window.location.assign('/tasks');
      }),
    [userId],
  );
  return null;
}
