'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { buttonPrimary, buttonQuiet, errorText, focusRing, mutedText, textInput } from '@/components/ui/styles';
import { authErrorMessage, retryAfterOf } from '@/lib/auth-messages';
import { signInClient } from '@/lib/sign-in-client';

type Method = 'totp' | 'backup';

/** Better Auth's answers that mean this sign-in is over (expired after 10 minutes, or 5 wrong codes): start again with the password. */
const CHALLENGE_ENDED = new Set(['INVALID_TWO_FACTOR_COOKIE', 'TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE']);

const TEXT: Record<Method, { label: string; hint: string; wrong: string; other: string }> = {
  totp: {
    label: '6-digit code',
    hint: 'Open your authenticator app and enter the code it shows for Tasklane.',
    wrong: 'That code is not right. Enter the newest code your app shows; each code works once.',
    other: 'Use a backup code instead',
  },
  backup: {
    label: 'Backup code',
    hint: 'Enter one of the backup codes you saved when you turned on two-factor authentication. Each works once.',
    wrong: 'That backup code is not right, or it was used already.',
    other: 'Use your authenticator app instead',
  },
};

/**
 * Sign-in's second step, shown only once the password was right (Better Auth answered
 * `twoFactorRedirect` and set its short-lived challenge cookie; no session exists yet). A wrong code
 * keeps the person here; a challenge that ended sends them back to the password (`onRestart`).
 * `onSignedIn` gets the id of the account now signed in (the sign-in-again dialog compares it).
 */
export function TwoFactorStep({ onSignedIn, onRestart }: { onSignedIn: (userId: string | undefined) => void; onRestart: (message: string) => void }) {
  const id = useId();
  const [method, setMethod] = useState<Method>('totp');
  const [code, setCode] = useState('');
  const [trustDevice, setTrustDevice] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submitting = useRef(false);
  const input = useRef<HTMLInputElement>(null);
  const text = TEXT[method];

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (submitting.current) return;
    const value = method === 'totp' ? code.replace(/[\s-]/g, '') : code.trim();
    const invalid = method === 'totp' ? (/^\d{6}$/.test(value) ? null : 'Enter the 6 digits your app shows.') : value === '' ? 'Enter a backup code.' : null;
    setFieldError(invalid);
    if (invalid) {
      input.current?.focus();
      return;
    }
    submitting.current = true;
    setPending(true);
    setServerError(null);
    let response: Response | undefined;
    const fetchOptions = { onResponse: (context: { response: Response }) => void (response = context.response) };
    let error: { status: number; message?: string; code?: string } | null;
    let data: { user?: { id?: string } } | null = null;
    try {
      ({ data, error } =
        method === 'totp'
          ? await signInClient.twoFactor.verifyTotp({ code: value, trustDevice }, fetchOptions)
          : await signInClient.twoFactor.verifyBackupCode({ code: value, trustDevice }, fetchOptions));
    } catch {
      error = { status: 0 };
    }
    if (!error) {
      onSignedIn(data?.user?.id);
      return;
    }
    submitting.current = false;
    setPending(false);
    if (error.code && CHALLENGE_ENDED.has(error.code)) {
      onRestart('This sign-in ended (it took too long, or too many codes were wrong). Enter your password again.');
      return;
    }
    if (error.code === 'INVALID_CODE' || error.code === 'INVALID_BACKUP_CODE') {
      setCode('');
      setFieldError(text.wrong);
      setServerError(text.wrong);
      input.current?.focus();
      return;
    }
    setServerError(authErrorMessage(error, retryAfterOf(response)));
  }

  function switchMethod() {
    setMethod(method === 'totp' ? 'backup' : 'totp');
    setCode('');
    setFieldError(null);
    setServerError(null);
    input.current?.focus();
  }

  const describedBy = [`${id}-hint`, fieldError ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="flex flex-col gap-5" aria-labelledby={`${id}-title`}>
      <div className="flex flex-col gap-1">
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          Two-factor authentication
        </h2>
        <p id={`${id}-hint`} className={`text-sm ${mutedText}`}>
          {text.hint}
        </p>
      </div>
      <div className="flex flex-col gap-1.5">
        <label htmlFor={`${id}-code`} className="text-sm font-medium">
          {text.label}
        </label>
        <input
          ref={input}
          id={`${id}-code`}
          key={method}
          name="code"
          type="text"
          autoFocus
          autoComplete="one-time-code"
          {...(method === 'totp' ? { inputMode: 'numeric' as const, maxLength: 7 } : { spellCheck: false, autoCapitalize: 'off' })}
          className={`${textInput} font-mono tracking-widest`}
          value={code}
          onChange={(event) => {
            setCode(event.target.value);
            if (fieldError) setFieldError(null);
          }}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={describedBy}
          required
        />
        {fieldError ? (
          <p id={`${id}-error`} className={errorText}>
            {fieldError}
          </p>
        ) : null}
      </div>
      <div className="flex items-start gap-3">
        <input
          id={`${id}-trust`}
          type="checkbox"
          checked={trustDevice}
          aria-describedby={`${id}-trust-hint`}
          onChange={(event) => setTrustDevice(event.currentTarget.checked)}
          className={`mt-0.5 size-5 shrink-0 cursor-pointer rounded accent-indigo-600 dark:accent-indigo-400 ${focusRing}`}
        />
        <div className="flex min-w-0 flex-col gap-1">
          <label htmlFor={`${id}-trust`} className="cursor-pointer text-sm font-medium">
            Trust this device
          </label>
          <p id={`${id}-trust-hint`} className={`text-sm ${mutedText}`}>
            Don’t ask for a code on this browser for 30 days. Only on a device no one else uses.
          </p>
        </div>
      </div>
      <div role="alert" className={serverError ? 'rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200' : ''}>
        {serverError}
      </div>
      <button type="submit" className={buttonPrimary} disabled={pending} aria-busy={pending || undefined}>
        {pending ? 'Verifying…' : 'Verify'}
      </button>
      <div className="flex flex-wrap justify-between gap-2">
        <button type="button" className={buttonQuiet} onClick={switchMethod}>
          {text.other}
        </button>
        <button type="button" className={buttonQuiet} onClick={() => onRestart('')}>
          Back to password
        </button>
      </div>
    </form>
  );
}
