'use client';

import { useEffect, useId, useRef, useState, type Ref } from 'react';
import { DEFAULT_ORDER, DUE_FILTERS, PRIORITIES, QUERY_MAX, TASK_SORTS, type DueFilter, type TaskSort } from '@/lib/api/limits';
import { useTaskFeatures } from '@/lib/tasks/hooks';
import type { TaskView } from '@/lib/tasks/view';
import { buttonQuiet, focusRing, mutedText, selectInput, textInput } from '@/components/ui/styles';
import { PRIORITY_LABEL } from './priority-flag';

export const SORT_LABEL: Record<TaskSort, string> = { created: 'Date added', updated: 'Last changed', due: 'Due date', priority: 'Priority', title: 'Title' };
export const DUE_LABEL: Record<DueFilter, string> = { overdue: 'Overdue', today: 'Due today', week: 'Due in 7 days', none: 'No due date', scheduled: 'Has a due date' };

/** Search results follow typing after this pause, not on every key. */
const SEARCH_DELAY_MS = 250;

interface TaskToolbarProps {
  view: TaskView;
  tags: string[];
  searchRef?: Ref<HTMLInputElement>;
  /** A new view (replacing the URL's history entry while typing a search). */
  onChange: (view: TaskView, options?: { replace?: boolean }) => void;
}

/** Search (`/`), filters (priority, tag, due date) and the sort, all kept in the URL. */
export function TaskToolbar({ view, tags, searchRef, onChange }: TaskToolbarProps) {
  const id = useId();
  const features = useTaskFeatures();
  const [search, setSearch] = useState(view.q ?? '');
  const typing = useRef(false);

  // The URL wins when it changes from elsewhere (back, a sidebar link), not while typing.
  useEffect(() => {
    if (!typing.current) setSearch(view.q ?? '');
  }, [view.q]);

  useEffect(() => {
    if (!typing.current) return;
    const timer = setTimeout(() => {
      typing.current = false;
      const q = search.trim();
      if (q !== (view.q ?? '')) onChange({ ...view, ...(q ? { q } : { q: undefined }) }, { replace: true });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, view, onChange]);

  const set = (changes: Partial<TaskView>) => onChange({ ...view, ...changes });
  const order = view.order ?? DEFAULT_ORDER[view.sort];

  // Search, filters and sort are the task API's; one that cannot do them gets none of them.
  if (!features.query) return null;
  return (
    <div className="flex flex-col gap-2">
      <div role="search" className="relative">
        <label htmlFor={`${id}-search`} className="sr-only">
          Search tasks
        </label>
        <span aria-hidden="true" className={`pointer-events-none absolute inset-y-0 left-3 flex items-center ${mutedText}`}>
          ⌕
        </span>
        <input
          ref={searchRef}
          id={`${id}-search`}
          type="search"
          className={`${textInput} pl-8`}
          placeholder="Search tasks (press /)"
          value={search}
          maxLength={QUERY_MAX}
          onChange={(event) => {
            typing.current = true;
            setSearch(event.target.value);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && search) {
              event.stopPropagation();
              typing.current = true;
              setSearch('');
            }
          }}
          autoComplete="off"
          enterKeyHint="search"
        />
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {features.priority ? (
        <details className="group relative">
          <summary className={`${buttonQuiet} cursor-pointer list-none border border-zinc-300 dark:border-zinc-700`}>
            Priority{view.priority.length > 0 ? `: ${view.priority.map((p) => PRIORITY_LABEL[p]).join(', ')}` : ''}
            <span aria-hidden="true" className="ml-1">
              ▾
            </span>
          </summary>
          <fieldset className="absolute z-20 mt-1 flex min-w-40 flex-col gap-1 rounded-lg border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
            <legend className="sr-only">Show tasks of these priorities</legend>
            {[...PRIORITIES].reverse().map((priority) => (
              <label key={priority} className="flex min-h-9 items-center gap-2 rounded px-1 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
                <input
                  type="checkbox"
                  className={`size-4 accent-indigo-600 dark:accent-indigo-400 ${focusRing}`}
                  checked={view.priority.includes(priority)}
                  onChange={(event) =>
                    set({ priority: event.target.checked ? [...view.priority, priority] : view.priority.filter((each) => each !== priority) })
                  }
                />
                {PRIORITY_LABEL[priority]}
              </label>
            ))}
          </fieldset>
        </details>
        ) : null}
        {features.due ? (
        <>
        <label className="sr-only" htmlFor={`${id}-due`}>
          Due date
        </label>
        <select id={`${id}-due`} className={selectInput} value={view.due ?? ''} onChange={(event) => set({ due: (event.target.value || undefined) as DueFilter | undefined })}>
          <option value="">Any due date</option>
          {DUE_FILTERS.map((due) => (
            <option key={due} value={due}>
              {DUE_LABEL[due]}
            </option>
          ))}
        </select>
        </>
        ) : null}
        {features.tags ? (
        <>
        <label className="sr-only" htmlFor={`${id}-tag`}>
          Tag
        </label>
        <select
          id={`${id}-tag`}
          className={selectInput}
          value=""
          onChange={(event) => {
            const tag = event.target.value;
            if (tag && !view.tag.some((each) => each.toLowerCase() === tag.toLowerCase())) set({ tag: [...view.tag, tag] });
          }}
        >
          <option value="">{tags.length > 0 ? 'Add a tag filter' : 'No tags yet'}</option>
          {tags.map((tag) => (
            <option key={tag} value={tag}>
              #{tag}
            </option>
          ))}
        </select>
        </>
        ) : null}
        <span className="ml-auto flex items-center gap-1">
          <label htmlFor={`${id}-sort`} className={`text-sm ${mutedText}`}>
            Sort
          </label>
          <select id={`${id}-sort`} className={selectInput} value={view.sort} onChange={(event) => set({ sort: event.target.value as TaskSort, order: undefined })}>
            {TASK_SORTS.filter((sort) => (sort !== 'due' || features.due) && (sort !== 'priority' || features.priority)).map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABEL[sort]}
              </option>
            ))}
          </select>
          <button
            type="button"
            className={`${buttonQuiet} border border-zinc-300 dark:border-zinc-700`}
            onClick={() => set({ order: order === 'asc' ? 'desc' : 'asc' })}
            aria-label={order === 'asc' ? 'Ascending order: switch to descending' : 'Descending order: switch to ascending'}
          >
            <span aria-hidden="true">{order === 'asc' ? '↑' : '↓'}</span>
          </button>
        </span>
      </div>
    </div>
  );
}

