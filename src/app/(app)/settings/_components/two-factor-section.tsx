'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { buttonPrimary, buttonSecondary, errorText, mutedText, textInput } from '@/components/ui/styles';
import { describeError, SessionExpiredError } from '@/lib/tasks/api-client';
import { useTaskFeedback } from '@/lib/tasks/feedback';
import { AuthRefusal, disableTwoFactor, enableTwoFactor, generateBackupCodes, verifyTotp } from './auth-client';
import { FormFeedback } from './form-feedback';

type PasswordAction = 'enable' | 'disable' | 'codes';

type Panel =
  | { kind: 'password'; action: PasswordAction }
  | { kind: 'setup'; secret: string; qrSvg: string; backupCodes: string[] }
  | { kind: 'codes'; backupCodes: string[] };

const PASSWORD_BUTTON: Record<PasswordAction, [idle: string, busy: string]> = {
  enable: ['Continue', 'Checking…'],
  disable: ['Turn off two-factor authentication', 'Turning off…'],
  codes: ['Make new backup codes', 'Making codes…'],
};

/** The setup key of an otpauth:// URI (base32), as an authenticator app takes it by hand. */
export function secretOf(totpURI: string): string {
  return new URL(totpURI).searchParams.get('secret') ?? '';
}

/** "123 456" and "123456" are the same code; anything else but 6 digits is not one. */
export function normalizeCode(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** The backup codes, copied or downloaded: one a line, with what they are. */
function backupCodesText(codes: string[]): string {
  return `Tasklane backup codes\nEach code signs you in once when you cannot use your authenticator app.\n\n${codes.join('\n')}\n`;
}

function BackupCodes({ codes, onStatus }: { codes: string[]; onStatus: (status: string) => void }) {
  const listId = useId();
  async function copy() {
    try {
      await navigator.clipboard.writeText(backupCodesText(codes));
      onStatus('Backup codes copied.');
    } catch {
      onStatus('Couldn’t copy: select the codes and copy them, or download them.');
    }
  }
  function download() {
    const url = URL.createObjectURL(new Blob([backupCodesText(codes)], { type: 'text/plain' }));
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = 'tasklane-backup-codes.txt';
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    onStatus('Backup codes downloaded.');
  }
  return (
    <div className="flex flex-col gap-2">
      <p id={listId} className="text-sm">
        <span className="font-medium">Backup codes.</span> Keep them somewhere safe: each one signs you in once if you lose your phone.
      </p>
      <ul aria-labelledby={listId} className="grid grid-cols-2 gap-x-6 gap-y-1 rounded-lg border border-zinc-200 bg-zinc-50 p-3 font-mono text-sm sm:grid-cols-5 dark:border-zinc-700 dark:bg-zinc-950">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonSecondary} onClick={() => void copy()}>
          Copy codes
        </button>
        <button type="button" className={buttonSecondary} onClick={download}>
          Download codes
        </button>
      </div>
    </div>
  );
}

/**
 * Two-factor authentication (Better Auth's twoFactor plugin). Turning it on: the password, then a QR
 * code and setup key for the authenticator app and the backup codes, then a code from the app
 * confirms it (until then sign-in asks for nothing more). When on: new backup codes, or off, each
 * with the password. Every step changes the session (Better Auth replaces it), so the sessions list
 * is refreshed (`onChanged`).
 */
