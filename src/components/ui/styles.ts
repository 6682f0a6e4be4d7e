/**
 * Shared class lists. Colours are chosen for contrast (WCAG AA, 4.5:1 for text) in both schemes:
 * zinc-600 / zinc-400 for secondary text, indigo-700 / indigo-300 for links, red-700 / red-300
 * for errors. The dark primary button is indigo-400 under near-black text: indigo-500 fell short
 * (axe-core's contrast check in the e2e suite found it).
 */
export const focusRing =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-400';

export const buttonPrimary = `inline-flex min-h-11 items-center justify-center gap-2 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700 disabled:cursor-not-allowed disabled:opacity-60 dark:bg-indigo-400 dark:hover:bg-indigo-300 dark:text-zinc-950 ${focusRing}`;

export const buttonSecondary = `inline-flex min-h-11 items-center justify-center gap-2 rounded-lg border border-zinc-300 bg-white px-4 py-2 text-sm font-medium text-zinc-800 hover:bg-zinc-50 disabled:cursor-not-allowed disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800 ${focusRing}`;

export const buttonQuiet = `inline-flex min-h-9 items-center justify-center rounded-md px-2 text-sm font-medium text-zinc-700 hover:bg-zinc-100 hover:text-zinc-950 disabled:cursor-not-allowed disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white ${focusRing}`;

export const textInput = `block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-base text-zinc-900 placeholder:text-zinc-500 aria-[invalid=true]:border-red-600 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-400 dark:aria-[invalid=true]:border-red-400 ${focusRing}`;

/** A compact select (filters, sort, the bulk bar's choices): as wide as its options. */
export const selectInput = `inline-block min-h-9 w-auto rounded-lg border border-zinc-300 bg-white py-1 pr-8 pl-2 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 ${focusRing}`;

export const link = `font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-900 dark:text-indigo-300 dark:hover:text-indigo-200 ${focusRing} rounded-sm`;

export const mutedText = 'text-zinc-600 dark:text-zinc-400';

export const errorText = 'text-sm text-red-700 dark:text-red-300';

export const card = 'rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900';
