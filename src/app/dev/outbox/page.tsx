import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { mutedText } from '@/components/ui/styles';
import { env } from '@/server/env';
import { readOutbox } from '@/server/mail';
import { OutboxList } from './_components/outbox-list';

/** Elsewhere than development the 404 must not name the page either. */
export function generateMetadata(): Metadata {
  return env.nodeEnv === 'development' ? { title: 'Outbox (development) · Tasklane', robots: { index: false } } : {};
}

/**
 * The mail the app sent in development (`npm run dev` without SMTP_URL), newest first, so a reset
 * or verification link can be followed without a mail server. Anywhere else it does not exist: a
 * 404 (src/test/smoke/production.test.ts). Public in src/proxy.ts, as the person following a
 * reset link is signed out.
 */
export default async function OutboxPage() {
  if (env.nodeEnv !== 'development') notFound();
  const mails = await readOutbox();
  return (
    <main id="main" className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-3 py-6 sm:px-4 sm:py-8">
      <div className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Outbox</h1>
        <p className={`text-sm ${mutedText}`}>
          {env.mail.transport.kind === 'smtp'
            ? 'SMTP_URL is set: mail goes to that server, not here. Mail from before it was set is below.'
            : `Development only: the mail the app sent, kept in ${env.dataDir}/outbox (the newest 200). Production sends through SMTP_URL.`}
        </p>
      </div>
      <OutboxList mails={mails.map(({ id, to, subject, text, sentAt }) => ({ id, to, subject, text, sentAt }))} />
    </main>
  );
}