export function TwoFactorSection({ initialEnabled, onChanged = () => {} }: { initialEnabled: boolean; onChanged?: () => void }) {
  const feedback = useTaskFeedback();
  const [enabled, setEnabled] = useState(initialEnabled);
  const [panel, setPanel] = useState<Panel | null>(null);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const ids = { title: useId(), password: useId(), code: useId(), fieldError: useId(), key: useId(), qr: useId() };

  function open(next: Panel | null) {
    setPanel(next);
    setPassword('');
    setCode('');
    setFieldError(null);
    setError(null);
  }

  /** A refusal, a lost session or a lost network, said in the section. */
  function failed(caught: unknown, what: string) {
    if (caught instanceof SessionExpiredError) {
      feedback.sessionExpired();
      return;
    }
    setError(`${what} ${describeError(caught)}`);
  }

  async function submitPassword(event: FormEvent, action: PasswordAction) {
    event.preventDefault();
    if (busy) return;
    setStatus('');
    setError(null);
    if (password === '') {
      setFieldError('Enter your password.');
      input.current?.focus();
      return;
    }
    setFieldError(null);
    setBusy(true);
    try {
      if (action === 'enable') {
        const { totpURI, backupCodes } = await enableTwoFactor(password);
        // Loaded when needed: the QR encoder is for this step only.
        const { toString } = await import('qrcode');
        const qrSvg = await toString(totpURI, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
        open({ kind: 'setup', secret: secretOf(totpURI), qrSvg, backupCodes });
      } else if (action === 'disable') {
        await disableTwoFactor(password);
        setEnabled(false);
        open(null);
        setStatus('Two-factor authentication is off. Signing in asks for your password only.');
        onChanged();
      } else {
        open({ kind: 'codes', backupCodes: await generateBackupCodes(password) });
        setStatus('New backup codes made. The old ones no longer work.');
      }
    } catch (caught) {
      if (caught instanceof AuthRefusal && caught.code === 'INVALID_PASSWORD') {
        setFieldError('That password is not right.');
        setError('That password is not right. Nothing was changed.');
        input.current?.focus();
      } else {
        failed(caught, 'Nothing was changed.');
      }
    } finally {
      setBusy(false);
    }
  }

  async function submitCode(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setStatus('');
    setError(null);
    const digits = normalizeCode(code);
    if (!digits) {
      setFieldError('Enter the 6 digits your app shows.');
      input.current?.focus();
      return;
    }
    setFieldError(null);
    setBusy(true);
    try {
      await verifyTotp(digits);
      setEnabled(true);
      open(null);
      setStatus('Two-factor authentication is on. Signing in now asks for a code from your app.');
      onChanged();
    } catch (caught) {
      if (caught instanceof AuthRefusal && caught.code === 'INVALID_CODE') {
        setCode('');
        setFieldError('That code is not right.');
        setError('That code is not right. Enter the newest code your app shows (each code works once). If it keeps failing, check that your phone sets its clock automatically.');
        input.current?.focus();
      } else {
        failed(caught, 'Two-factor authentication is not on yet.');
      }
    } finally {
      setBusy(false);
    }
  }

  const describedBy = fieldError ? ids.fieldError : undefined;
  const fieldErrorLine = fieldError ? (
    <p id={ids.fieldError} className={errorText}>
      {fieldError}
    </p>
  ) : null;

  function passwordForm(action: PasswordAction) {
    const [idle, pending] = PASSWORD_BUTTON[action];
    return (
      <form className="flex flex-col gap-3" onSubmit={(event) => void submitPassword(event, action)} noValidate aria-label={idle}>
        {action === 'enable' ? <p className="text-sm">First, confirm it is you.</p> : null}
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.password} className="text-sm font-medium">
            Confirm with your password
          </label>
          <input
            id={ids.password}
            ref={input}
            type="password"
            autoComplete="current-password"
            autoFocus
            className={textInput}
            value={password}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={describedBy}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          {fieldErrorLine}
        </div>
        <div className="flex flex-wrap gap-2">
          <button type="submit" className={buttonPrimary} disabled={busy}>
            {busy ? pending : idle}
          </button>
          <button type="button" className={buttonSecondary} onClick={() => open(null)} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    );
  }

  return (
    <div id="two-factor" className="flex flex-col gap-4" role="group" aria-labelledby={ids.title}>
      <h3 id={ids.title} className="font-medium">
        Two-factor authentication
      </h3>
      <p className={`text-sm ${mutedText}`}>
        {enabled
          ? 'On. Signing in asks for your password and a code from your authenticator app.'
          : 'Off. Turn it on to ask for a code from an authenticator app on your phone, as well as your password, when you sign in.'}
      </p>

      {panel === null ? (
        <div className="flex flex-wrap gap-2">
          {enabled ? (
            <>
              <button type="button" className={buttonSecondary} onClick={() => open({ kind: 'password', action: 'codes' })}>
                New backup codes…
              </button>
              <button type="button" className={buttonSecondary} onClick={() => open({ kind: 'password', action: 'disable' })}>
                Turn off…
              </button>
            </>
          ) : (
            <button type="button" className={buttonPrimary} onClick={() => open({ kind: 'password', action: 'enable' })}>
              Turn on two-factor authentication
            </button>
          )}
        </div>
      ) : null}

      {panel?.kind === 'password' ? passwordForm(panel.action) : null}

      {panel?.kind === 'setup' ? (
        <div className="flex flex-col gap-5">
          <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:gap-5">
            <div
              role="img"
              aria-labelledby={ids.qr}
              className="size-44 shrink-0 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-700 [&>svg]:size-full"
              // The SVG is the qrcode package's rendering of the URI Better Auth gave: no markup of anyone's.
              dangerouslySetInnerHTML={{ __html: panel.qrSvg }}
            />
            <div className="flex min-w-0 flex-col gap-3">
              <p id={ids.qr} className="text-sm">
                <span className="font-medium">1. Scan this QR code</span> with your authenticator app (1Password, Google Authenticator, Authy, …).
              </p>
              <div className="flex flex-col gap-1">
                <label htmlFor={ids.key} className="text-sm font-medium">
                  Setup key
                </label>
                <p className={`text-sm ${mutedText}`}>Or type this key into the app if you cannot scan.</p>
                {/* Wrapped, not cut off: the whole key stays readable on a phone's width. */}
                <textarea
                  id={ids.key}
                  readOnly
                  rows={2}
                  value={panel.secret}
                  className={`${textInput} resize-none font-mono text-sm break-all`}
                  onFocus={(event) => event.currentTarget.select()}
                />
              </div>
            </div>
          </div>
          <BackupCodes codes={panel.backupCodes} onStatus={setStatus} />
          <form className="flex flex-col gap-3" onSubmit={(event) => void submitCode(event)} noValidate aria-label="Confirm two-factor authentication">
            <div className="flex flex-col gap-1">
              <label htmlFor={ids.code} className="text-sm font-medium">
                6-digit code
              </label>
              <p className={`text-sm ${mutedText}`}>2. Enter the code your app now shows for Tasklane.</p>
              <input
                id={ids.code}
                ref={input}
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                className={`${textInput} max-w-40 font-mono tracking-widest`}
                value={code}
                aria-invalid={fieldError ? true : undefined}
                aria-describedby={describedBy}
                onChange={(event) => setCode(event.currentTarget.value)}
              />
              {fieldErrorLine}
            </div>
            <div className="flex flex-wrap gap-2">
              <button type="submit" className={buttonPrimary} disabled={busy}>
                {busy ? 'Checking…' : 'Turn on'}
              </button>
              <button type="button" className={buttonSecondary} onClick={() => open(null)} disabled={busy}>
                Cancel
              </button>
            </div>
          </form>
        </div>
      ) : null}

      {panel?.kind === 'codes' ? (
        <div className="flex flex-col gap-3">
          <BackupCodes codes={panel.backupCodes} onStatus={setStatus} />
          <div>
            <button type="button" className={buttonPrimary} onClick={() => open(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}

      <FormFeedback status={status} error={error} />
    </div>
  );
}
