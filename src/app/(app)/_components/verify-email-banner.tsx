'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { authClient } from '@/lib/auth-client';
import { authErrorMessage, linkErrorMessage, retryAfterOf } from '@/lib/auth-messages';
import { TASKS_PAGE } from '@/lib/paths';

type Sending = { state: 'idle' | 'sending' | 'sent' } | { state: 'failed'; message: string };

/**
 * Until the address is verified: a reminder, and "Send again" (Better Auth allows 3 a minute).
 * A link that failed lands here with `?error=`: the banner says why, once (the parameter is then
 * taken out of the address, so a reload does not say it again).
 */
export function VerifyEmailBanner({ email }: { email: string }) {
  const [sending, setSending] = useState<Sending>({ state: 'idle' });
  const searchParams = useSearchParams();
  // The verification links land on /tasks (settings' change-email link has its own notice). Read
  // once: it stays on screen after the address loses the parameter.
  const onLanding = usePathname() === TASKS_PAGE;
  const [linkError] = useState(() => (onLanding ? linkErrorMessage(searchParams.get('error')) : null));

  useEffect(() => {
    if (!linkError) return;
    const url = new URL(window.location.href);
    url.searchParams.delete('error');
    window.history.replaceState(window.history.state, '', url);
  }, [linkError]);

  async function sendAgain() {
    if (sending.state === 'sending') return;
    setSending({ state: 'sending' });
    let response: Response | undefined;
    let failure: { status: number; message?: string } | null;
    try {
      ({ error: failure } = await authClient.sendVerificationEmail(
        { email, callbackURL: TASKS_PAGE },
        { onResponse: (context: { response: Response }) => void (response = context.response) },
      ));
    } catch {
      failure = { status: 0 };
    }
    if (!failure) setSending({ state: 'sent' });
    else
      setSending({
        state: 'failed',
        message: failure.status === 429 ? `We sent a few already. ${authErrorMessage(failure, retryAfterOf(response))}` : authErrorMessage(failure),
      });
  }

  return (
    <section
      aria-label="Email verification"
      className="border-b border-amber-300 bg-amber-50 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-50"
    >
      <div className="mx-auto flex w-full max-w-6xl flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 sm:px-4">
        {linkError ? (
          <p role="alert" className="w-full font-medium">
            {linkError} Use “Send again” for a new one.
          </p>
        ) : null}
        <p>
          Verify your email address: we sent a link to <strong className="font-semibold break-all">{email}</strong>.
        </p>
        <button
          type="button"
          onClick={() => void sendAgain()}
          disabled={sending.state === 'sending'}
          aria-busy={sending.state === 'sending' || undefined}
          className="min-h-9 rounded-md font-medium underline underline-offset-2 hover:no-underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-700 disabled:opacity-60"
        >
          {sending.state === 'sending' ? 'Sending…' : 'Send again'}
        </button>
        <p role="status" className="min-w-0">
          {sending.state === 'sent' ? 'Sent. Check your inbox.' : sending.state === 'failed' ? sending.message : ''}
        </p>
      </div>
    </section>
  );
}
