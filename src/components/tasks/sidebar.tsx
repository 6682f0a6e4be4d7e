'use client';

import { useId, useState, type DragEvent, type FormEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { LIST_NAME_MAX } from '@/lib/api/limits';
import type { ListDto } from '@/lib/api/list-schemas';
import { placesOf, useTaskFeatures, type SidebarData } from '@/lib/tasks/hooks';
import { DEFAULT_VIEW, PLACES, placeView, viewHref, type Place, type TaskView } from '@/lib/tasks/view';
import { buttonQuiet, focusRing, mutedText, textInput } from '@/components/ui/styles';

interface SidebarProps {
  view: TaskView;
  data: SidebarData | undefined;
  /** Goes to a view in place (the links work without JS too). */
  onNavigate: (view: TaskView) => void;
  onCreateList: (name: string) => void;
  onEditList: (list: ListDto) => void;
  onMoveList: (list: ListDto, position: number) => void;
}

/** Which sidebar entry the view is, if it is one: a place, a list or a tag alone. */
function currentEntry(view: TaskView): string | undefined {
  const extra = view.q || view.priority.length > 0;
  if (extra) return undefined;
  if (view.list === undefined && !view.due && view.tag.length === 0) return 'place:all';
  if (view.list === 'inbox' && !view.due && view.tag.length === 0) return 'place:inbox';
  if (view.list === undefined && view.tag.length === 0 && view.due) {
    const place = (Object.keys(PLACES) as Place[]).find((key) => (PLACES[key].view as Partial<TaskView>).due === view.due);
    return place ? `place:${place}` : undefined;
  }
  if (typeof view.list === 'number' && !view.due && view.tag.length === 0) return `list:${view.list}`;
  if (view.list === undefined && !view.due && view.tag.length === 1) return `tag:${view.tag[0]!.toLowerCase()}`;
  return undefined;
}

const entryClass = (current: boolean) =>
  `flex min-h-10 w-full min-w-0 items-center gap-2 rounded-md px-2 text-sm ${focusRing} ${
    current ? 'bg-indigo-50 font-semibold text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100' : 'text-zinc-800 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800'
  }`;

function Count({ value }: { value: number | undefined }) {
  return value ? <span className={`ml-auto shrink-0 text-xs tabular-nums ${mutedText}`}>{value}</span> : null;
}

/**
 * The places (All, Inbox, Today, Upcoming, Overdue) with their open tasks, the person's lists
 * (reordered by dragging or with Alt+↑/↓) and their tags. A drawer under 640 px (the dashboard
 * puts it in a dialog).
 */
export function Sidebar({ view, data, onNavigate, onCreateList, onEditList, onMoveList }: SidebarProps) {
  const id = useId();
  const features = useTaskFeatures();
  const current = currentEntry(view);
  const [newList, setNewList] = useState('');
  const [dragged, setDragged] = useState<number | null>(null);
  // Sorting and the status filter carry over from one place to another.
  const carry = (next: TaskView): TaskView => ({ ...next, filter: view.filter, sort: view.sort, ...(view.order ? { order: view.order } : {}) });

  function link(target: TaskView, entry: string, children: React.ReactNode, extra?: { onKeyDown?: (event: KeyboardEvent<HTMLAnchorElement>) => void }) {
    const destination = carry(target);
    const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      onNavigate(destination);
    };
    return (
      <a href={viewHref(destination)} onClick={onClick} onKeyDown={extra?.onKeyDown} aria-current={current === entry ? 'page' : undefined} className={entryClass(current === entry)}>
        {children}
      </a>
    );
  }

  function addList(event: FormEvent) {
    event.preventDefault();
    const name = newList.trim();
    if (!name) return;
    onCreateList(name);
    setNewList('');
  }

  const lists = data?.lists ?? [];

  function onListKeyDown(list: ListDto, event: KeyboardEvent<HTMLAnchorElement>) {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const position = list.position + (event.key === 'ArrowUp' ? -1 : 1);
    if (position < 0 || position >= lists.length) return;
    onMoveList(list, position);
    // Keep the keyboard on the list it moved.
    requestAnimationFrame(() => document.querySelector<HTMLAnchorElement>(`[data-list-id="${list.id}"] a`)?.focus());
  }

  function onDrop(list: ListDto, event: DragEvent) {
    event.preventDefault();
    const moving = lists.find((each) => each.id === dragged);
    setDragged(null);
    if (moving && moving.id !== list.id) onMoveList(moving, list.position);
  }

  return (
    <nav aria-label="Places, lists and tags" className="flex flex-col gap-5 text-sm">
      <ul className="flex flex-col gap-0.5">
        {(['all', ...placesOf(features)] as Place[]).map((place) => (
          <li key={place}>
            {link(
              placeView(place),
              `place:${place}`,
              <>
                <span className="truncate">{PLACES[place].label}</span>
                {place === 'all' ? null : <Count value={data?.counts[place]} />}
                {place === 'overdue' && data?.counts.overdue ? <span className="sr-only"> overdue</span> : null}
              </>,
            )}
          </li>
        ))}
      </ul>

      {features.lists ? (
      <section aria-labelledby={`${id}-lists`}>
        <h2 id={`${id}-lists`} className={`mb-1 px-2 text-xs font-semibold tracking-wide uppercase ${mutedText}`}>
          Lists
        </h2>
        {lists.length > 0 ? (
          <ul className="flex flex-col gap-0.5" aria-describedby={`${id}-reorder`}>
            {lists.map((list) => (
              <li
                key={list.id}
                data-list-id={list.id}
                className={`group flex items-center gap-1 rounded-md ${dragged === list.id ? 'opacity-50' : ''}`}
                draggable
                onDragStart={(event) => {
                  setDragged(list.id);
                  event.dataTransfer.effectAllowed = 'move';
                }}
                onDragOver={(event) => event.preventDefault()}
                onDrop={(event) => onDrop(list, event)}
                onDragEnd={() => setDragged(null)}
              >
                {link(
                  { ...DEFAULT_VIEW, list: list.id },
                  `list:${list.id}`,
                  <>
                    <span aria-hidden="true" className="size-2.5 shrink-0 rounded-full border border-zinc-400 dark:border-zinc-500" style={list.color ? { background: list.color, borderColor: list.color } : undefined} />
                    <span className="truncate">{list.name}</span>
                    <Count value={list.open_count} />
                  </>,
                  { onKeyDown: (event) => onListKeyDown(list, event) },
                )}
                <button type="button" className={`${buttonQuiet} shrink-0`} onClick={() => onEditList(list)} aria-label={`Edit the list “${list.name}”`}>
                  <span aria-hidden="true">⋯</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className={`px-2 text-xs ${mutedText}`}>No lists yet: tasks wait in the Inbox.</p>
        )}
        <p id={`${id}-reorder`} className="sr-only">
          Alt with the arrow keys moves a list up or down.
        </p>
        <form onSubmit={addList} className="mt-2 flex gap-1 px-1">
          <label htmlFor={`${id}-new-list`} className="sr-only">
            New list
          </label>
          <input
            id={`${id}-new-list`}
            className={`${textInput} min-h-9 py-1 text-sm`}
            placeholder="New list"
            value={newList}
            maxLength={LIST_NAME_MAX}
            onChange={(event) => setNewList(event.target.value)}
            autoComplete="off"
          />
          <button type="submit" className={`${buttonQuiet} shrink-0`} aria-label="Add the list">
            Add
          </button>
        </form>
      </section>
      ) : null}

      {features.tags && data && data.tags.length > 0 ? (
        <section aria-labelledby={`${id}-tags`}>
          <h2 id={`${id}-tags`} className={`mb-1 px-2 text-xs font-semibold tracking-wide uppercase ${mutedText}`}>
            Tags
          </h2>
          <ul className="flex flex-col gap-0.5">
            {data.tags.map((tag) => (
              <li key={tag.name}>
                {link(
                  { ...DEFAULT_VIEW, tag: [tag.name] },
                  `tag:${tag.name.toLowerCase()}`,
                  <>
                    <span className="truncate">#{tag.name}</span>
                    <Count value={tag.count} />
                  </>,
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </nav>
  );
}
