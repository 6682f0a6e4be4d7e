'use client';

import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { TaskDto, UpdateTaskBody } from '@/lib/api/task-schemas';
import { addDays } from '@/lib/dates';
import { COUNT_MAX, describeRecurrence, formatRecurrence, INTERVAL_MAX, WEEKDAY_LABELS, WEEKDAYS, type Recurrence, type Weekday } from '@/lib/recurrence';
import { ruleOf } from '@/lib/tasks/repeat-words';
import { focusRing, mutedText, errorText, textInput } from '@/components/ui/styles';

const KINDS = { never: 'Never', daily: 'Daily', weekdays: 'Weekdays (Mon–Fri)', weekly: 'Weekly', monthly: 'Monthly', yearly: 'Yearly' } as const;
type Kind = keyof typeof KINDS;

const WORK_WEEK: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR'];
const DAY_NAMES: Record<Weekday, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };
const UNITS: Record<Exclude<Kind, 'never'>, string> = { daily: 'day', weekdays: 'week', weekly: 'week', monthly: 'month', yearly: 'year' };
/** What "Ends" offers first when chosen: an end a few months on, or ten times. */
const DEFAULT_COUNT = 10;
const DEFAULT_UNTIL_DAYS = 91;

const isWorkWeek = (days: readonly Weekday[] | undefined) => days?.length === WORK_WEEK.length && WORK_WEEK.every((day) => days.includes(day));
const weekdayOf = (date: string): Weekday => WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7] as Weekday;

/**
 * The picker's choice for a rule. Monday to Friday every week reads as "Weekdays", unless the
 * person chose "Weekly" here: ticking Mon to Fri one by one must not swap the day buttons away.
 */
function kindOf(rule: Recurrence | null, weeklyChosen: boolean): Kind {
  if (rule === null) return 'never';
  switch (rule.freq) {
    case 'DAILY':
      return 'daily';
    case 'WEEKLY':
      return isWorkWeek(rule.byDay) && !weeklyChosen ? 'weekdays' : 'weekly';
    case 'MONTHLY':
      return 'monthly';
    case 'YEARLY':
      return 'yearly';
  }
}

interface RepeatPickerProps {
  task: TaskDto;
  onSave: (changes: UpdateTaskBody) => void;
}

/**
 * "Repeat": how often, every how many, on which days, until when, and counted from the due date
 * or from completion. Each choice saves at once (the rule in its canonical spelling); numbers save
 * when the field is left or Enter is pressed. A task repeats from its due date, so without one the
 * picker waits for it.
 */
