'use client';

import { useState } from 'react';
import { toast } from 'sonner';
import { buttonSecondary } from '@/components/ui/styles';
import { authBroadcast } from '@/lib/auth-broadcast';
import { authErrorMessage } from '@/lib/auth-messages';

export function SignOutButton() {
  const [pending, setPending] = useState(false);

  async function signOut() {
    if (pending) return;
    setPending(true);
    let error: { status: number; message?: string } | null;
    try {
      // Better Auth's client is loaded on the first click, not with the page: /tasks stays lighter.
      const { authClient } = await import('@/lib/auth-client');
      ({ error } = await authClient.signOut());
    } catch {
      error = { status: 0 };
    }
    if (error) {
      setPending(false);
      toast.error(`Couldn’t sign out. ${authErrorMessage(error)}`);
      return;
    }
    // Every other tab of this browser signs out with this one (session-sync.tsx).
    authBroadcast().announce({ type: 'signed-out' });
    // A full page load, not a client navigation: nothing of this session stays in memory.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- deliberate, see above
    window.location.assign('/sign-in');
  }

  return (
    <button type="button" className={`${buttonSecondary} min-h-9 shrink-0 px-3 whitespace-nowrap`} onClick={() => void signOut()} disabled={pending} aria-busy={pending || undefined}>
      {pending ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
