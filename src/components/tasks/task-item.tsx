'use client';

import { useContext, useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { DESCRIPTION_MAX, TITLE_MAX } from '@/lib/api/limits';
import type { TaskDto, UpdateTaskBody } from '@/lib/api/task-schemas';
import type { DueLabel } from '@/lib/tasks/due-label';
import { TimeZoneContext, useTaskFeatures } from '@/lib/tasks/hooks';
import { formatReminder } from '@/lib/tasks/reminder-presets';
import { repeatWords } from '@/lib/tasks/repeat-words';
import { useNow } from '@/lib/tasks/use-now';
import { buttonQuiet, errorText, focusRing, mutedText, textInput } from '@/components/ui/styles';
import { PriorityFlag, PRIORITY_LABEL } from './priority-flag';

/** The fields this row edits. */
type TaskChanges = Pick<UpdateTaskBody, 'title' | 'description'>;

interface TaskItemProps {
  task: TaskDto;
  /** Shown before the server has answered: visible, but not yet editable. */
  pending?: boolean;
  /** The due date as this person reads it (their time zone), if the task has one. */
  due?: DueLabel | null;
  /** The name of the task's list, shown where the view is not that list. */
  listName?: string;
  selected?: boolean;
  /** The row the keyboard is on (j/k): it takes focus. */
  active?: boolean;
  /** Set by the dashboard to start editing from the keyboard (`e`); the row calls `onEditStarted`. */
  editRequested?: boolean;
  onEditStarted?: () => void;
  onToggle: (completed: boolean) => void;
  onSave: (changes: TaskChanges) => void;
  onDelete: () => void;
  onOpen?: () => void;
  /** A click on the row itself: select it (shift: a range from the last one). */
  onSelect?: (event: MouseEvent) => void;
  /** Something worth a screen reader's attention (an edit that was not saved, and why). */
  onNotice?: (message: string) => void;
}

/**
 * One task. Double-click the title (or press Edit) to edit; Enter or leaving the fields saves,
 * Escape cancels. An emptied title is never saved: Enter asks for one, leaving puts the old one back.
 */
export function TaskItem({
  task,
  pending = false,
  due,
  listName,
  selected = false,
  active = false,
  editRequested = false,
  onEditStarted,
  onToggle,
  onSave,
  onDelete,
  onOpen,
  onSelect,
  onNotice,
}: TaskItemProps) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description ?? '');
  const [error, setError] = useState<string | null>(null);
  const titleInput = useRef<HTMLInputElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  // Set once the edit is over: a browser may fire blur as the fields unmount, which must not save.
  const closed = useRef(false);
  const row = useRef<HTMLLIElement>(null);
  const id = useId();
  const titleId = `${id}-title`;
  const features = useTaskFeatures();
  const timeZone = useContext(TimeZoneContext);
  const now = useNow();

  useEffect(() => {
    if (editing) {
      // The caret at the end, not the text selected: a first keystroke adds to the title rather
      // than replacing it.
      const input = titleInput.current;
      input?.focus();
      input?.setSelectionRange(input.value.length, input.value.length);
    } else if (returnFocus.current) {
      returnFocus.current = false;
      editButton.current?.focus();
    }
  }, [editing]);

  // The keyboard's row takes focus (unless focus is already inside it, on its checkbox or a button).
  useEffect(() => {
    if (active && !editing && row.current && !row.current.contains(document.activeElement)) row.current.focus();
  }, [active, editing]);

  useEffect(() => {
    if (!editRequested) return;
    onEditStarted?.();
    startEditing();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per request
  }, [editRequested]);

  function startEditing() {
    if (pending) return;
    setTitle(task.title);
    setDescription(task.description ?? '');
    setError(null);
    closed.current = false;
    setEditing(true);
  }

  function stopEditing(focusEditButton: boolean) {
    closed.current = true;
    returnFocus.current = focusEditButton;
    setError(null);
    setEditing(false);
  }

  /** Saves what changed; false when the title is empty (nothing is saved then). */
  function save(): boolean {
    const trimmed = title.trim();
    if (trimmed === '') return false;
    const nextDescription = description.trim() === '' ? null : description;
    const changes: TaskChanges = {};
    if (trimmed !== task.title) changes.title = trimmed;
    if (nextDescription !== task.description) changes.description = nextDescription;
    if (Object.keys(changes).length > 0) onSave(changes);
    return true;
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      stopEditing(true);
      return;
    }
    const inTitle = event.target === titleInput.current;
    if (event.key === 'Enter' && !event.nativeEvent.isComposing && (inTitle || event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      if (save()) stopEditing(true);
      else setError(`A task needs a title. Type one, or press Escape to keep “${task.title}”.`);
    }
  }

  function onBlur(event: FocusEvent<HTMLDivElement>) {
    // Moving between the title and the description is not leaving.
    if (closed.current || event.currentTarget.contains(event.relatedTarget as Node | null)) return;
    if (!save()) onNotice?.(`The title was empty, so “${task.title}” was kept.`);
    stopEditing(false);
  }

  if (editing) {
    return (
      <li className="px-3 py-3 sm:px-4" data-task-id={task.id}>
        <div className="flex flex-col gap-2" onKeyDown={onKeyDown} onBlur={onBlur} role="group" aria-label={`Editing “${task.title}”`}>
          <label className="sr-only" htmlFor={`${id}-edit-title`}>
            Title
          </label>
          <input
            ref={titleInput}
            id={`${id}-edit-title`}
            className={textInput}
            value={title}
            maxLength={TITLE_MAX}
            onChange={(event) => {
              setTitle(event.target.value);
              if (error && event.target.value.trim()) setError(null);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-edit-hint${error ? ` ${id}-edit-error` : ''}`}
            autoComplete="off"
            enterKeyHint="done"
          />
          <label className="sr-only" htmlFor={`${id}-edit-description`}>
            Description
          </label>
          <textarea
            id={`${id}-edit-description`}
            className={`${textInput} min-h-16 text-sm`}
            value={description}
            maxLength={DESCRIPTION_MAX}
            rows={2}
            placeholder="Description (optional)"
            onChange={(event) => setDescription(event.target.value)}
          />
          {error ? (
            <p id={`${id}-edit-error`} role="alert" className={errorText}>
              {error}
            </p>
          ) : null}
          <p id={`${id}-edit-hint`} className={`text-xs ${mutedText}`}>
            Enter saves (Ctrl+Enter in the description), Escape cancels.
          </p>
        </div>
      </li>
    );
  }

  function onRowClick(event: MouseEvent<HTMLLIElement>) {
    // Controls and the title's double-click keep their own meaning.
    if ((event.target as HTMLElement).closest('input, button, a, label')) return;
    onSelect?.(event);
  }

  const repeats = features.recurrence ? repeatWords(task) : null;
  // A completed task is not reminded; a reminder that has come is no longer news here.
  const reminder = features.reminders && task.remind_at !== null && !task.completed && Date.parse(task.remind_at) > now ? formatReminder(task.remind_at, timeZone, now) : null;
  const badges = due || repeats || reminder || task.priority !== 'none' || task.tags.length > 0 || listName;
  return (
    <li
      ref={row}
      className={`group flex items-start gap-3 px-3 py-3 outline-none sm:px-4 ${pending ? 'opacity-60' : ''} ${
        selected ? 'bg-indigo-50 shadow-[inset_3px_0_0] shadow-indigo-600 dark:bg-indigo-950/60 dark:shadow-indigo-400' : ''
      } focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-600 dark:focus-visible:ring-indigo-400`}
      data-task-id={task.id}
      aria-busy={pending || undefined}
      tabIndex={-1}
      onClick={onRowClick}
      // Shift-click selects a range of tasks, not the text between them.
      onMouseDown={(event) => {
        if (event.shiftKey && onSelect && !(event.target as HTMLElement).closest('input, textarea')) event.preventDefault();
      }}
    >
      <input
        type="checkbox"
        className={`mt-0.5 size-6 shrink-0 cursor-pointer rounded accent-indigo-600 disabled:cursor-wait dark:accent-indigo-400 ${focusRing}`}
        checked={task.completed}
        disabled={pending}
        aria-labelledby={titleId}
        onChange={(event) => onToggle(event.target.checked)}
      />
      <div className="min-w-0 flex-1">
        <p
          id={titleId}
          className={`cursor-text break-words text-base leading-6 ${task.completed ? 'text-zinc-500 line-through dark:text-zinc-400' : ''}`}
          onDoubleClick={startEditing}
        >
          {task.title}
        </p>
        {task.description ? (
          <p className={`mt-0.5 line-clamp-4 whitespace-pre-wrap break-words text-sm ${mutedText}`}>{task.description}</p>
        ) : null}
        {badges ? (
          <p className={`mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs ${mutedText}`}>
            {due ? (
              <span className={due.overdue ? 'font-semibold text-red-700 dark:text-red-300' : ''} title={due.long}>
                <span className="sr-only">{due.overdue ? 'Overdue, due ' : 'Due '}</span>
                <span aria-hidden="true">◷ </span>
                {due.text}
              </span>
            ) : null}
            {repeats ? (
              <span title={`Repeats ${repeats}`}>
                <span className="sr-only">Repeats </span>
                <span aria-hidden="true">↻ </span>
                {repeats}
              </span>
            ) : null}
            {reminder ? (
              <svg role="img" aria-label={`Reminder ${reminder}`} viewBox="0 0 20 20" className="size-4 shrink-0" fill="currentColor">
                <title>{`Reminder ${reminder}`}</title>
                <path d="M10 2a5 5 0 0 0-5 5v2.59c0 .53-.21 1.04-.59 1.41L3.3 12.12A1 1 0 0 0 4 13.83h12a1 1 0 0 0 .7-1.71l-1.1-1.12A2 2 0 0 1 15 9.59V7a5 5 0 0 0-5-5Zm-2.45 13.33a2.5 2.5 0 0 0 4.9 0h-4.9Z" />
              </svg>
            ) : null}
            {task.priority !== 'none' ? (
              <span className="inline-flex items-center gap-1">
                <PriorityFlag priority={task.priority} />
                {PRIORITY_LABEL[task.priority]}
              </span>
            ) : null}
            {task.tags.map((tag) => (
              <span key={tag} className="rounded bg-zinc-100 px-1.5 py-0.5 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                #{tag}
              </span>
            ))}
            {listName ? (
              <span>
                <span className="sr-only">In the list </span>
                {listName}
              </span>
            ) : null}
          </p>
        ) : null}
        {pending ? <span className="sr-only">Saving…</span> : null}
        {selected ? <span className="sr-only">Selected</span> : null}
      </div>
      <div className="flex shrink-0 items-center gap-1">
        {onOpen ? (
          <button type="button" className={buttonQuiet} onClick={onOpen} disabled={pending} aria-label={`Details of “${task.title}”`}>
            Details
          </button>
        ) : null}
        {/* On a phone the details edit the title too: one button fewer beside a narrow title. */}
        <button ref={editButton} type="button" className={`${buttonQuiet} max-sm:!hidden`} onClick={startEditing} disabled={pending} aria-label={`Edit “${task.title}”`}>
          Edit
        </button>
        <button
          type="button"
          className={`${buttonQuiet} hover:!text-red-700 dark:hover:!text-red-300`}
          onClick={onDelete}
          disabled={pending}
          aria-label={`Delete “${task.title}”`}
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5" fill="currentColor">
            <path d="M8.5 2a1 1 0 0 0-.94.66L7.3 3.5H4.75a.75.75 0 0 0 0 1.5h.3l.7 11.02A2 2 0 0 0 7.75 18h4.5a2 2 0 0 0 2-1.98l.7-11.02h.3a.75.75 0 0 0 0-1.5H12.7l-.26-.84A1 1 0 0 0 11.5 2h-3Zm-.2 5.25a.75.75 0 0 1 .8.7l.3 6a.75.75 0 1 1-1.5.08l-.3-6a.75.75 0 0 1 .7-.78Zm3.4 0a.75.75 0 0 1 .7.78l-.3 6a.75.75 0 1 1-1.5-.08l.3-6a.75.75 0 0 1 .8-.7Z" />
          </svg>
        </button>
      </div>
    </li>
  );
}
