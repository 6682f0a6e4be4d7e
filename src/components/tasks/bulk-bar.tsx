'use client';

import { useId, useState } from 'react';
import { PRIORITIES, TAG_MAX, type Priority } from '@/lib/api/limits';
import type { ListDto } from '@/lib/api/list-schemas';
import { useTaskFeatures } from '@/lib/tasks/hooks';
import { buttonQuiet, buttonSecondary, mutedText, selectInput, textInput } from '@/components/ui/styles';
import { PRIORITY_LABEL } from './priority-flag';

export type BulkAction =
  | { action: 'complete' | 'reopen' | 'delete' }
  | { action: 'move'; list_id: number | null }
  | { action: 'add_tag'; tag: string }
  | { action: 'set_priority'; priority: Priority };

interface BulkBarProps {
  selected: number;
  /** How many tasks the view matches in all (X-Total-Count). */
  matching: number;
  /** Whether the selection is every task the view matches, loaded or not. */
  allMatching: boolean;
  lists: ListDto[];
  tags: string[];
  onSelectAllMatching: () => void;
  onClear: () => void;
  onAction: (action: BulkAction) => void;
}

/** What can be done to the selected tasks at once: one request, however many. */
export function BulkBar({ selected, matching, allMatching, lists, tags, onSelectAllMatching, onClear, onAction }: BulkBarProps) {
  const id = useId();
  const features = useTaskFeatures();
  const [tag, setTag] = useState('');
  const count = allMatching ? matching : selected;
  return (
    <section
      aria-label="Change the selected tasks"
      // Fixed to the bottom of the window: appearing, it moves no row (a second click of a
      // double-click lands where the first did), and it stays in reach however far down you are.
      className="fixed inset-x-2 bottom-2 z-30 mx-auto flex max-w-3xl flex-col gap-2 rounded-xl border border-indigo-200 bg-indigo-50 p-3 shadow-lg sm:bottom-4 dark:border-indigo-800 dark:bg-indigo-950"
    >
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <p role="status" className="font-semibold">
          {count} {count === 1 ? 'task' : 'tasks'} selected{allMatching ? ' (every one this view shows)' : ''}
        </p>
        {!allMatching && matching > selected ? (
          <button type="button" className={buttonQuiet} onClick={onSelectAllMatching}>
            Select all {matching} matching
          </button>
        ) : null}
        <button type="button" className={`${buttonQuiet} ml-auto`} onClick={onClear}>
          Clear selection <span className={`ml-1 text-xs ${mutedText}`}>(Esc)</span>
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={buttonSecondary} onClick={() => onAction({ action: 'complete' })}>
          Complete
        </button>
        <button type="button" className={buttonSecondary} onClick={() => onAction({ action: 'reopen' })}>
          Reopen
        </button>
        {features.lists ? (
        <>
        <label htmlFor={`${id}-move`} className="sr-only">
          Move to a list
        </label>
        <select
          id={`${id}-move`}
          className={selectInput}
          value=""
          onChange={(event) => {
            if (event.target.value === '') return;
            onAction({ action: 'move', list_id: event.target.value === 'inbox' ? null : Number(event.target.value) });
          }}
        >
          <option value="">Move to…</option>
          <option value="inbox">Inbox</option>
          {lists.map((list) => (
            <option key={list.id} value={list.id}>
              {list.name}
            </option>
          ))}
        </select>
        </>
        ) : null}
        {features.priority ? (
        <>
        <label htmlFor={`${id}-priority`} className="sr-only">
          Set the priority
        </label>
        <select
          id={`${id}-priority`}
          className={selectInput}
          value=""
          onChange={(event) => {
            if (event.target.value) onAction({ action: 'set_priority', priority: event.target.value as Priority });
          }}
        >
          <option value="">Priority…</option>
          {[...PRIORITIES].reverse().map((priority) => (
            <option key={priority} value={priority}>
              {PRIORITY_LABEL[priority]}
            </option>
          ))}
        </select>
        </>
        ) : null}
        {features.tags ? (
        <form
          className="flex items-center gap-1"
          onSubmit={(event) => {
            event.preventDefault();
            const name = tag.trim().replace(/^#/, '');
            if (!name) return;
            onAction({ action: 'add_tag', tag: name });
            setTag('');
          }}
        >
          <label htmlFor={`${id}-tag`} className="sr-only">
            Add a tag
          </label>
          <input id={`${id}-tag`} className={`${textInput} min-h-9 w-32 py-1 text-sm`} list={`${id}-tags`} placeholder="Add a tag" value={tag} maxLength={TAG_MAX} onChange={(event) => setTag(event.target.value)} />
          <datalist id={`${id}-tags`}>
            {tags.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <button type="submit" className={buttonQuiet}>
            Tag
          </button>
        </form>
        ) : null}
        <button type="button" className={`${buttonSecondary} !text-red-700 dark:!text-red-300`} onClick={() => onAction({ action: 'delete' })}>
          Delete…
        </button>
      </div>
    </section>
  );
}
