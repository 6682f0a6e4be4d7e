'use client';

import { useId, useState, type FormEvent } from 'react';
import { LIST_NAME_MAX } from '@/lib/api/limits';
import type { ListDto } from '@/lib/api/list-schemas';
import { Dialog } from '@/components/ui/dialog';
import { buttonPrimary, buttonSecondary, focusRing, mutedText, textInput } from '@/components/ui/styles';

/** The colours a list can take, by the name a screen reader says for each. */
export const LIST_COLORS: Record<string, string> = {
  '#dc2626': 'Red',
  '#ea580c': 'Orange',
  '#ca8a04': 'Yellow',
  '#16a34a': 'Green',
  '#0891b2': 'Cyan',
  '#2563eb': 'Blue',
  '#7c3aed': 'Violet',
  '#db2777': 'Pink',
};

interface ListDialogProps {
  list: ListDto | null;
  /** How many lists there are (for moving this one). */
  count: number;
  onClose: () => void;
  onSave: (changes: { name?: string; color?: string | null; position?: number }) => void;
  onDelete: () => void;
}

/** Rename, recolour, move or delete a list; deleting says how many tasks go with it, and asks. */
export function ListDialog({ list, count, onClose, onSave, onDelete }: ListDialogProps) {
  return (
    <Dialog open={list !== null} onClose={onClose} title={list ? `The list “${list.name}”` : 'List'}>
      {list ? <ListForm key={list.id} list={list} count={count} onClose={onClose} onSave={onSave} onDelete={onDelete} /> : null}
    </Dialog>
  );
}

function ListForm({ list, count, onClose, onSave, onDelete }: Omit<ListDialogProps, 'list'> & { list: ListDto }) {
  const id = useId();
  const [name, setName] = useState(list.name);
  const [color, setColor] = useState<string | null>(list.color);
  const [confirming, setConfirming] = useState(false);

  function save(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    const changes: { name?: string; color?: string | null } = {};
    if (trimmed && trimmed !== list.name) changes.name = trimmed;
    if (color !== list.color) changes.color = color;
    if (Object.keys(changes).length > 0) onSave(changes);
    onClose();
  }

  if (confirming) {
    const tasks = list.task_count;
    return (
      <div className="flex flex-col gap-4" role="alertdialog" aria-describedby={`${id}-warning`}>
        <p id={`${id}-warning`}>
          Delete “{list.name}” and{' '}
          <strong>
            {tasks === 0 ? 'no tasks' : `its ${tasks} ${tasks === 1 ? 'task' : 'tasks'}`}
          </strong>
          {tasks > 0 ? ' with it' : ''}? This cannot be undone.
        </p>
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" className={buttonSecondary} onClick={() => setConfirming(false)} autoFocus>
            Keep the list
          </button>
          <button
            type="button"
            className={`${buttonPrimary} !bg-red-700 hover:!bg-red-800 dark:!bg-red-300 dark:hover:!bg-red-200`}
            onClick={() => {
              onDelete();
              onClose();
            }}
          >
            Delete the list{tasks > 0 ? ` and ${tasks} ${tasks === 1 ? 'task' : 'tasks'}` : ''}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={save} className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-name`} className="text-sm font-medium">
          Name
        </label>
        <input id={`${id}-name`} className={textInput} value={name} maxLength={LIST_NAME_MAX} onChange={(event) => setName(event.target.value)} required />
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="text-sm font-medium">Colour</legend>
        <div className="flex flex-wrap gap-2">
          {[null, ...Object.keys(LIST_COLORS)].map((option) => (
            <label key={option ?? 'none'} className={`relative inline-flex size-9 cursor-pointer items-center justify-center rounded-full ${focusRing}`}>
              <input type="radio" name={`${id}-color`} className="peer sr-only" checked={color === option} onChange={() => setColor(option)} />
              <span
                aria-hidden="true"
                className="size-7 rounded-full border-2 border-zinc-300 peer-checked:ring-2 peer-checked:ring-zinc-900 peer-checked:ring-offset-2 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-4 peer-focus-visible:outline-indigo-600 dark:border-zinc-600 dark:peer-checked:ring-zinc-100 dark:ring-offset-zinc-900"
                style={option ? { background: option, borderColor: option } : undefined}
              />
              <span className="sr-only">{option ? (LIST_COLORS[option] ?? option) : 'No colour'}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center gap-2">
        <span className={`text-sm ${mutedText}`}>
          Position {list.position + 1} of {count}
        </span>
        <button type="button" className={buttonSecondary} disabled={list.position === 0} onClick={() => onSave({ position: list.position - 1 })}>
          Move up
        </button>
        <button type="button" className={buttonSecondary} disabled={list.position >= count - 1} onClick={() => onSave({ position: list.position + 1 })}>
          Move down
        </button>
      </div>
      <div className="flex flex-wrap justify-between gap-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
        <button type="button" className={`${buttonSecondary} !text-red-700 dark:!text-red-300`} onClick={() => setConfirming(true)}>
          Delete…
        </button>
        <button type="submit" className={buttonPrimary}>
          Save
        </button>
      </div>
    </form>
  );
}
