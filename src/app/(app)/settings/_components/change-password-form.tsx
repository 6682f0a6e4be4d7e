'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { buttonPrimary, errorText, focusRing, textInput } from '@/components/ui/styles';
import { FormFeedback } from './form-feedback';
import { PASSWORD_MAX, PASSWORD_MIN } from '@/lib/auth-rules';
import { describeError, SessionExpiredError } from '@/lib/tasks/api-client';
import { useTaskFeedback } from '@/lib/tasks/feedback';
import { AuthRefusal, changePassword } from './auth-client';

type Field = 'current' | 'next' | 'confirm';

function check(values: Record<Field, string>): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (values.current === '') errors.current = 'Enter your current password.';
  if (values.next.length < PASSWORD_MIN) errors.next = `Use at least ${PASSWORD_MIN} characters.`;
  else if (values.next.length > PASSWORD_MAX) errors.next = `Use at most ${PASSWORD_MAX} characters.`;
  if (values.confirm !== values.next) errors.confirm = 'The two new passwords are not the same.';
  return errors;
}

/**
 * Current password, the new one twice, and "sign out other devices" (on by default: a password is
 * usually changed because someone else may know it). Better Auth answers a wrong current password
 * with INVALID_PASSWORD and a common one with the app's PASSWORD_TOO_COMMON message.
 */
export function ChangePasswordForm({ onChanged }: { onChanged: () => void }) {
  const feedback = useTaskFeedback();
  const [values, setValues] = useState<Record<Field, string>>({ current: '', next: '', confirm: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [signOutOthers, setSignOutOthers] = useState(true);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const ids = { current: useId(), next: useId(), confirm: useId(), others: useId(), hint: useId() };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (saving) return;
    setStatus('');
    setError(null);
    const found = check(values);
    setErrors(found);
    const firstInvalid = (['current', 'next', 'confirm'] as const).find((field) => found[field]);
    if (firstInvalid) {
      inputs.current[firstInvalid]?.focus();
      return;
    }
    setSaving(true);
    try {
      await changePassword({ currentPassword: values.current, newPassword: values.next, revokeOtherSessions: signOutOthers });
      setValues({ current: '', next: '', confirm: '' });
      setStatus(signOutOthers ? 'Password changed. Your other devices have been signed out.' : 'Password changed.');
      onChanged();
    } catch (caught) {
      if (caught instanceof SessionExpiredError) {
        feedback.sessionExpired();
        return;
      }
      if (caught instanceof AuthRefusal && caught.code === 'INVALID_PASSWORD') {
        setErrors({ current: 'This is not your current password.' });
        setError('Your current password is not right. Nothing was changed.');
        inputs.current.current?.focus();
        return;
      }
      setError(`Couldn’t change your password. ${describeError(caught)}`);
    } finally {
      setSaving(false);
    }
  }

  const field = (name: Field, label: string, autoComplete: string) => {
    const errorId = `${ids[name]}-error`;
    return (
      <div className="flex flex-col gap-1">
        <label htmlFor={ids[name]} className="text-sm font-medium">
          {label}
        </label>
        <input
          id={ids[name]}
          ref={(element) => {
            inputs.current[name] = element;
          }}
          type="password"
          className={textInput}
          autoComplete={autoComplete}
          value={values[name]}
          aria-invalid={errors[name] ? true : undefined}
          aria-describedby={errors[name] ? errorId : undefined}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setValues((previous) => ({ ...previous, [name]: value }));
          }}
        />
        {errors[name] ? (
          <p id={errorId} className={errorText}>
            {errors[name]}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <form className="flex flex-col gap-4" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${ids.current}-title`}>
      <h3 id={`${ids.current}-title`} className="font-medium">
        Change password
      </h3>
      {field('current', 'Current password', 'current-password')}
      {field('next', 'New password', 'new-password')}
      {field('confirm', 'Confirm new password', 'new-password')}
      <div className="flex items-start gap-3">
        <input
          id={ids.others}
          type="checkbox"
          checked={signOutOthers}
          aria-describedby={ids.hint}
          onChange={(event) => setSignOutOthers(event.currentTarget.checked)}
          className={`mt-0.5 size-5 shrink-0 cursor-pointer rounded accent-indigo-600 dark:accent-indigo-400 ${focusRing}`}
        />
        <div className="flex min-w-0 flex-col gap-1">
          <label htmlFor={ids.others} className="cursor-pointer text-sm font-medium">
            Sign out other devices
          </label>
          <p id={ids.hint} className="text-sm text-zinc-600 dark:text-zinc-400">
            Anyone signed in elsewhere with the old password loses access within a minute.
          </p>
        </div>
      </div>
      <div>
        <button type="submit" className={buttonPrimary} disabled={saving}>
          {saving ? 'Changing…' : 'Change password'}
        </button>
      </div>
      <FormFeedback status={status} error={error} />
    </form>
  );
}
