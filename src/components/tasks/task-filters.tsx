'use client';

import type { MouseEvent } from 'react';
import { viewHref, type Filter, type TaskView } from '@/lib/tasks/view';
import { focusRing } from '@/components/ui/styles';

const LABELS: Record<Filter, string> = { all: 'All', active: 'Active', completed: 'Completed' };

/** All / Active / Completed as real links (they work without JS and open in a new tab), switched in place when clicked. */
export function TaskFilters({ view, onSelect }: { view: TaskView; onSelect: (filter: Filter) => void }) {
  const current = view.filter;
  function onClick(event: MouseEvent<HTMLAnchorElement>, filter: Filter) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onSelect(filter);
  }
  return (
    <nav aria-label="Filter tasks">
      <ul className="flex items-center gap-1">
        {(Object.keys(LABELS) as Filter[]).map((filter) => (
          <li key={filter}>
            <a
              href={viewHref({ ...view, filter })}
              onClick={(event) => onClick(event, filter)}
              aria-current={filter === current ? 'page' : undefined}
              className={`inline-flex min-h-9 items-center rounded-md border px-3 text-sm ${focusRing} ${
                filter === current
                  ? 'border-indigo-600 font-semibold text-indigo-800 dark:border-indigo-400 dark:text-indigo-200'
                  : 'border-transparent text-zinc-700 hover:border-zinc-300 dark:text-zinc-300 dark:hover:border-zinc-600'
              }`}
            >
              {LABELS[filter]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
