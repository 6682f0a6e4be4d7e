'use client';

import { buttonPrimary, mutedText } from '@/components/ui/styles';

/** A page that could not be rendered (most often: the database did not answer in time). */
export default function PageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-4 px-5 py-16">
      <h1 className="text-2xl font-semibold tracking-tight">Tasklane is having trouble</h1>
      <p className={mutedText} role="alert">
        This page could not be loaded just now. Your tasks are safe; please try again in a moment.
      </p>
      <button type="button" className={`${buttonPrimary} self-start`} onClick={reset}>
        Try again
      </button>
    </main>
  );
}
