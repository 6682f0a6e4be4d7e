import type { Filter } from '@/lib/tasks/view';
import { buttonSecondary, mutedText } from '@/components/ui/styles';

const WIDTHS = ['w-3/5', 'w-2/5', 'w-4/5', 'w-1/3'];

/** Grey rows in the shape of tasks while the first page loads. */
export function TaskListSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <div role="status" aria-live="polite" className="divide-y divide-zinc-200 dark:divide-zinc-800">
      <span className="sr-only">Loading tasks…</span>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="flex items-center gap-3 px-3 py-4 sm:px-4" aria-hidden="true">
          <div className="size-6 shrink-0 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className={`h-4 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800 ${WIDTHS[index % WIDTHS.length]}`} />
        </div>
      ))}
    </div>
  );
}

const EMPTY: Record<Filter, { title: string; body: string }> = {
  all: { title: 'No tasks yet', body: 'Type one above and press Enter to add it.' },
  active: { title: 'Nothing left to do', body: 'Every task is done. Add another above, or look at the completed ones.' },
  completed: { title: 'Nothing completed yet', body: 'Tick a task’s checkbox when it is done and it shows up here.' },
};

const EMPTY_HERE: Record<Filter, string> = {
  all: 'No tasks here',
  active: 'Nothing left to do here',
  completed: 'Nothing completed here yet',
};

/**
 * Why nothing is shown, and what to do about it: add one, look elsewhere, or (when a search or a
 * filter hides everything) clear it.
 */
export function TaskListEmpty({ filter, filtered = false, onClear }: { filter: Filter; filtered?: boolean; onClear?: () => void }) {
  const { title, body } = EMPTY[filter];
  if (onClear) {
    return (
      <div className="flex flex-col items-center gap-3 px-4 py-10 text-center">
        <p className="font-medium">No tasks match these filters</p>
        <p className={`text-sm ${mutedText}`}>The search or a filter above hides every task here.</p>
        <button type="button" className={buttonSecondary} onClick={onClear}>
          Clear the filters
        </button>
      </div>
    );
  }
  return (
    <div className="px-4 py-10 text-center">
      <p className="font-medium">{filtered ? EMPTY_HERE[filter] : title}</p>
      <p className={`mt-1 text-sm ${mutedText}`}>{filtered ? 'Add one above, or pick another place on the left.' : body}</p>
    </div>
  );
}

export function TaskListError({ message, onRetry, retrying }: { message: string; onRetry: () => void; retrying: boolean }) {
  return (
    <div role="alert" className="flex flex-col items-center gap-3 px-4 py-10 text-center">
      <p className="font-medium">Couldn’t load your tasks</p>
      <p className={`text-sm ${mutedText}`}>{message}</p>
      <button type="button" className={buttonSecondary} onClick={onRetry} disabled={retrying}>
        {retrying ? 'Retrying…' : 'Try again'}
      </button>
    </div>
  );
}