export function RepeatPicker({ task, onSave }: RepeatPickerProps) {
  const id = useId();
  const [weeklyChosen, setWeeklyChosen] = useState(false);
  const rule = ruleOf(task.recurrence);
  const kind = kindOf(rule, weeklyChosen);
  const dueDate = task.due_date;
  const noDate = dueDate === null;

  function save(next: Recurrence | null) {
    const recurrence = next && formatRecurrence(next);
    if (recurrence !== task.recurrence) onSave({ recurrence });
  }

  function chooseKind(next: Kind) {
    setWeeklyChosen(next === 'weekly');
    if (next === 'never' || dueDate === null) return save(null);
    // How it ends carries over; "every 2" meant days or weeks, so it starts again at 1.
    const ends = rule?.count !== undefined ? { count: rule.count } : rule?.until !== undefined ? { until: rule.until } : {};
    const base = { interval: 1, ...ends };
    switch (next) {
      case 'daily':
        return save({ freq: 'DAILY', ...base });
      case 'weekdays':
        return save({ freq: 'WEEKLY', ...base, byDay: WORK_WEEK });
      case 'weekly':
        // From "Weekdays" the days stay (now editable); from anything else, the due date's day.
        return save(rule?.freq === 'WEEKLY' && rule.byDay?.length ? { ...rule } : { freq: 'WEEKLY', ...base, byDay: [weekdayOf(dueDate)] });
      case 'monthly':
        return save({ freq: 'MONTHLY', ...base });
      case 'yearly':
        return save({ freq: 'YEARLY', ...base });
    }
  }

  const hintId = `${id}-hint`;
  const summaryId = `${id}-summary`;
  const words = rule ? describeRecurrence(rule, dueDate === null ? {} : { dueDate }) : null;

  return (
    <fieldset className="flex min-w-0 flex-col gap-3" disabled={noDate} aria-describedby={noDate ? hintId : undefined}>
      <legend id={`${id}-legend`} className="text-sm font-medium">
        Repeat
      </legend>
      <select
        id={`${id}-kind`}
        aria-labelledby={`${id}-legend`}
        aria-describedby={noDate ? hintId : words ? summaryId : undefined}
        className={`${textInput} disabled:cursor-not-allowed disabled:opacity-60`}
        value={kind}
        onChange={(event) => chooseKind(event.target.value as Kind)}
      >
        {(Object.keys(KINDS) as Kind[]).map((each) => (
          <option key={each} value={each}>
            {KINDS[each]}
          </option>
        ))}
      </select>
      {noDate ? (
        <p id={hintId} className={`text-xs ${mutedText}`}>
          Pick a due date first.
        </p>
      ) : null}
      {rule && kind !== 'never' && dueDate !== null ? (
        <>
          <NumberField
            label="Every"
            unit={(count) => `${UNITS[kind]}${count === 1 ? '' : 's'}`}
            value={rule.interval}
            max={INTERVAL_MAX}
            onCommit={(interval) => save({ ...rule, interval })}
          />
          {kind === 'weekly' ? <DayToggles days={rule.byDay ?? [weekdayOf(dueDate)]} onChange={(byDay) => save({ ...rule, byDay })} /> : null}
          {kind === 'monthly' ? <MonthDay rule={rule} dueDate={dueDate} onChange={(byMonthDay) => save({ ...rule, byMonthDay })} /> : null}
          <Ends rule={rule} dueDate={dueDate} onChange={(ends) => save({ ...rule, count: undefined, until: undefined, ...ends })} />
          <fieldset className="flex flex-col gap-1">
            <legend className="text-sm font-medium">Counted from</legend>
            <Radio name={`${id}-from`} checked={task.recur_from === 'due'} onChange={() => onSave({ recur_from: 'due' })}>
              The due date
            </Radio>
            <Radio name={`${id}-from`} checked={task.recur_from === 'completion'} onChange={() => onSave({ recur_from: 'completion' })}>
              When I complete it
            </Radio>
          </fieldset>
        </>
      ) : null}
      {words ? (
        <p id={summaryId} className={`text-sm ${mutedText}`}>
          Repeats {words}
          {task.recur_from === 'completion' ? ', counted from when you complete it' : ''}.
        </p>
      ) : null}
    </fieldset>
  );
}

const radioInput = `size-4 shrink-0 accent-indigo-600 dark:accent-indigo-400 ${focusRing}`;

function Radio({ name, checked, onChange, children }: { name: string; checked: boolean; onChange: () => void; children: ReactNode }) {
  return (
    <label className="flex min-h-9 items-center gap-2 text-sm">
      <input type="radio" name={name} className={radioInput} checked={checked} onChange={onChange} />
      {children}
    </label>
  );
}

/** Mon to Sun as toggle buttons; the last day chosen stays chosen (a weekly rule needs one). */
function DayToggles({ days, onChange }: { days: readonly Weekday[]; onChange: (days: Weekday[]) => void }) {
  const id = useId();
  const last = days.length === 1;
  return (
    <fieldset className="flex min-w-0 flex-col gap-1" aria-describedby={last ? `${id}-last` : undefined}>
      <legend className="text-sm font-medium">On these days</legend>
      <div className="grid grid-cols-7 gap-1">
        {WEEKDAYS.map((day) => {
          const pressed = days.includes(day);
          return (
            <button
              key={day}
              type="button"
              aria-pressed={pressed}
              // Named by what it shows ("Mon": WCAG 2.5.3, label in name); the full name on hover.
              title={DAY_NAMES[day]}
              aria-disabled={pressed && last ? true : undefined}
              className={`min-h-11 min-w-0 rounded-lg border text-sm font-medium disabled:cursor-not-allowed disabled:opacity-60 ${
                pressed
                  ? 'border-indigo-600 bg-indigo-600 text-white dark:border-indigo-400 dark:bg-indigo-400 dark:text-zinc-950'
                  : 'border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800'
              } ${focusRing}`}
              onClick={() => {
                if (pressed && last) return;
                onChange(pressed ? days.filter((each) => each !== day) : [...days, day]);
              }}
            >
              {WEEKDAY_LABELS[day]}
            </button>
          );
        })}
      </div>
      {last ? (
        <p id={`${id}-last`} className={`text-xs ${mutedText}`}>
          At least one day stays chosen.
        </p>
      ) : null}
    </fieldset>
  );
}

