'use client';

import { useId, useState, type KeyboardEvent } from 'react';
import { DESCRIPTION_MAX, PRIORITIES, TAG_MAX, TAGS_PER_TASK_MAX, TITLE_MAX, type Priority } from '@/lib/api/limits';
import type { ListDto } from '@/lib/api/list-schemas';
import type { TaskDto, UpdateTaskBody } from '@/lib/api/task-schemas';
import { useTaskFeatures } from '@/lib/tasks/hooks';
import { Dialog } from '@/components/ui/dialog';
import { buttonQuiet, buttonSecondary, focusRing, mutedText, textInput } from '@/components/ui/styles';
import { PRIORITY_LABEL } from './priority-flag';
import { ReminderPicker } from './reminder-picker';
import { RepeatPicker } from './repeat-picker';

interface TaskDetailProps {
  task: TaskDto | null;
  lists: ListDto[];
  /** The person's tags, offered as they type one. */
  tags: string[];
  timeZone: string;
  onSave: (task: TaskDto, changes: UpdateTaskBody) => void;
  onToggle: (task: TaskDto, completed: boolean) => void;
  onDelete: (task: TaskDto) => void;
  onClose: () => void;
}

/** Everything about one task, saved as it changes: no Save button to forget. */
export function TaskDetail(props: TaskDetailProps) {
  return (
    <Dialog open={props.task !== null} onClose={props.onClose} title="Task details" wide>
      {props.task ? <TaskDetailForm key={props.task.id} {...props} task={props.task} /> : null}
    </Dialog>
  );
}

