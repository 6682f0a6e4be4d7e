'use client';

import Link from 'next/link';
import { useId, useRef, useState, type FormEvent } from 'react';
import { buttonPrimary, errorText, link, mutedText, textInput } from '@/components/ui/styles';
import { authClient } from '@/lib/auth-client';
import { authErrorMessage, retryAfterOf } from '@/lib/auth-messages';
import { validateCredentials } from '@/lib/auth-rules';

/** What the page says after any accepted request: the same whether or not the address has an account. */
export const RESET_REQUESTED = 'If an account exists for that address, we sent a link to choose a new password. It works once, for one hour.';

export function ForgotPasswordForm() {
  const id = useId();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [pending, setPending] = useState(false);
  const submitting = useRef(false);
  const input = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (submitting.current) return;
    const found = validateCredentials('sign-in', { name: '', email, password: 'x' }).email ?? null;
    setError(found);
    if (found) {
      input.current?.focus();
      return;
    }
    submitting.current = true;
    setPending(true);
    setServerError(null);
    let response: Response | undefined;
    let failure: { status: number; message?: string } | null;
    try {
      ({ error: failure } = await authClient.requestPasswordReset(
        { email: email.trim(), redirectTo: '/reset-password' },
        { onResponse: (context: { response: Response }) => void (response = context.response) },
      ));
    } catch {
      failure = { status: 0 };
    }
    submitting.current = false;
    setPending(false);
    if (failure) setServerError(authErrorMessage(failure, retryAfterOf(response)));
    else setSent(true);
  }

  if (sent) {
    return (
      <div className="flex flex-col gap-5">
        <p role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100">
          {RESET_REQUESTED}
        </p>
        <p className={`text-sm ${mutedText}`}>No mail after a few minutes? Check the spam folder, or ask again.</p>
        <p className="text-center text-sm">
          <Link href="/sign-in" className={link}>
            Back to sign in
          </Link>
        </p>
      </div>
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="flex flex-col gap-5" aria-describedby={serverError ? `${id}-server-error` : undefined}>
      <div className="flex flex-col gap-1.5">
        <label htmlFor={`${id}-email`} className="text-sm font-medium">
          Email
        </label>
        <input
          ref={input}
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="email"
          className={textInput}
          value={email}
          onChange={(event) => {
            setEmail(event.target.value);
            if (error) setError(null);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-email-error` : undefined}
          required
        />
        {error ? (
          <p id={`${id}-email-error`} className={errorText}>
            {error}
          </p>
        ) : null}
      </div>
      <div role="alert" id={`${id}-server-error`} className={serverError ? 'rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200' : ''}>
        {serverError}
      </div>
      <button type="submit" className={buttonPrimary} disabled={pending} aria-busy={pending || undefined}>
        {pending ? 'Sending…' : 'Send me a link'}
      </button>
      <p className={`text-center text-sm ${mutedText}`}>
        Remembered it?{' '}
        <Link href="/sign-in" className={link}>
          Sign in
        </Link>
      </p>
    </form>
  );
}
