'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { Dialog } from '@/components/ui/dialog';
import { authBroadcast } from '@/lib/auth-broadcast';
import { buttonSecondary, errorText, mutedText, textInput } from '@/components/ui/styles';
import { describeError, SessionExpiredError } from '@/lib/tasks/api-client';
import { useTaskFeedback } from '@/lib/tasks/feedback';
import { AuthRefusal, deleteUser } from './auth-client';

/** Where the browser goes once the account is gone: the home page, which says so. */
export const DELETED_PAGE = '/?deleted=1';

const dangerButton =
  'inline-flex min-h-11 items-center justify-center gap-2 rounded-lg bg-red-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-800 disabled:cursor-not-allowed disabled:opacity-60 dark:bg-red-400 dark:text-zinc-950 dark:hover:bg-red-300 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 dark:focus-visible:outline-red-400';

/** "its 1,234 tasks, lists and tags", or without a number when the task service is not this app's. */
export function whatGoes(taskCount: number | null): string {
  if (taskCount === null) return 'This deletes your account and signs you out everywhere. It cannot be undone.';
  if (taskCount === 0) return 'This deletes your account, with its lists and tags (it has no tasks), and signs you out everywhere. It cannot be undone.';
  const tasks = taskCount === 1 ? '1 task' : `${new Intl.NumberFormat('en').format(taskCount)} tasks`;
  return `This deletes your account and its ${tasks}, lists and tags, and signs you out everywhere. It cannot be undone.`;
}

/**
 * "Delete account": a dialog that says what goes and asks for the password (Better Auth's
 * /delete-user checks it). Once deleted, every session is gone and the browser leaves for the home page.
 */
export function DeleteAccountSection({ taskCount, navigate = (url) => window.location.assign(url) }: { taskCount: number | null; navigate?: (url: string) => void }) {
  const feedback = useTaskFeedback();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const ids = { password: useId(), what: useId(), error: useId() };

  function close() {
    if (deleting) return;
    setOpen(false);
    setPassword('');
    setError(null);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (deleting) return;
    if (password === '') {
      setError('Enter your password to confirm.');
      input.current?.focus();
      return;
    }
    setDeleting(true);
    setError(null);
    try {
      await deleteUser(password);
      // The account's other tabs in this browser leave too (they would on their next request).
      authBroadcast().announce({ type: 'signed-out' });
      navigate(DELETED_PAGE);
    } catch (caught) {
      setDeleting(false);
      if (caught instanceof SessionExpiredError) {
        feedback.sessionExpired();
        return;
      }
      setError(
        caught instanceof AuthRefusal && caught.code === 'INVALID_PASSWORD'
          ? 'That password is not right. Nothing was deleted.'
          : `Couldn’t delete your account. Nothing was deleted. ${describeError(caught)}`,
      );
      input.current?.focus();
    }
  }

  return (
    <div className="flex flex-col gap-3">
      <p className={`text-sm ${mutedText}`}>{whatGoes(taskCount)}</p>
      <div>
        <button type="button" className={dangerButton} onClick={() => setOpen(true)}>
          Delete account…
        </button>
      </div>
      <Dialog open={open} onClose={close} title="Delete your account?">
        <form className="flex flex-col gap-4" onSubmit={(event) => void submit(event)} noValidate aria-describedby={ids.what}>
          <p id={ids.what} className="text-sm">
            {whatGoes(taskCount)}
          </p>
          <div className="flex flex-col gap-1">
            <label htmlFor={ids.password} className="text-sm font-medium">
              Your password
            </label>
            <input
              id={ids.password}
              ref={input}
              type="password"
              autoComplete="current-password"
              // The dialog opens on the one thing to do.
              autoFocus
              className={textInput}
              value={password}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? ids.error : undefined}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
          </div>
          <p id={ids.error} role="alert" className={errorText}>
            {error ?? ''}
          </p>
          <div className="flex flex-wrap justify-end gap-2">
            <button type="button" className={buttonSecondary} onClick={close} disabled={deleting}>
              Cancel
            </button>
            <button type="submit" className={dangerButton} disabled={deleting}>
              {deleting ? 'Deleting…' : 'Delete my account'}
            </button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
