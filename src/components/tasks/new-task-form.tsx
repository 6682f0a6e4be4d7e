'use client';

import { useId, useMemo, type FormEvent, type KeyboardEvent, type Ref } from 'react';
import { DESCRIPTION_MAX } from '@/lib/api/limits';
import type { ListDto } from '@/lib/api/list-schemas';
import type { CreateTaskBody } from '@/lib/api/task-schemas';
import { parseQuickAdd, quickAddFields, type QuickAddRange } from '@/lib/tasks/quick-add';
import { useTaskFeatures } from '@/lib/tasks/hooks';
import { buttonPrimary, buttonQuiet, focusRing, mutedText, textInput } from '@/components/ui/styles';

export interface TaskDraft {
  title: string;
  description: string;
  showDescription: boolean;
  /** Stretches of the line the person said are not a date, tag, priority or list (a removed chip). */
  ignore?: QuickAddRange[];
}

export const EMPTY_DRAFT: TaskDraft = { title: '', description: '', showDescription: false };

/** The longest line the field takes: a title of 255 characters and what the quick-add words around it say. */
const LINE_MAX = 400;

interface NewTaskFormProps {
  draft: TaskDraft;
  onDraftChange: (draft: TaskDraft) => void;
  /** Called with the title (never empty), the description or null, and what the line's words set. */
  onAdd: (task: CreateTaskBody) => void;
  titleRef?: Ref<HTMLInputElement>;
  /** The person's lists (`@List` in the line) and time zone (`tomorrow 9am` is theirs). */
  lists?: ListDto[];
  timeZone?: string;
  /** The "mark all as done" checkbox; absent when there are no tasks. */
  toggleAll?: { checked: boolean; onChange: (completed: boolean) => void } | null;
}

/**
 * The new-task field, which understands a line like "Pay rent tomorrow 9am #home !high @Bills":
 * what it understood shows as chips before saving, and a chip removed puts its words back into the
 * title. Enter adds (trimmed; an empty title is ignored), with an optional description.
 */
export function NewTaskForm({ draft, onDraftChange, onAdd, titleRef, lists = [], timeZone = 'UTC', toggleAll }: NewTaskFormProps) {
  const id = useId();
  const features = useTaskFeatures();
  const parsed = useMemo(
    () => (draft.title.trim() === '' ? null : parseQuickAdd(draft.title, { now: new Date(), timeZone, lists, ignore: draft.ignore ?? [], features })),
    [draft.title, draft.ignore, timeZone, lists, features],
  );

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!parsed || parsed.title.trim() === '') return;
    onAdd({ ...quickAddFields(parsed, lists), title: parsed.title.trim(), description: draft.description.trim() === '' ? null : draft.description });
  }

  function onDescriptionKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) submit(event);
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-2 p-3 sm:p-4" aria-label="Add a task">
      <div className="flex items-center gap-2 sm:gap-3">
        {toggleAll ? (
          <input
            type="checkbox"
            className={`size-6 shrink-0 cursor-pointer rounded accent-indigo-600 dark:accent-indigo-400 ${focusRing}`}
            checked={toggleAll.checked}
            onChange={(event) => toggleAll.onChange(event.target.checked)}
            aria-label="Mark all as done"
            title="Mark all as done"
          />
        ) : (
          <span className="size-6 shrink-0" aria-hidden="true" />
        )}
        <label htmlFor={`${id}-title`} className="sr-only">
          New task
        </label>
        <input
          ref={titleRef}
          id={`${id}-title`}
          name="title"
          className={textInput}
          placeholder="What needs to be done?"
          value={draft.title}
          maxLength={LINE_MAX}
          // A change of the line moves its words: the removed chips no longer stand where they did.
          onChange={(event) => onDraftChange({ ...draft, title: event.target.value, ignore: [] })}
          autoComplete="off"
          enterKeyHint="enter"
          aria-describedby={`${id}-hint`}
        />
        <button type="submit" className={`${buttonPrimary} shrink-0`}>
          Add
        </button>
      </div>
      <p id={`${id}-hint`} className="sr-only">
        Words like tomorrow 9am, #tag, !high or @List set the due date, tags, priority and list.
      </p>
      {parsed && parsed.parts.length > 0 ? (
        <ul className="flex flex-wrap gap-1.5 pl-8 sm:pl-9" aria-label="Understood from what you typed">
          {parsed.parts.map((part) => (
            <li key={`${part.start}-${part.kind}`}>
              <button
                type="button"
                className={`inline-flex min-h-8 items-center gap-1 rounded-full border border-indigo-200 bg-indigo-50 px-3 text-sm text-indigo-900 hover:bg-indigo-100 dark:border-indigo-800 dark:bg-indigo-950 dark:text-indigo-100 dark:hover:bg-indigo-900 ${focusRing}`}
                onClick={() => {
                  onDraftChange({ ...draft, ignore: [...(draft.ignore ?? []), { start: part.start, end: part.end }] });
                  // The chip goes away with its button: the person goes on typing where they were.
                  document.getElementById(`${id}-title`)?.focus();
                }}
                aria-label={`${part.label}: keep “${part.text}” in the title instead`}
              >
                {part.label}
                <span aria-hidden="true">✕</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="pl-8 sm:pl-9">
        {draft.showDescription ? (
          <>
            <label htmlFor={`${id}-description`} className="sr-only">
              Description (optional)
            </label>
            <textarea
              id={`${id}-description`}
              name="description"
              className={`${textInput} min-h-16 text-sm`}
              placeholder="Description (optional). Ctrl+Enter adds the task."
              value={draft.description}
              maxLength={DESCRIPTION_MAX}
              rows={2}
              onChange={(event) => onDraftChange({ ...draft, description: event.target.value })}
              onKeyDown={onDescriptionKeyDown}
            />
          </>
        ) : (
          <button type="button" className={`${buttonQuiet} -ml-2 ${mutedText}`} onClick={() => onDraftChange({ ...draft, showDescription: true })}>
            + Add a description
          </button>
        )}
      </div>
    </form>
  );
}
