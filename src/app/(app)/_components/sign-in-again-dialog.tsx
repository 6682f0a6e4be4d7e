'use client';

import { lazy, Suspense, useId, useState, type FormEvent } from 'react';
import { Dialog } from '@/components/ui/dialog';
import { buttonPrimary, buttonSecondary, errorText, mutedText, textInput } from '@/components/ui/styles';
import { authBroadcast } from '@/lib/auth-broadcast';
import { authErrorMessage, retryAfterOf } from '@/lib/auth-messages';

// The code step and its auth client load only for an account with two-factor authentication.
const TwoFactorStep = lazy(() => import('@/app/(auth)/_components/two-factor-step').then((module) => ({ default: module.TwoFactorStep })));

export const SIGN_IN_AGAIN_TITLE = 'Your session ended — sign in again to save';

/** What /api/auth/sign-in/email answers, as far as this dialog reads it. */
interface SignInAnswer {
  user?: { id?: string };
  /** The account asks for a second factor: the dialog asks for the code next. */
  twoFactorRedirect?: boolean;
  message?: string;
  detail?: string;
}

/**
 * Signs the person in again without leaving the page, so the changes kept on screen can be sent:
 * Better Auth's /sign-in/email on a plain fetch (its client library would weigh on /tasks). The
 * address is theirs, editable in case it changed elsewhere; signing in as someone else sends
 * nothing of this page's and starts over on that account's tasks. An account with two-factor
 * authentication gets sign-in's code step here too, so the changes survive it.
 */
export function SignInAgainDialog({
  open,
  account,
  onSignedIn,
  onCancel,
}: {
  open: boolean;
  account: { id: string; email: string };
  onSignedIn: () => void;
  onCancel: () => void;
}) {
  const ids = { email: useId(), password: useId(), lead: useId(), error: useId() };
  const [email, setEmail] = useState(account.email);
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [codeStep, setCodeStep] = useState(false);

  function close() {
    if (pending) return;
    setPassword('');
    setError(null);
    setCodeStep(false);
    onCancel();
  }

  /** Signed in as `userId`: this page's changes go if it is the same account. */
  function signedIn(userId: string | undefined) {
    if (userId) authBroadcast().announce({ type: 'signed-in', userId });
    if (userId !== account.id) {
      // Another account: this page's changes are not theirs to send.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load, on the other account
      window.location.assign('/tasks');
      return;
    }
    setPending(false);
    setPassword('');
    setCodeStep(false);
    onSignedIn();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    if (email.trim() === '' || password === '') {
      setError('Enter your email and password.');
      return;
    }
    setPending(true);
    setError(null);
    let response: Response;
    let answer: SignInAnswer = {};
    try {
      response = await fetch('/api/auth/sign-in/email', {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ email: email.trim(), password }),
      });
      answer = ((await response.json().catch(() => null)) as SignInAnswer | null) ?? {};
    } catch {
      setPending(false);
      setError(authErrorMessage({ status: 0 }));
      return;
    }
    if (!response.ok) {
      setPending(false);
      setError(authErrorMessage({ status: response.status, message: answer.message ?? answer.detail }, retryAfterOf(response)));
      return;
    }
    if (answer.twoFactorRedirect) {
      // The password was right; Better Auth's challenge cookie now waits for the code.
      setPending(false);
      setPassword('');
      setCodeStep(true);
      return;
    }
    signedIn(answer.user?.id);
  }

  return (
    <Dialog open={open} onClose={close} title={SIGN_IN_AGAIN_TITLE}>
      {codeStep ? (
        <Suspense fallback={<p className={`text-sm ${mutedText}`}>Loading…</p>}>
          <TwoFactorStep
            onSignedIn={signedIn}
            onRestart={(message) => {
              setCodeStep(false);
              setError(message || null);
            }}
          />
        </Suspense>
      ) : (
      <form className="flex flex-col gap-4" onSubmit={(event) => void submit(event)} noValidate aria-describedby={ids.lead}>
        <p id={ids.lead} className={`text-sm ${mutedText}`}>
          Your changes are still on this page. Sign in, and they are saved.
        </p>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={ids.email} className="text-sm font-medium">
            Email
          </label>
          <input id={ids.email} type="email" className={textInput} value={email} autoComplete="username" required onChange={(event) => setEmail(event.currentTarget.value)} />
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={ids.password} className="text-sm font-medium">
            Password
          </label>
          <input
            id={ids.password}
            type="password"
            className={textInput}
            value={password}
            autoComplete="current-password"
            required
            autoFocus
            aria-invalid={error !== null || undefined}
            aria-describedby={error ? ids.error : undefined}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
        </div>
        {error ? (
          <p id={ids.error} role="alert" className={errorText}>
            {error}
          </p>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" className={buttonSecondary} onClick={close} disabled={pending}>
            Cancel
          </button>
          <button type="submit" className={buttonPrimary} disabled={pending} aria-busy={pending || undefined}>
            {pending ? 'Signing in…' : 'Sign in and save'}
          </button>
        </div>
      </form>
      )}
    </Dialog>
  );
}
