'use client';

import { useId, type FormEvent, type KeyboardEvent, type Ref } from 'react';
import { DESCRIPTION_MAX, TITLE_MAX } from '@/lib/api/limits';
import { buttonPrimary, buttonQuiet, focusRing, mutedText, textInput } from '@/components/ui/styles';

export interface TaskDraft {
  title: string;
  description: string;
  showDescription: boolean;
}

export const EMPTY_DRAFT: TaskDraft = { title: '', description: '', showDescription: false };

interface NewTaskFormProps {
  draft: TaskDraft;
  onDraftChange: (draft: TaskDraft) => void;
  /** Called with the trimmed title (never empty) and the description, or null. */
  onAdd: (task: { title: string; description: string | null }) => void;
  titleRef?: Ref<HTMLInputElement>;
  /** The "mark all as done" checkbox; absent when there are no tasks. */
  toggleAll?: { checked: boolean; onChange: (completed: boolean) => void } | null;
}

/** The new-task field: Enter adds (trimmed; an empty title is ignored), with an optional description. */
export function NewTaskForm({ draft, onDraftChange, onAdd, titleRef, toggleAll }: NewTaskFormProps) {
  const id = useId();

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const title = draft.title.trim();
    if (title === '') return;
    onAdd({ title, description: draft.description.trim() === '' ? null : draft.description });
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
          maxLength={TITLE_MAX}
          onChange={(event) => onDraftChange({ ...draft, title: event.target.value })}
          autoComplete="off"
          enterKeyHint="enter"
        />
        <button type="submit" className={`${buttonPrimary} shrink-0`}>
          Add
        </button>
      </div>
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
