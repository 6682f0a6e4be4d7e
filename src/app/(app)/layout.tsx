import type { ReactNode } from 'react';
import { SiteHeader } from '@/components/site-header';
import { AppProviders } from './_components/app-providers';
import { SignOutButton } from './_components/sign-out-button';
import { requireUser } from './require-user';

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <AppProviders>
      <SiteHeader userName={user.name} actions={<SignOutButton />} />
      <main id="main" className="mx-auto w-full max-w-6xl px-3 py-6 sm:px-4 sm:py-8">
        {children}
      </main>
    </AppProviders>
  );
}
