import { after } from 'next/server';
import { appLink, composeMail, type MailContent } from './compose';
import { sendMail, type Mail } from './send';

/**
 * The account mails (Better Auth's password reset, email verification and email change) and how they leave.
 * Their links are credentials: they go in the mail only, never in a log line (sendMail logs the
 * recipient's domain and a message id).
 */

/** How long a password reset link works (Better Auth's resetPasswordTokenExpiresIn, in seconds). */
export const RESET_LINK_SECONDS = 60 * 60;

export function resetPasswordMail(token: string): MailContent {
  return composeMail({
    subject: 'Reset your Tasklane password',
    heading: 'Reset your Tasklane password',
    paragraphs: [
      'Someone, hopefully you, asked to reset the password of the Tasklane account for this address.',
      'The link works once, for one hour. Setting a new password signs you out everywhere.',
    ],
    action: { label: 'Choose a new password', href: appLink(`/reset-password?token=${encodeURIComponent(token)}`) },
    footer: { text: 'If you did not ask for this, ignore this email: your password stays as it is.', link: { label: 'Sign in', href: appLink('/sign-in') } },
  });
}

/** `url`: Better Auth's verify-email link; only its path and query are kept, on the app's public origin. */
export function verifyEmailMail(url: string): MailContent {
  const given = new URL(url);
  return composeMail({
    subject: 'Verify your email address for Tasklane',
    heading: 'Verify your email address',
    paragraphs: ['Confirm that this address is yours, so Tasklane can send you a link if you ever forget your password.'],
    action: { label: 'Verify my email address', href: appLink(`${given.pathname}${given.search}`) },
    footer: { text: 'You get this email because this address was used for a Tasklane account. If it was not you, ignore it.', link: { label: 'Sign in', href: appLink('/sign-in') } },
  });
}

/**
 * The link that changes the account's email to the address it is sent to (Better Auth's
 * /change-email, which mails the new address, never the old one). `url`: as in verifyEmailMail.
 */
export function changeEmailMail(url: string): MailContent {
  const given = new URL(url);
  return composeMail({
    subject: 'Confirm your new email address for Tasklane',
    heading: 'Confirm your new email address',
    paragraphs: [
      'Someone, hopefully you, asked to use this address for their Tasklane account.',
      'Your account’s email changes to this address when you follow the link; until then it stays as it was. The link works for one hour.',
    ],
    action: { label: 'Use this email address', href: appLink(`${given.pathname}${given.search}`) },
    footer: { text: 'If you did not ask for this, ignore this email: no account changes.', link: { label: 'Sign in', href: appLink('/sign-in') } },
  });
}

/**
 * Sends without making the request wait for the mail server: how long a request takes must not say
 * whether the address has an account. Inside a request Next's `after` keeps the work alive (on
 * Vercel the function would otherwise be frozen when the answer is sent); outside one (tests,
 * scripts) the promise simply runs. A failure is logged by sendMail.
 */
export function sendInBackground(mail: Mail): Promise<void> {
  const sending = sendMail(mail).then(
    () => undefined,
    () => undefined,
  );
  try {
    after(sending);
  } catch {
    // Not in a request scope: nothing to extend.
  }
  return sending;
}