/**
 * The filters in force beyond the view's place (the list, the due window or the tag the sidebar
 * went to, which the heading names), each removable.
 */
export function ActiveFilters({ view, onChange }: { view: TaskView; onChange: (view: TaskView) => void }) {
  const place = view.list !== undefined ? 'list' : view.due ? 'due' : view.tag.length > 0 ? 'tag' : undefined;
  const chips: { key: string; label: string; without: Partial<TaskView> }[] = [];
  if (view.q) chips.push({ key: 'q', label: `“${view.q}”`, without: { q: undefined } });
  for (const priority of view.priority) {
    chips.push({ key: `p-${priority}`, label: `${PRIORITY_LABEL[priority]} priority`, without: { priority: view.priority.filter((each) => each !== priority) } });
  }
  if (view.due && place !== 'due') chips.push({ key: 'due', label: DUE_LABEL[view.due], without: { due: undefined } });
  for (const [index, tag] of view.tag.entries()) {
    if (place === 'tag' && index === 0) continue;
    chips.push({ key: `t-${tag}`, label: `#${tag}`, without: { tag: view.tag.filter((each) => each !== tag) } });
  }
  if (chips.length === 0) return null;
  return (
    <ul aria-label="Filters in use" className="flex flex-wrap items-center gap-1.5 text-sm">
      {chips.map((chip) => (
        <li key={chip.key}>
          <button
            type="button"
            className={`inline-flex min-h-8 items-center gap-1 rounded-full border border-zinc-300 bg-white px-3 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800 ${focusRing}`}
            onClick={() => onChange({ ...view, ...chip.without })}
            aria-label={`Remove the filter ${chip.label}`}
          >
            {chip.label}
            <span aria-hidden="true">✕</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
