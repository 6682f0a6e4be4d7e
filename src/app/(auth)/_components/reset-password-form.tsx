'use client';

import Link from 'next/link';
import { useId, useRef, useState, type FormEvent } from 'react';
import { buttonPrimary, errorText, link, mutedText, textInput } from '@/components/ui/styles';
import { authClient } from '@/lib/auth-client';
import { authErrorMessage, retryAfterOf } from '@/lib/auth-messages';
import { PASSWORD_MAX, PASSWORD_MIN } from '@/lib/auth-rules';

type Field = 'password' | 'confirm';

const alertBox = 'rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200';
const doneBox = 'rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100';

/** The checks the server makes too (but the common-password list, which only it holds). */
function validate(values: Record<Field, string>): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (values.password === '') errors.password = 'Enter a new password.';
  else if (values.password.length < PASSWORD_MIN) errors.password = `Use at least ${PASSWORD_MIN} characters.`;
  else if (values.password.length > PASSWORD_MAX) errors.password = `Use at most ${PASSWORD_MAX} characters.`;
  if (values.confirm === '') errors.confirm = 'Enter the new password again.';
  else if (!errors.password && values.confirm !== values.password) errors.confirm = 'The two passwords do not match.';
  return errors;
}

/** `token`: the link's, when it can still be used; null when it has expired, was used, or is not one. */
export function ResetPasswordForm({ token }: { token: string | null }) {
  const id = useId();
  const [values, setValues] = useState<Record<Field, string>>({ password: '', confirm: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [state, setState] = useState<'form' | 'done' | 'invalid'>(token ? 'form' : 'invalid');
  const [pending, setPending] = useState(false);
  const submitting = useRef(false);
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (submitting.current || !token) return;
    const found = validate(values);
    setErrors(found);
    const firstInvalid = (['password', 'confirm'] as const).find((field) => found[field]);
    if (firstInvalid) {
      inputs.current[firstInvalid]?.focus();
      return;
    }
    submitting.current = true;
    setPending(true);
    setServerError(null);
    let response: Response | undefined;
    let failure: { status: number; message?: string; code?: string } | null;
    try {
      ({ error: failure } = await authClient.resetPassword(
        { newPassword: values.password, token },
        { onResponse: (context: { response: Response }) => void (response = context.response) },
      ));
    } catch {
      failure = { status: 0 };
    }
    submitting.current = false;
    setPending(false);
    if (!failure) setState('done');
    else if (failure.code === 'INVALID_TOKEN' || failure.code === 'USER_NOT_FOUND') setState('invalid');
    else {
      setServerError(authErrorMessage(failure, retryAfterOf(response)));
      inputs.current.password?.focus();
    }
  }

  if (state === 'done') {
    return (
      <div className="flex flex-col gap-5">
        <p role="status" className={doneBox}>
          Password changed. You were signed out everywhere: sign in with your new password.
        </p>
        <Link href="/sign-in" className={buttonPrimary}>
          Sign in
        </Link>
      </div>
    );
  }

  if (state === 'invalid') {
    return (
      <div className="flex flex-col gap-5">
        <p role="alert" className={alertBox}>
          This link has expired or was already used. Reset links work once, for one hour.
        </p>
        <Link href="/forgot-password" className={buttonPrimary}>
          Send me a new link
        </Link>
        <p className={`text-center text-sm ${mutedText}`}>
          <Link href="/sign-in" className={link}>
            Back to sign in
          </Link>
        </p>
      </div>
    );
  }

  function field(name: Field, label: string, hint?: string) {
    const error = errors[name];
    const describedBy = [hint ? `${id}-${name}-hint` : null, error ? `${id}-${name}-error` : null].filter(Boolean).join(' ') || undefined;
    return (
      <div className="flex flex-col gap-1.5">
        <label htmlFor={`${id}-${name}`} className="text-sm font-medium">
          {label}
        </label>
        <input
          ref={(element) => void (inputs.current[name] = element)}
          id={`${id}-${name}`}
          name={name}
          type="password"
          autoComplete="new-password"
          className={textInput}
          value={values[name]}
          onChange={(event) => {
            setValues({ ...values, [name]: event.target.value });
            if (error) setErrors({ ...errors, [name]: undefined });
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          required
          minLength={PASSWORD_MIN}
          maxLength={PASSWORD_MAX}
        />
        {hint ? (
          <p id={`${id}-${name}-hint`} className={`text-sm ${mutedText}`}>
            {hint}
          </p>
        ) : null}
        {error ? (
          <p id={`${id}-${name}-error`} className={errorText}>
            {error}
          </p>
        ) : null}
      </div>
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="flex flex-col gap-5" aria-describedby={serverError ? `${id}-server-error` : undefined}>
      {field('password', 'New password', `At least ${PASSWORD_MIN} characters.`)}
      {field('confirm', 'Confirm new password')}
      <div role="alert" id={`${id}-server-error`} className={serverError ? alertBox : ''}>
        {serverError}
      </div>
      <button type="submit" className={buttonPrimary} disabled={pending} aria-busy={pending || undefined}>
        {pending ? 'Saving…' : 'Set new password'}
      </button>
    </form>
  );
}
