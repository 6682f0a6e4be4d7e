import type { Metadata } from 'next';
import { env } from '@/server/env';
import { AuthForm } from '../_components/auth-form';
import { readAuthParams, type AuthSearchParams } from '../auth-page';

export const metadata: Metadata = { title: 'Sign in · Tasklane' };

export default async function SignInPage({ searchParams }: { searchParams: AuthSearchParams }) {
  const { returnTo, expired } = await readAuthParams(searchParams);
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">Sign in</h1>
      <AuthForm mode="sign-in" returnTo={returnTo} notice={expired ? 'Your session has expired. Please sign in again.' : undefined} forgotPassword={env.mail.accounts} />
    </>
  );
}
