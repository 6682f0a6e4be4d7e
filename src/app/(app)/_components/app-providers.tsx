'use client';

import { MutationCache, notifyManager, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { toast, Toaster } from 'sonner';
import { signInUrl } from '@/lib/return-to';
import { ApiError, SessionExpiredError } from '@/lib/tasks/api-client';
import { TaskFeedbackContext, type TaskFeedback } from '@/lib/tasks/feedback';

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
    mutationCache: new MutationCache({ onError }),
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

interface AppProvidersProps {
  children: ReactNode;
  /** Tests pass a spy instead of the redirect. */
  onSessionExpired?: () => void;
  /** Tests turn off the one retry of a failed read. */
  retry?: boolean;
}

/** Data cache, toasts and the live region of the signed-in pages. */
export function AppProviders({ children, onSessionExpired = redirectToSignIn, retry }: AppProvidersProps) {
  const [sessionExpired] = useState(() => {
    // Several requests may fail at once: redirect once.
    let done = false;
    return () => {
      if (done) return;
      done = true;
      onSessionExpired();
    };
  });
  const [client] = useState(() => makeQueryClient(sessionExpired, { retry }));
  const [announcement, setAnnouncement] = useState('');

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
      sessionExpired,
    }),
    [sessionExpired],
  );

  return (
    <QueryClientProvider client={client}>
      <TaskFeedbackContext.Provider value={feedback}>
        {children}
        <div role="status" aria-live="polite" className="sr-only" data-testid="announcer">
          {announcement}
        </div>
        <Toaster position="bottom-center" theme="system" richColors closeButton toastOptions={{ classNames: { toast: 'text-sm' } }} />
      </TaskFeedbackContext.Provider>
    </QueryClientProvider>
  );
}
