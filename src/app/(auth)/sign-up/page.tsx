import type { Metadata } from 'next';
import { AuthForm } from '../_components/auth-form';
import { readAuthParams, type AuthSearchParams } from '../auth-page';

export const metadata: Metadata = { title: 'Create an account · Tasklane' };

export default async function SignUpPage({ searchParams }: { searchParams: AuthSearchParams }) {
  const { returnTo } = await readAuthParams(searchParams);
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">Create your account</h1>
      <AuthForm mode="sign-up" returnTo={returnTo} />
    </>
  );
}
