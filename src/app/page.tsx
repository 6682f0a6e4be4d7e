import Link from 'next/link';
import { redirect } from 'next/navigation';
import { Logo } from '@/components/site-header';
import { buttonPrimary, buttonSecondary, mutedText } from '@/components/ui/styles';
import { TASKS_PAGE } from '@/lib/paths';
import { getSessionUser } from '@/server/auth/session';

const FEATURES = [
  ['Quick to use', 'Type and press Enter. Double-click to edit. Everything works from the keyboard.'],
  ['Never loses your words', 'Changes show at once; if the network fails, nothing you typed is lost.'],
  ['Yours alone', 'Each account sees only its own tasks. No tokens are kept in your browser.'],
] as const;

/** `?deleted=1`: where /settings sends the browser once the account is deleted. */
export default async function HomePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await getSessionUser().catch(() => null)) redirect(TASKS_PAGE);
  const deleted = (await searchParams).deleted === '1';
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-2xl flex-col justify-center px-5 py-16">
      <Logo />
      {deleted ? (
        <p role="status" className="mt-8 rounded-lg border border-zinc-200 bg-zinc-50 p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900">
          Your account and all its tasks have been deleted, and you have been signed out everywhere.
        </p>
      ) : null}
      <h1 className="mt-8 text-4xl font-semibold tracking-tight text-balance sm:text-5xl">Your tasks, in one calm list.</h1>
      <p className={`mt-4 text-lg ${mutedText}`}>
        Tasklane is a simple task manager: add what needs doing, tick it off, and find it on every device you sign in from.
      </p>
      <div className="mt-8 flex flex-wrap gap-3">
        <Link href="/sign-up" className={buttonPrimary}>
          Create an account
        </Link>
        <Link href="/sign-in" className={buttonSecondary}>
          Sign in
        </Link>
      </div>
      <ul className="mt-12 grid gap-6 sm:grid-cols-3">
        {FEATURES.map(([title, body]) => (
          <li key={title}>
            <h2 className="font-medium">{title}</h2>
            <p className={`mt-1 text-sm ${mutedText}`}>{body}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}
