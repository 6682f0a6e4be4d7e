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

export default async function HomePage() {
  if (await getSessionUser().catch(() => null)) redirect(TASKS_PAGE);
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-2xl flex-col justify-center px-5 py-16">
      <Logo />
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
