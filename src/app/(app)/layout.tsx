import Link from 'next/link';
import type { ReactNode } from 'react';
import { SiteHeader } from '@/components/site-header';
import { buttonQuiet } from '@/components/ui/styles';
import { env } from '@/server/env';
import { AppProviders } from './_components/app-providers';
import { NotificationBell } from './_components/notification-bell';
import { SessionSync } from './_components/session-sync';
import { SignOutButton } from './_components/sign-out-button';
import { VerifyEmailBanner } from './_components/verify-email-banner';
import { requireUser } from './require-user';

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <AppProviders account={{ id: user.id, email: user.email }}>
      <SessionSync userId={user.id} />
      <SiteHeader
        userName={user.name}
        actions={
          <>
            {/* Reminders are the task API's: a BACKEND_URL service without them has no bell. */}
            {env.taskFeatures.reminders ? <NotificationBell timeZone={user.timezone} /> : null}
            {/* A gear on a phone's width, where the header has no room for the word. Not prefetched:
                every page would fetch the settings' code for a link seldom followed. */}
            <Link href="/settings" prefetch={false} className={`${buttonQuiet} shrink-0`}>
              <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5 sm:hidden" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
                <circle cx="12" cy="12" r="3" />
                <path d="M19.4 15a1.65 1.65 0 0 0 .33 1.82l.06.06a2 2 0 1 1-2.83 2.83l-.06-.06a1.65 1.65 0 0 0-1.82-.33 1.65 1.65 0 0 0-1 1.51V21a2 2 0 0 1-4 0v-.09A1.65 1.65 0 0 0 9 19.4a1.65 1.65 0 0 0-1.82.33l-.06.06a2 2 0 1 1-2.83-2.83l.06-.06A1.65 1.65 0 0 0 4.68 15a1.65 1.65 0 0 0-1.51-1H3a2 2 0 0 1 0-4h.09A1.65 1.65 0 0 0 4.6 9a1.65 1.65 0 0 0-.33-1.82l-.06-.06a2 2 0 1 1 2.83-2.83l.06.06A1.65 1.65 0 0 0 9 4.68a1.65 1.65 0 0 0 1-1.51V3a2 2 0 0 1 4 0v.09a1.65 1.65 0 0 0 1 1.51 1.65 1.65 0 0 0 1.82-.33l.06-.06a2 2 0 1 1 2.83 2.83l-.06.06A1.65 1.65 0 0 0 19.4 9a1.65 1.65 0 0 0 1.51 1H21a2 2 0 0 1 0 4h-.09a1.65 1.65 0 0 0-1.51 1z" />
              </svg>
              <span className="sr-only sm:not-sr-only">Settings</span>
            </Link>
            <SignOutButton />
          </>
        }
      />
      {/* Without account mail (MAIL_ACCOUNTS=off) no link could arrive: no banner then. */}
      {env.mail.accounts && !user.emailVerified ? <VerifyEmailBanner email={user.email} /> : null}
      <main id="main" className="mx-auto w-full max-w-6xl px-3 py-6 sm:px-4 sm:py-8">
        {children}
      </main>
    </AppProviders>
  );
}