/** Monthly: on the due date's day of the month (or the rule's own day), or on the last day. */
function MonthDay({ rule, dueDate, onChange }: { rule: Recurrence; dueDate: string; onChange: (byMonthDay: number | undefined) => void }) {
  const id = useId();
  const lastDay = rule.byMonthDay === -1;
  const day = rule.byMonthDay !== undefined && rule.byMonthDay > 0 ? rule.byMonthDay : Number(dueDate.slice(8));
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="text-sm font-medium">Day of the month</legend>
      <Radio name={`${id}-day`} checked={!lastDay} onChange={() => onChange(day === Number(dueDate.slice(8)) ? undefined : day)}>
        Day {day}
      </Radio>
      <Radio name={`${id}-day`} checked={lastDay} onChange={() => onChange(-1)}>
        The last day
      </Radio>
      {!lastDay && day > 28 ? <p className={`text-xs ${mutedText}`}>Months without a day {day} are skipped: choose the last day to repeat every month.</p> : null}
    </fieldset>
  );
}

/** Ends: never, on a date (UNTIL, inclusive) or after a number of times (COUNT). */
function Ends({ rule, dueDate, onChange }: { rule: Recurrence; dueDate: string; onChange: (ends: Pick<Recurrence, 'count' | 'until'>) => void }) {
  const id = useId();
  const ends = rule.count !== undefined ? 'count' : rule.until !== undefined ? 'until' : 'never';
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="text-sm font-medium">Ends</legend>
      <Radio name={`${id}-ends`} checked={ends === 'never'} onChange={() => onChange({})}>
        Never
      </Radio>
      <Radio name={`${id}-ends`} checked={ends === 'until'} onChange={() => onChange({ until: addDays(dueDate, DEFAULT_UNTIL_DAYS) })}>
        On a date
      </Radio>
      {rule.until !== undefined ? (
        <div className="flex flex-col gap-1 pl-6">
          <label htmlFor={`${id}-until`} className="text-sm">
            Last date
          </label>
          <input
            id={`${id}-until`}
            type="date"
            className={textInput}
            value={rule.until}
            min={dueDate}
            onChange={(event) => {
              if (event.target.value !== '') onChange({ until: event.target.value });
            }}
          />
        </div>
      ) : null}
      <Radio name={`${id}-ends`} checked={ends === 'count'} onChange={() => onChange({ count: DEFAULT_COUNT })}>
        After a number of times
      </Radio>
      {rule.count !== undefined ? (
        <div className="pl-6">
          <NumberField label="Times" unit={(count) => (count === 1 ? 'time' : 'times')} value={rule.count} max={COUNT_MAX} onCommit={(count) => onChange({ count })} />
        </div>
      ) : null}
    </fieldset>
  );
}

/**
 * A whole number from 1 to `max`, saved when the field is left or Enter is pressed (not at each
 * keystroke: typing 12 would save 1 first). Out of range, it says so and saves nothing.
 */
function NumberField({ label, unit, value, max, onCommit }: { label: string; unit: (count: number) => string; value: number; max: number; onCommit: (value: number) => void }) {
  const id = useId();
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  // Saved (or put back after a failed save) elsewhere: show the new value, keeping focus here.
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(String(value));
    setError(null);
  }
  const number = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;

  function commit() {
    if (!(number >= 1 && number <= max)) {
      setError(`${label}: a whole number from 1 to ${max}.`);
      return;
    }
    setError(null);
    if (number !== value) onCommit(number);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      commit();
    }
  }

  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        <label htmlFor={`${id}-input`} className="text-sm">
          {label}
        </label>
        <input
          id={`${id}-input`}
          type="number"
          inputMode="numeric"
          min={1}
          max={max}
          step={1}
          className={`${textInput} !w-24`}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onBlur={commit}
          onKeyDown={onKeyDown}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-unit${error ? ` ${id}-error` : ''}`}
        />
        <span id={`${id}-unit`} className="text-sm">
          {unit(Number.isNaN(number) ? value : number)}
        </span>
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className={errorText}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
