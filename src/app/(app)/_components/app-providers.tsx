'use client';

import { MutationCache, notifyManager, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useMemo, useState, type ReactNode } from 'react';
import { toast, Toaster } from 'sonner';
import { signInUrl } from '@/lib/return-to';
import { ApiError, SessionExpiredError } from '@/lib/tasks/api-client';
import { TaskFeedbackContext, type TaskFeedback } from '@/lib/tasks/feedback';
import { NotSavedNotice } from './not-saved-notice';

// Loaded when a session ends under the person, not with every page.
const SignInAgainDialog = lazy(() => import('./sign-in-again-dialog').then((module) => ({ default: module.SignInAgainDialog })));

// TanStack Query tells React about cache changes on a setTimeout(0) by default. A microtask
// instead: an optimistic change is on screen before the browser handles the next event or paints,
// so a clicked checkbox never shows its old state for a moment (React puts a controlled checkbox
// back to its prop at the end of the click, before the cache has changed).
notifyManager.setScheduler(queueMicrotask);

/** Sends the person to sign in with "Your session has expired", and back to this page afterwards. */
export function redirectToSignIn(): void {
  window.location.assign(signInUrl(`${window.location.pathname}${window.location.search}`, 'expired'));
}

export function makeQueryClient(onSessionExpired: () => void, options: { retry?: boolean } = {}): QueryClient {
  const onError = (error: unknown) => {
    if (error instanceof SessionExpiredError) onSessionExpired();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    // The task changes (hooks.ts) deal with a 401 themselves: they may keep the change and ask to sign in again.
    mutationCache: new MutationCache({ onError: (error, _variables, _context, mutation) => void (mutation.meta?.handlesSessionEnd ? undefined : onError(error)) }),
    defaultOptions: {
      queries: {
        // Errors show at once (with a retry button) rather than after a silent backoff; offline is
        // shown by its own banner.
        networkMode: 'always',
        retry: options.retry === false ? false : (count, error) => count < 1 && !(error instanceof ApiError && error.status < 500),
      },
      mutations: { networkMode: 'always', retry: false },
    },
  });
}

type SignInAgain = 'asking' | 'waiting' | null;

/** Where signing in again stands, and the changes kept for it, for the handlers that run outside React's renders. */
function trackSessionEnd() {
  let state: SignInAgain = null;
  let resends: Array<() => void> = [];
  return {
    state: () => state,
    set: (next: SignInAgain) => void (state = next),
    keep: (resend: () => void) => void resends.push(resend),
    take: () => {
      const taken = resends;
      resends = [];
      return taken;
    },
  };
}

interface AppProvidersProps {
  children: ReactNode;
  /**
   * The signed-in person. Given, a change refused because the session ended is kept and a dialog
   * asks to sign in again in place (then sends it); without, the page goes to sign in (tests).
   */
  account?: { id: string; email: string };
  /** Tests pass a spy instead of the redirect. */
  onSessionExpired?: () => void;
  /** Tests turn off the one retry of a failed read. */
  retry?: boolean;
}

/** Data cache, toasts and the live region of the signed-in pages. */
export function AppProviders({ children, account, onSessionExpired = redirectToSignIn, retry }: AppProvidersProps) {
  const [sessionExpired] = useState(() => {
    // Several requests may fail at once: redirect once.
    let done = false;
    return () => {
      if (done) return;
      done = true;
      onSessionExpired();
    };
  });
  // Signing in again in place: 'asking' (the dialog), 'waiting' (dismissed: the notice), or not.
  const [signIn, setSignIn] = useState<SignInAgain>(null);
  // Read by the query cache's handler, outside React's renders: the state as of now, and the kept changes.
  const [ended] = useState(trackSessionEnd);
  // The dialog stays mounted once used, so closing it gives focus back to where it was.
  const [dialogUsed, setDialogUsed] = useState(false);
  const moveTo = useCallback((next: SignInAgain) => {
    ended.set(next);
    setSignIn(next);
    if (next === 'asking') setDialogUsed(true);
  }, [ended]);
  // While changes wait for a sign-in, a read's 401 (the bell's poll) must not take the page away.
  const [client] = useState(() => makeQueryClient(() => void (ended.state() === null && sessionExpired()), { retry }));
  const [announcement, setAnnouncement] = useState('');

  const signInAgain = useCallback((resend: () => void) => {
    ended.keep(resend);
    moveTo('asking');
  }, [ended, moveTo]);

  const signedInAgain = useCallback(() => {
    const waiting = ended.take();
    moveTo(null);
    // Each kept change once, then whatever a 401 left failed (the bell, the counts) is read again.
    for (const resend of waiting) resend();
    void client.invalidateQueries({ predicate: (query) => query.state.status === 'error' });
  }, [client, ended, moveTo]);

  const feedback = useMemo<TaskFeedback>(
    () => ({
      failed: (message, retry) => {
        toast.error(message, retry ? { action: { label: 'Retry', onClick: retry }, duration: 10_000 } : { duration: 8_000 });
      },
      announce: (message) => {
        // The same sentence twice in a row is still announced: clear it first.
        setAnnouncement('');
        requestAnimationFrame(() => setAnnouncement(message));
      },
      // Once changes wait for a sign-in, a settings form's 401 asks for it in place as well.
      sessionExpired: () => (ended.state() === null ? sessionExpired() : moveTo('asking')),
      ...(account ? { signInAgain } : {}),
    }),
    [sessionExpired, account, signInAgain, moveTo, ended],
  );

  return (
    <QueryClientProvider client={client}>
      <TaskFeedbackContext.Provider value={feedback}>
        {signIn === 'waiting' ? <NotSavedNotice onSignIn={() => moveTo('asking')} /> : null}
        {children}
        {account && dialogUsed ? (
          <Suspense fallback={null}>
            <SignInAgainDialog open={signIn === 'asking'} account={account} onSignedIn={signedInAgain} onCancel={() => moveTo('waiting')} />
          </Suspense>
        ) : null}
        <div role="status" aria-live="polite" className="sr-only" data-testid="announcer">
          {announcement}
        </div>
        <Toaster position="bottom-center" theme="system" richColors closeButton toastOptions={{ classNames: { toast: 'text-sm' } }} />
      </TaskFeedbackContext.Provider>
    </QueryClientProvider>
  );
}
