'use client';

import { useId, useState } from 'react';
import type { TaskDto, UpdateTaskBody } from '@/lib/api/task-schemas';
import { formatReminder, fromLocalDateTime, presetInstant, presetOf, toLocalDateTime, UNTIMED_DUE_TIME, type ReminderPreset } from '@/lib/tasks/reminder-presets';
import { useNow } from '@/lib/tasks/use-now';
import { mutedText, textInput } from '@/components/ui/styles';

type Choice = 'none' | ReminderPreset | 'custom';

const PRESET_LABELS: Record<Exclude<ReminderPreset, 'due'>, string> = { '10m': '10 minutes before', '1h': '1 hour before', '1d': '1 day before' };

interface ReminderPickerProps {
  task: TaskDto;
  /** The person's IANA time zone: presets and the custom time are on their wall clock. */
  timeZone: string;
  onSave: (changes: UpdateTaskBody) => void;
}

/**
 * "Remind me": none, a preset counted from the due time (09:00 on the due day for a task without
 * one), or a date and time of the person's choosing. A reminder is an instant: moving the due
 * date leaves it where it is (it then reads as a custom time).
 */
export function ReminderPicker({ task, timeZone, onSave }: ReminderPickerProps) {
  const id = useId();
  const now = useNow();
  const [customChosen, setCustomChosen] = useState(false);
  // What is typed in the custom field, until it is left: a half-typed value is not a reminder.
  const [draft, setDraft] = useState<string | null>(null);
  const preset = presetOf(task.remind_at, task, timeZone);
  const choice: Choice = task.remind_at === null ? (customChosen ? 'custom' : 'none') : preset !== null && !customChosen ? preset : 'custom';
  const noDate = task.due_date === null;
  const untimed = !noDate && task.due_time === null;

  function save(remindAt: Date | null) {
    const next = remindAt && remindAt.toISOString();
    const current = task.remind_at === null ? null : new Date(task.remind_at).toISOString();
    if (next !== current) onSave({ remind_at: next });
  }

  function choose(next: Choice) {
    setCustomChosen(next === 'custom');
    setDraft(null);
    if (next === 'none') save(null);
    else if (next !== 'custom') save(presetInstant(next, task, timeZone));
  }

  const zone = timeZone.replace(/_/g, ' ');
  const statusId = `${id}-status`;
  const hintId = `${id}-hint`;
  const at = task.remind_at === null ? null : new Date(task.remind_at);
  const reminded = at !== null && at.getTime() <= now;
  const hint = noDate ? 'The presets count from a due date: pick one first, or a custom time.' : untimed ? `No due time: the presets count from ${UNTIMED_DUE_TIME} on the due day.` : null;

  return (
    <fieldset className="flex min-w-0 flex-col gap-2">
      <legend id={`${id}-legend`} className="text-sm font-medium">
        Remind me
      </legend>
      <select
        aria-labelledby={`${id}-legend`}
        aria-describedby={[at ? statusId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined}
        className={textInput}
        value={choice}
        onChange={(event) => choose(event.target.value as Choice)}
      >
        <option value="none">None</option>
        <option value="due" disabled={noDate}>
          {untimed ? `At ${UNTIMED_DUE_TIME} on the due day (no due time)` : 'At the due time'}
        </option>
        {(Object.keys(PRESET_LABELS) as (keyof typeof PRESET_LABELS)[]).map((each) => (
          <option key={each} value={each} disabled={noDate}>
            {PRESET_LABELS[each]}
          </option>
        ))}
        <option value="custom">Custom…</option>
      </select>
      {hint ? (
        <p id={hintId} className={`text-xs ${mutedText}`}>
          {hint}
        </p>
      ) : null}
      {choice === 'custom' ? (
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-custom`} className="text-sm">
            Remind me at
          </label>
          <input
            id={`${id}-custom`}
            type="datetime-local"
            className={textInput}
            value={draft ?? (at ? toLocalDateTime(at, timeZone) : '')}
            onChange={(event) => {
              setDraft(event.target.value);
              const instant = fromLocalDateTime(event.target.value, timeZone);
              if (instant) save(instant);
            }}
            onBlur={() => setDraft(null)}
            aria-describedby={`${id}-zone`}
          />
          <p id={`${id}-zone`} className={`text-xs ${mutedText}`}>
            In your time zone, {zone}.
          </p>
        </div>
      ) : null}
      {at ? (
        <p id={statusId} className={`text-sm ${mutedText}`}>
          {reminded ? 'Reminded' : 'Reminder'}: <time dateTime={at.toISOString()}>{formatReminder(at, timeZone, now)}</time>
        </p>
      ) : null}
    </fieldset>
  );
}
