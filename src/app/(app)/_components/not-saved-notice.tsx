'use client';

/** After "Cancel" in the sign-in-again dialog: the kept changes are not saved, and a way back to it. */
export function NotSavedNotice({ onSignIn }: { onSignIn: () => void }) {
  return (
    <section
      aria-label="Changes not saved"
      className="sticky top-0 z-30 border-b border-amber-300 bg-amber-50 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-50"
    >
      <div className="mx-auto flex w-full max-w-6xl flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 sm:px-4">
        <p role="status">Your session ended: your changes are not saved until you sign in again.</p>
        <button
          type="button"
          onClick={onSignIn}
          className="min-h-9 rounded-md font-medium underline underline-offset-2 hover:no-underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-700"
        >
          Sign in to save
        </button>
      </div>
    </section>
  );
}