function TaskDetailForm({ task, lists, tags, timeZone, onSave, onToggle, onDelete, onClose }: TaskDetailProps & { task: TaskDto }) {
  const id = useId();
  const features = useTaskFeatures();
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description ?? '');
  const [tagInput, setTagInput] = useState('');
  const [titleError, setTitleError] = useState<string | null>(null);
  const save = (changes: UpdateTaskBody) => onSave(task, changes);
  const label = 'text-sm font-medium';

  function saveTitle() {
    const trimmed = title.trim();
    if (trimmed === '') {
      setTitleError('A task needs a title.');
      return;
    }
    setTitleError(null);
    if (trimmed !== task.title) save({ title: trimmed });
  }

  function addTag() {
    const name = tagInput.trim().replace(/^#/, '');
    if (!name || name.includes(',')) return;
    setTagInput('');
    if (task.tags.some((tag) => tag.toLowerCase() === name.toLowerCase())) return;
    save({ tags: [...task.tags, name] });
  }

  function onTagKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      addTag();
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-title`} className={label}>
          Title
        </label>
        <input
          id={`${id}-title`}
          className={textInput}
          value={title}
          maxLength={TITLE_MAX}
          onChange={(event) => setTitle(event.target.value)}
          onBlur={saveTitle}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              saveTitle();
            }
          }}
          aria-invalid={titleError ? true : undefined}
          aria-describedby={titleError ? `${id}-title-error` : undefined}
        />
        {titleError ? (
          <p id={`${id}-title-error`} role="alert" className="text-sm text-red-700 dark:text-red-300">
            {titleError}
          </p>
        ) : null}
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-description`} className={label}>
          Description
        </label>
        <textarea
          id={`${id}-description`}
          className={`${textInput} min-h-20 text-sm`}
          value={description}
          maxLength={DESCRIPTION_MAX}
          rows={3}
          onChange={(event) => setDescription(event.target.value)}
          onBlur={() => {
            const next = description.trim() === '' ? null : description;
            if (next !== task.description) save({ description: next });
          }}
        />
      </div>
      {features.lists || features.priority || features.due ? (
      <div className="grid gap-4 sm:grid-cols-2">
        {features.lists ? (
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-list`} className={label}>
            List
          </label>
          <select id={`${id}-list`} className={textInput} value={task.list_id ?? ''} onChange={(event) => save({ list_id: event.target.value === '' ? null : Number(event.target.value) })}>
            <option value="">Inbox</option>
            {lists.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </select>
        </div>
        ) : null}
        {features.priority ? (
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-priority`} className={label}>
            Priority
          </label>
          <select id={`${id}-priority`} className={textInput} value={task.priority} onChange={(event) => save({ priority: event.target.value as Priority })}>
            {[...PRIORITIES].reverse().map((priority) => (
              <option key={priority} value={priority}>
                {PRIORITY_LABEL[priority]}
              </option>
            ))}
          </select>
        </div>
        ) : null}
        {features.due ? (
        <>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-date`} className={label}>
            Due date
          </label>
          <input id={`${id}-date`} type="date" className={textInput} value={task.due_date ?? ''} onChange={(event) => save({ due_date: event.target.value === '' ? null : event.target.value })} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-time`} className={label}>
            Time
          </label>
          <input
            id={`${id}-time`}
            type="time"
            className={textInput}
            value={task.due_time ?? ''}
            disabled={task.due_date === null}
            onChange={(event) => save({ due_time: event.target.value === '' ? null : event.target.value.slice(0, 5) })}
            aria-describedby={`${id}-zone`}
          />
          <p id={`${id}-zone`} className={`text-xs ${mutedText}`}>
            {task.due_date === null ? 'Pick a date first.' : `In your time zone, ${timeZone.replace(/_/g, ' ')}.`}
          </p>
        </div>
        </>
        ) : null}
      </div>
      ) : null}
      {features.recurrence || features.reminders ? (
        <div className="grid items-start gap-4 sm:grid-cols-2">
          {features.recurrence ? <RepeatPicker task={task} onSave={save} /> : null}
          {features.reminders ? <ReminderPicker task={task} timeZone={timeZone} onSave={save} /> : null}
        </div>
      ) : null}
      {features.tags ? (
      <fieldset className="flex flex-col gap-2">
        <legend className={label}>Tags</legend>
        {task.tags.length > 0 ? (
          <ul className="flex flex-wrap gap-1.5" aria-label="This task’s tags">
            {task.tags.map((tag) => (
              <li key={tag}>
                <button
                  type="button"
                  className={`inline-flex min-h-8 items-center gap-1 rounded-full bg-zinc-100 px-3 text-sm hover:bg-zinc-200 dark:bg-zinc-800 dark:hover:bg-zinc-700 ${focusRing}`}
                  onClick={() => save({ tags: task.tags.filter((each) => each !== tag) })}
                  aria-label={`Remove the tag ${tag}`}
                >
                  #{tag}
                  <span aria-hidden="true">✕</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="flex gap-2">
          <label htmlFor={`${id}-tag`} className="sr-only">
            Add a tag
          </label>
          <input
            id={`${id}-tag`}
            className={textInput}
            list={`${id}-tags`}
            placeholder={task.tags.length >= TAGS_PER_TASK_MAX ? 'At most 20 tags' : 'Add a tag, then Enter'}
            disabled={task.tags.length >= TAGS_PER_TASK_MAX}
            value={tagInput}
            maxLength={TAG_MAX + 1}
            onChange={(event) => setTagInput(event.target.value)}
            onKeyDown={onTagKeyDown}
            autoComplete="off"
          />
          <datalist id={`${id}-tags`}>
            {tags
              .filter((tag) => !task.tags.some((each) => each.toLowerCase() === tag.toLowerCase()))
              .map((tag) => (
                <option key={tag} value={tag} />
              ))}
          </datalist>
          <button type="button" className={buttonSecondary} onClick={addTag}>
            Add
          </button>
        </div>
      </fieldset>
      ) : null}
      <div className="flex flex-wrap justify-between gap-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
        <button
          type="button"
          className={`${buttonQuiet} !text-red-700 dark:!text-red-300`}
          onClick={() => {
            onDelete(task);
            onClose();
          }}
        >
          Delete task
        </button>
        <button type="button" className={buttonSecondary} onClick={() => onToggle(task, !task.completed)}>
          {task.completed ? 'Mark as not done' : 'Mark as done'}
        </button>
      </div>
    </div>
  );
}
