import Link from 'next/link';
import type { ReactNode } from 'react';
import { focusRing, mutedText } from '@/components/ui/styles';

export function Logo() {
  return (
    <span className="inline-flex items-center gap-2 text-lg font-semibold tracking-tight">
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-6 text-indigo-600 dark:text-indigo-400" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
        <rect x="3" y="3" width="18" height="18" rx="5" />
        <path d="m8 12.5 2.8 2.8L16.5 9.5" />
      </svg>
      Tasklane
    </span>
  );
}

/** The signed-in header: the app's name, who is signed in, and the sign-out action. */
export function SiteHeader({ userName, actions }: { userName: string; actions: ReactNode }) {
  return (
    <header className="border-b border-zinc-200 bg-white/80 dark:border-zinc-800 dark:bg-zinc-950/80">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-3 px-4 py-3">
        <Link href="/tasks" className={`rounded-md ${focusRing}`}>
          <Logo />
        </Link>
        <div className="flex min-w-0 items-center gap-3">
          <p className={`min-w-0 truncate text-sm ${mutedText}`}>
            <span className="sr-only">Signed in as </span>
            <span className="font-medium text-zinc-900 dark:text-zinc-100">{userName}</span>
          </p>
          {actions}
        </div>
      </div>
    </header>
  );
}
