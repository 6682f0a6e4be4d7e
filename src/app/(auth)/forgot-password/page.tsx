import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { env } from '@/server/env';
import { ForgotPasswordForm } from '../_components/forgot-password-form';

export const metadata: Metadata = { title: 'Forgot your password? · Tasklane' };

export default function ForgotPasswordPage() {
  // MAIL_ACCOUNTS=off: no mail could carry the link.
  if (!env.mail.accounts) notFound();
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold tracking-tight">Forgot your password?</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-400">Enter the email address of your account and we will send you a link to choose a new password.</p>
      <ForgotPasswordForm />
    </>
  );
}
