'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, type FormEvent } from 'react';
import { buttonPrimary, errorText, link, mutedText, textInput } from '@/components/ui/styles';
import { authErrorMessage, retryAfterOf } from '@/lib/auth-messages';
import { PASSWORD_MAX, PASSWORD_MIN, validateCredentials, type AuthMode, type CredentialField } from '@/lib/auth-rules';
import { TASKS_PAGE } from '@/lib/paths';
import { signInClient as authClient } from '@/lib/sign-in-client';
import { TwoFactorStep } from './two-factor-step';

type Mode = AuthMode;
type Field = CredentialField;
type Values = Record<Field, string>;

/** `forgotPassword`: offer "Forgot password?" on sign-in (off when the app sends no account mail). */
export function AuthForm({ mode, returnTo, notice, forgotPassword = false }: { mode: Mode; returnTo: string; notice?: string; forgotPassword?: boolean }) {
  const router = useRouter();
  const id = useId();
  const [values, setValues] = useState<Values>({ name: '', email: '', password: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // The password was right and the account asks for a second factor (Better Auth's twoFactorRedirect).
  const [codeStep, setCodeStep] = useState(false);
  const submitting = useRef(false);
  const fields = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const signUp = mode === 'sign-up';

  async function submit(event: FormEvent) {
    event.preventDefault();
    // A second Enter or click while the first request is out sends nothing.
    if (submitting.current) return;
    const found = validateCredentials(mode, values);
    setErrors(found);
    const firstInvalid = (['name', 'email', 'password'] as const).find((field) => found[field]);
    if (firstInvalid) {
      fields.current[firstInvalid]?.focus();
      return;
    }
    submitting.current = true;
    setPending(true);
    setServerError(null);
    let response: Response | undefined;
    const fetchOptions = { onResponse: (context: { response: Response }) => void (response = context.response) };
    const email = values.email.trim();
    let error: { status: number; message?: string } | null;
    let data: unknown;
    try {
      ({ data, error } = signUp
        ? await authClient.signUp.email(
            // "Today" and due times are the person's: the browser's time zone, changeable later.
            // callbackURL: where the link in the verification mail lands.
            { name: values.name.trim(), email, password: values.password, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, callbackURL: TASKS_PAGE } as Parameters<typeof authClient.signUp.email>[0],
            fetchOptions,
          )
        : await authClient.signIn.email({ email, password: values.password }, fetchOptions));
    } catch {
      // No answer at all (offline, server down): better-fetch throws instead of returning an error.
      error = { status: 0 };
    }
    if (error) {
      submitting.current = false;
      setPending(false);
      setServerError(authErrorMessage(error, retryAfterOf(response)));
      return;
    }
    if (data && typeof data === 'object' && 'twoFactorRedirect' in data && data.twoFactorRedirect) {
      submitting.current = false;
      setPending(false);
      setValues({ ...values, password: '' });
      setCodeStep(true);
      return;
    }
    finish();
  }

  function finish() {
    router.replace(returnTo);
    router.refresh();
  }

  if (codeStep) {
    return (
      <TwoFactorStep
        onSignedIn={finish}
        onRestart={(message) => {
          setCodeStep(false);
          setServerError(message || null);
        }}
      />
    );
  }

  function field(name: Field, label: string, props: { type: string; autoComplete: string; hint?: string }) {
    const error = errors[name];
    const describedBy = [props.hint ? `${id}-${name}-hint` : null, error ? `${id}-${name}-error` : null].filter(Boolean).join(' ') || undefined;
    return (
      <div className="flex flex-col gap-1.5">
        <label htmlFor={`${id}-${name}`} className="text-sm font-medium">
          {label}
        </label>
        <input
          ref={(element) => void (fields.current[name] = element)}
          id={`${id}-${name}`}
          name={name}
          type={props.type}
          autoComplete={props.autoComplete}
          className={textInput}
          value={values[name]}
          onChange={(event) => {
            setValues({ ...values, [name]: event.target.value });
            if (error) setErrors({ ...errors, [name]: undefined });
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          required
          {...(name === 'password' ? { minLength: signUp ? PASSWORD_MIN : undefined, maxLength: PASSWORD_MAX } : {})}
        />
        {props.hint ? (
          <p id={`${id}-${name}-hint`} className={`text-sm ${mutedText}`}>
            {props.hint}
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

  const otherHref = (path: string) => (returnTo === TASKS_PAGE ? path : `${path}?next=${encodeURIComponent(returnTo)}`);

  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="flex flex-col gap-5" aria-describedby={serverError ? `${id}-server-error` : undefined}>
      {notice ? (
        <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          {notice}
        </p>
      ) : null}
      {signUp ? field('name', 'Name', { type: 'text', autoComplete: 'name' }) : null}
      {field('email', 'Email', { type: 'email', autoComplete: 'email' })}
      {field('password', 'Password', {
        type: 'password',
        autoComplete: signUp ? 'new-password' : 'current-password',
        ...(signUp ? { hint: `At least ${PASSWORD_MIN} characters.` } : {}),
      })}
      {!signUp && forgotPassword ? (
        <p className="-mt-3 text-sm">
          <Link href="/forgot-password" className={link}>
            Forgot password?
          </Link>
        </p>
      ) : null}
      <div role="alert" id={`${id}-server-error`} className={serverError ? 'rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200' : ''}>
        {serverError}
      </div>
      <button type="submit" className={buttonPrimary} disabled={pending} aria-busy={pending || undefined}>
        {pending ? (signUp ? 'Creating your account…' : 'Signing in…') : signUp ? 'Create account' : 'Sign in'}
      </button>
      <p className={`text-center text-sm ${mutedText}`}>
        {signUp ? 'Already have an account? ' : 'New to Tasklane? '}
        <Link href={otherHref(signUp ? '/sign-in' : '/sign-up')} className={link}>
          {signUp ? 'Sign in' : 'Create an account'}
        </Link>
      </p>
    </form>
  );
}
