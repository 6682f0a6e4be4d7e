import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isResetTokenUsable } from '@/server/auth/password-reset';
import { env } from '@/server/env';
import type { AuthSearchParams } from '../auth-page';
import { ResetPasswordForm } from '../_components/reset-password-form';

// The token is in this page's address: it is sent to no other site, not even as a referrer.
export const metadata: Metadata = { title: 'Choose a new password · Tasklane', referrer: 'no-referrer' };

export default async function ResetPasswordPage({ searchParams }: { searchParams: AuthSearchParams }) {
  if (!env.mail.accounts) notFound();
  const { token } = await searchParams;
  const usable = typeof token === 'string' && (await isResetTokenUsable(token));
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">Choose a new password</h1>
      <ResetPasswordForm token={usable ? token : null} />
    </>
  );
}
