'use client';

import { useId, useState, type FormEvent } from 'react';
import { buttonSecondary, mutedText, textInput } from '@/components/ui/styles';
import { authErrorMessage } from '@/lib/auth-messages';
import { ApiError, describeError, SessionExpiredError } from '@/lib/tasks/api-client';
import { useTaskFeedback } from '@/lib/tasks/feedback';
import { changeEmail } from './auth-client';
import { FormFeedback } from './form-feedback';

/** The shape of an address, as far as the browser can tell; the server checks it for real. */
const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The account's email. A new address gets a link (Better Auth's /change-email); the email changes
 * when it is followed, so until then the field shows the current one again. `notice`: what the
 * page says after the link brought the person back (or why it did not work).
 */
export function ChangeEmailForm({ email, notice }: { email: string; notice?: string }) {
  const feedback = useTaskFeedback();
  const [value, setValue] = useState(email);
  const [sending, setSending] = useState(false);
  const [status, setStatus] = useState(notice ?? '');
  const [error, setError] = useState<string | null>(null);
  const ids = { email: useId(), hint: useId(), error: useId() };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    const newEmail = value.trim();
    setStatus('');
    if (!LOOKS_LIKE_EMAIL.test(newEmail)) {
      setError('Enter an email address, such as name@example.com.');
      return;
    }
    if (newEmail.toLowerCase() === email.toLowerCase()) {
      setError('That is already your email address. Type the new one.');
      return;
    }
    setSending(true);
    setError(null);
    try {
      await changeEmail(newEmail);
      setValue(email);
      setStatus(`We sent a link to ${newEmail} — your email changes when you follow it.`);
    } catch (caught) {
      if (caught instanceof SessionExpiredError) {
        feedback.sessionExpired();
        return;
      }
      const message = caught instanceof ApiError ? authErrorMessage({ status: caught.status, message: caught.detail }, caught.retryAfterSeconds) : describeError(caught);
      setError(`Couldn’t change your email. ${message}`);
    } finally {
      setSending(false);
    }
  }

  return (
    <form className="flex flex-col gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800" onSubmit={(event) => void submit(event)} noValidate aria-label="Email">
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.email} className="text-sm font-medium">
          Email
        </label>
        <input
          id={ids.email}
          type="email"
          className={textInput}
          value={value}
          autoComplete="email"
          required
          aria-invalid={error !== null || undefined}
          aria-describedby={`${ids.hint}${error ? ` ${ids.error}` : ''}`}
          onChange={(event) => setValue(event.currentTarget.value)}
        />
        <p id={ids.hint} className={`text-sm ${mutedText}`}>
          We send a link to the new address; your email changes when you follow it.
        </p>
      </div>
      <div>
        <button type="submit" className={buttonSecondary} disabled={sending} aria-busy={sending || undefined}>
          {sending ? 'Sending…' : 'Change email'}
        </button>
      </div>
      <FormFeedback status={status} error={error} errorId={ids.error} />
    </form>
  );
}
