import type { Priority } from '@/lib/api/limits';

export const PRIORITY_LABEL: Record<Priority, string> = { none: 'No priority', low: 'Low', medium: 'Medium', high: 'High' };

const COLOR: Record<Priority, string> = {
  none: 'text-zinc-400 dark:text-zinc-500',
  low: 'text-sky-600 dark:text-sky-400',
  medium: 'text-amber-600 dark:text-amber-400',
  high: 'text-red-600 dark:text-red-400',
};

/** A small flag in the priority's colour; its words stand beside it (the flag is decoration). */
export function PriorityFlag({ priority }: { priority: Priority }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className={`size-3.5 ${COLOR[priority]}`} fill="currentColor">
      <path d="M3 1.75a.75.75 0 0 1 1.5 0V2h7.4a.6.6 0 0 1 .5.93L11 5l1.4 2.07a.6.6 0 0 1-.5.93H4.5v6.25a.75.75 0 0 1-1.5 0V1.75Z" />
    </svg>
  );
}
