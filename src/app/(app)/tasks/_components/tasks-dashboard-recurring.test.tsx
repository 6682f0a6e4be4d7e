import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ALL_FEATURES, type TaskFeatures } from '@/lib/api/features';
import type { CreateTaskBody } from '@/lib/api/task-schemas';
import { ORIGIN, server, store, USER } from '@/test/components/fixtures';
import { AppProviders } from '../../_components/app-providers';
import { TasksDashboard } from './tasks-dashboard';

/** A day toggle is named by what it shows: "Mon" for Monday. */
const dayName = (day: string) => day.slice(0, 3);

/**
 * Repeating tasks and reminders in the dashboard: the detail panel's Repeat and Remind me pickers,
 * what a row says of them, and completing a repeating task (it moves on, with an Undo).
 * The clock is Thursday 3 December 2026, noon UTC, so dates and "has it passed" read the same
 * whenever this runs; only Date is faked, timers run (msw, sonner and user-event need them).
 */

const NOW = new Date('2026-12-03T12:00:00Z');

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

function renderDashboard(options: { timeZone?: string; features?: TaskFeatures } = {}) {
  const { timeZone = 'UTC', features } = options;
  store.setTimeZone(USER.id, timeZone);
  const user = userEvent.setup();
  render(
    <AppProviders retry={false}>
      <TasksDashboard initial={null} timeZone={timeZone} features={features} />
    </AppProviders>,
  );
  return { user };
}

const seed = (...tasks: CreateTaskBody[]) => store.seed(USER.id, tasks);
const stored = () => store.list(USER.id);
const row = (title: string) => screen.getByText(title).closest('li') as HTMLElement;

/** Holds the answers to /complete until the returned function is called (then the mock answers). */
function holdCompletions(): () => void {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  // A resolver that returns nothing hands the request on to the mock's own handler.
  server.use(http.patch(`${ORIGIN}/api/proxy/me/tasks/:id/complete`, async () => void (await held)));
  return release;
}

async function loaded() {
  await waitFor(() => expect(screen.queryByText('Loading tasks…')).not.toBeInTheDocument());
}

async function openDetails(user: ReturnType<typeof userEvent.setup>, title: string) {
  await loaded();
  await user.click(screen.getByRole('button', { name: `Details of “${title}”` }));
  return within(await screen.findByRole('dialog', { name: 'Task details' }));
}

describe('Repeat picker', () => {
  it('sets a weekly repeat on chosen days, shows it in words, and the row says it too', async () => {
    // 7 December 2026 is a Monday: Weekly starts on that day.
    seed({ title: 'Gym', due_date: '2026-12-07', due_time: '18:00' });
    const { user } = renderDashboard();
    const details = await openDetails(user, 'Gym');
    const repeat = details.getByRole('combobox', { name: 'Repeat' });
    expect(repeat).toHaveValue('never');
    await user.selectOptions(repeat, 'Weekly');
    await waitFor(() => expect(stored()[0]!.recurrence).toBe('FREQ=WEEKLY;BYDAY=MO'));
    const days = within(details.getByRole('group', { name: 'On these days' }));
    expect(days.getByRole('button', { name: dayName('Monday') })).toHaveAttribute('aria-pressed', 'true');
    expect(days.getByRole('button', { name: dayName('Thursday') })).toHaveAttribute('aria-pressed', 'false');

    // From the keyboard: Thursday on.
    days.getByRole('button', { name: dayName('Thursday') }).focus();
    await user.keyboard(' ');
    await waitFor(() => expect(stored()[0]!.recurrence).toBe('FREQ=WEEKLY;BYDAY=MO,TH'));
    expect(days.getByRole('button', { name: dayName('Thursday') })).toHaveAttribute('aria-pressed', 'true');
    expect(details.getByText('Repeats every Mon, Thu.')).toBeInTheDocument();
    expect(repeat).toHaveAccessibleDescription('Repeats every Mon, Thu.');

    // The last day chosen stays chosen: a weekly rule needs one.
    await user.click(days.getByRole('button', { name: dayName('Monday') }));
    await waitFor(() => expect(stored()[0]!.recurrence).toBe('FREQ=WEEKLY;BYDAY=TH'));
    await user.click(days.getByRole('button', { name: dayName('Thursday') }));
    expect(days.getByRole('button', { name: dayName('Thursday') })).toHaveAttribute('aria-pressed', 'true');
    expect(details.getByText('At least one day stays chosen.')).toBeInTheDocument();
    await user.click(days.getByRole('button', { name: dayName('Monday') }));
    await waitFor(() => expect(stored()[0]!.recurrence).toBe('FREQ=WEEKLY;BYDAY=MO,TH'));

    await user.click(screen.getByRole('button', { name: 'Close' }));
    const repeats = within(row('Gym')).getByTitle('Repeats every Mon, Thu');
    expect(repeats).toHaveTextContent('Repeats ↻ every Mon, Thu');
    expect(within(repeats).getByText('↻', { exact: false })).toHaveAttribute('aria-hidden', 'true');
  });

  it('sets every N, the ends and what it counts from; ticking Mon to Fri under Weekly keeps the day buttons', async () => {
    seed({ title: 'Rent', due_date: '2026-12-31' });
    const { user } = renderDashboard();
    const details = await openDetails(user, 'Rent');
    await user.selectOptions(details.getByRole('combobox', { name: 'Repeat' }), 'Monthly');
    await waitFor(() => expect(stored()[0]!.recurrence).toBe('FREQ=MONTHLY'));
    expect(details.getByText('Repeats every month on the 31st.')).toBeInTheDocument();
    expect(details.getByText(/Months without a day 31 are skipped/)).toBeInTheDocument();
    await user.click(details.getByRole('radio', { name: 'The last day' }));
    await waitFor(() => expect(stored()[0]!.recurrence).toBe('FREQ=MONTHLY;BYMONTHDAY=-1'));

    const every = details.getByRole('spinbutton', { name: 'Every' });
    expect(every).toHaveAccessibleDescription('month');
    await user.clear(every);
    await user.type(every, '400{Enter}');
    expect(details.getByRole('alert')).toHaveTextContent('Every: a whole number from 1 to 365.');
    expect(stored()[0]!.recurrence).toBe('FREQ=MONTHLY;BYMONTHDAY=-1');
    await user.clear(every);
    await user.type(every, '2');
    await user.tab();
    await waitFor(() => expect(stored()[0]!.recurrence).toBe('FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1'));
    expect(details.queryByRole('alert')).not.toBeInTheDocument();

    await user.click(details.getByRole('radio', { name: 'After a number of times' }));
    await waitFor(() => expect(stored()[0]!.recurrence).toBe('FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1;COUNT=10'));
    const times = details.getByRole('spinbutton', { name: 'Times' });
    await user.clear(times);
    await user.type(times, '5{Enter}');
    await waitFor(() => expect(stored()[0]!.recurrence).toBe('FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1;COUNT=5'));
    expect(times).toHaveFocus();
    await user.click(details.getByRole('radio', { name: 'On a date' }));
    await waitFor(() => expect(stored()[0]!.recurrence).toMatch(/^FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1;UNTIL=2027\d{4}$/));
    fireEvent.change(details.getByLabelText('Last date'), { target: { value: '2027-06-30' } });
    await waitFor(() => expect(stored()[0]!.recurrence).toBe('FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1;UNTIL=20270630'));
    expect(details.getByText('Repeats every 2 months on the last day, until 30 Jun 2027.')).toBeInTheDocument();

    await user.click(details.getByRole('radio', { name: 'When I complete it' }));
    await waitFor(() => expect(stored()[0]!.recur_from).toBe('completion'));
    expect(details.getByText('Repeats every 2 months on the last day, until 30 Jun 2027, counted from when you complete it.')).toBeInTheDocument();

    // Weekly, then Monday to Friday one by one: still Weekly, not swapped for "Weekdays".
    await user.selectOptions(details.getByRole('combobox', { name: 'Repeat' }), 'Weekly');
    const days = within(details.getByRole('group', { name: 'On these days' }));
    for (const day of ['Friday', 'Monday', 'Tuesday', 'Wednesday']) await user.click(days.getByRole('button', { name: dayName(day) }));
    // 31 December 2026 is a Thursday: Weekly started there.
    await waitFor(() => expect(stored()[0]!.recurrence).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270630'));
    expect(details.getByRole('combobox', { name: 'Repeat' })).toHaveValue('weekly');
    await user.selectOptions(details.getByRole('combobox', { name: 'Repeat' }), 'Never');
    await waitFor(() => expect(stored()[0]!.recurrence).toBeNull());
    expect(details.queryByRole('group', { name: 'Ends' })).not.toBeInTheDocument();
  });

  it('puts a refused rule back and says why in the failure toast', async () => {
    seed({ title: 'Rent', due_date: '2026-12-31', recurrence: 'FREQ=MONTHLY;UNTIL=20270630' });
    const { user } = renderDashboard();
    const details = await openDetails(user, 'Rent');
    // Ending before the due date, the rule never occurs: the API answers 422.
    fireEvent.change(details.getByLabelText('Last date'), { target: { value: '2026-12-01' } });
    await screen.findByText(/Couldn’t save “Rent”\./);
    await waitFor(() => expect(details.getByLabelText('Last date')).toHaveValue('2027-06-30'));
    expect(stored()[0]!.recurrence).toBe('FREQ=MONTHLY;UNTIL=20270630');
  });

  it('waits for a due date: disabled with "Pick a due date first." until one is set', async () => {
    seed({ title: 'Someday' });
    const { user } = renderDashboard();
    const details = await openDetails(user, 'Someday');
    const repeat = details.getByRole('combobox', { name: 'Repeat' });
    expect(repeat).toBeDisabled();
    expect(details.getByRole('group', { name: 'Repeat' })).toHaveAccessibleDescription('Pick a due date first.');
    fireEvent.change(details.getByLabelText('Due date'), { target: { value: '2026-12-08' } });
    await waitFor(() => expect(repeat).toBeEnabled());
    expect(details.queryByText('Pick a due date first.')).not.toBeInTheDocument();
    await user.selectOptions(repeat, 'Weekdays (Mon–Fri)');
    await waitFor(() => expect(stored()[0]).toMatchObject({ due_date: '2026-12-08', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' }));
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(within(row('Someday')).getByTitle('Repeats every weekday')).toBeInTheDocument();
  });
});

describe('Completing a repeating task', () => {
  const gym: CreateTaskBody = {
    title: 'Gym',
    due_date: '2026-12-07',
    due_time: '18:00',
    recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH',
    remind_at: '2026-12-07T17:00:00.000Z',
  };

  it('stays in Active with its next due date, says so in a toast, and Undo puts the date and reminder back', async () => {
    seed(gym);
    const { user } = renderDashboard();
    await loaded();
    await user.click(screen.getByRole('link', { name: 'Active' }));
    const release = holdCompletions();
    await user.click(screen.getByRole('checkbox', { name: 'Gym' }));
    // Before the answer: never shown as done (it stays open); where it moves, the answer says.
    expect(screen.getByRole('checkbox', { name: 'Gym' })).not.toBeChecked();
    expect(within(row('Gym')).getByTitle('Monday, 7 December 2026 at 18:00')).toBeInTheDocument();
    expect(stored()[0]!.due_date).toBe('2026-12-07');
    release();
    const toast = (await screen.findByText('“Gym”: next on Thu 10 Dec')).closest('[data-sonner-toast]') as HTMLElement;
    expect(stored()[0]).toMatchObject({ completed: false, due_date: '2026-12-10', due_time: '18:00', remind_at: '2026-12-10T17:00:00.000Z' });
    expect(stored()[0]!.completed_at).not.toBeNull();
    expect(screen.getByRole('checkbox', { name: 'Gym' })).not.toBeChecked();
    expect(within(row('Gym')).getByTitle('Thursday, 10 December 2026 at 18:00')).toBeInTheDocument();
    expect(within(row('Gym')).getByRole('img', { name: 'Reminder Thu 10 Dec, 17:00' })).toBeInTheDocument();
    // Sonner's toaster is a polite live region: the toast is read out as it appears.
    expect(toast.closest('[aria-live="polite"]')).not.toBeNull();

    await user.click(within(toast).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(stored()[0]).toMatchObject({ completed: false, due_date: '2026-12-07', remind_at: '2026-12-07T17:00:00.000Z', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH' }));
    await waitFor(() => expect(within(row('Gym')).getByTitle('Monday, 7 December 2026 at 18:00')).toBeInTheDocument());
    expect(within(row('Gym')).getByRole('img', { name: 'Reminder Mon 7 Dec, 17:00' })).toBeInTheDocument();
  });

  it('moves from the day of completion when counted from completion', async () => {
    seed({ ...gym, title: 'Water plants', recurrence: 'FREQ=DAILY;INTERVAL=3', recur_from: 'completion', remind_at: null });
    const { user } = renderDashboard();
    await loaded();
    await user.click(screen.getByRole('checkbox', { name: 'Water plants' }));
    // Completed on Thursday 3 December: three days on.
    await screen.findByText('“Water plants”: next on Sun 6 Dec');
    expect(stored()[0]).toMatchObject({ completed: false, due_date: '2026-12-06' });
  });

  it('closes like any task when no occurrence is left', async () => {
    seed({ ...gym, title: 'Last class', recurrence: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20261207' });
    const { user } = renderDashboard();
    await loaded();
    await user.click(screen.getByRole('checkbox', { name: 'Last class' }));
    await waitFor(() => expect(screen.getByTestId('announcer')).toHaveTextContent('“Last class” marked as done.'));
    expect(stored()[0]).toMatchObject({ completed: true, due_date: '2026-12-07' });
    expect(screen.getByRole('checkbox', { name: 'Last class' })).toBeChecked();
    expect(screen.queryByText(/next on/)).not.toBeInTheDocument();
  });

  it('with COUNT, lets the answer say whether it moved on', async () => {
    seed({ ...gym, title: 'Twice', recurrence: 'FREQ=WEEKLY;BYDAY=MO;COUNT=2', remind_at: null });
    const { user } = renderDashboard();
    await loaded();
    const release = holdCompletions();
    await user.click(screen.getByRole('checkbox', { name: 'Twice' }));
    // Whether one is left only the server knows: nothing changes until it answers.
    expect(screen.getByRole('checkbox', { name: 'Twice' })).not.toBeChecked();
    expect(within(row('Twice')).getByTitle('Monday, 7 December 2026 at 18:00')).toBeInTheDocument();
    release();
    await screen.findByText('“Twice”: next on Mon 14 Dec');
    await user.click(screen.getByRole('checkbox', { name: 'Twice' }));
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'Twice' })).toBeChecked());
    expect(stored()[0]).toMatchObject({ completed: true, due_date: '2026-12-14' });
  });
});

describe('Reminder picker', () => {
  it('stores "1 hour before" as the instant in the person’s zone, and the row shows a bell', async () => {
    seed({ title: 'Call mum', due_date: '2026-12-10', due_time: '18:00' });
    const { user } = renderDashboard({ timeZone: 'Europe/Paris' });
    const details = await openDetails(user, 'Call mum');
    const remind = details.getByRole('combobox', { name: 'Remind me' });
    expect(remind).toHaveValue('none');
    await user.selectOptions(remind, '1 hour before');
    await waitFor(() => expect(stored()[0]!.remind_at).toBe('2026-12-10T16:00:00.000Z'));
    expect(remind).toHaveValue('1h');
    expect(details.getByText('Reminder:', { exact: false })).toHaveTextContent('Reminder: Thu 10 Dec, 17:00');

    await user.selectOptions(remind, 'At the due time');
    await waitFor(() => expect(stored()[0]!.remind_at).toBe('2026-12-10T17:00:00.000Z'));
    await user.selectOptions(remind, '1 day before');
    await waitFor(() => expect(stored()[0]!.remind_at).toBe('2026-12-09T17:00:00.000Z'));
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(within(row('Call mum')).getByRole('img', { name: 'Reminder Wed 9 Dec, 18:00' })).toBeInTheDocument();

    const again = await openDetails(user, 'Call mum');
    await user.selectOptions(again.getByRole('combobox', { name: 'Remind me' }), 'None');
    await waitFor(() => expect(stored()[0]!.remind_at).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(within(row('Call mum')).queryByRole('img', { name: /^Reminder/ })).not.toBeInTheDocument();
  });

  it('counts from 09:00 on the due day for a task without a due time, and says so', async () => {
    seed({ title: 'Bins', due_date: '2026-12-10' });
    const { user } = renderDashboard({ timeZone: 'Europe/Paris' });
    const details = await openDetails(user, 'Bins');
    expect(details.getByText('No due time: the presets count from 09:00 on the due day.')).toBeInTheDocument();
    await user.selectOptions(details.getByRole('combobox', { name: 'Remind me' }), 'At 09:00 on the due day (no due time)');
    await waitFor(() => expect(stored()[0]!.remind_at).toBe('2026-12-10T08:00:00.000Z'));
  });

  it('reads a custom time on the person’s wall clock, and says "Reminded" once it has passed', async () => {
    seed({ title: 'Taxes' }, { title: 'Dentist', remind_at: '2026-12-02T09:00:00.000Z' });
    const { user } = renderDashboard({ timeZone: 'Europe/Paris' });
    const details = await openDetails(user, 'Taxes');
    const remind = details.getByRole('combobox', { name: 'Remind me' });
    // Without a due date only a custom time makes sense.
    expect(within(remind).getByRole('option', { name: '1 hour before' })).toBeDisabled();
    await user.selectOptions(remind, 'Custom…');
    const at = details.getByLabelText('Remind me at');
    expect(at).toHaveAttribute('type', 'datetime-local');
    expect(at).toHaveAccessibleDescription('In your time zone, Europe/Paris.');
    expect(stored().find((task) => task.title === 'Taxes')!.remind_at).toBeNull();
    fireEvent.change(at, { target: { value: '2026-12-09T08:30' } });
    await waitFor(() => expect(stored().find((task) => task.title === 'Taxes')!.remind_at).toBe('2026-12-09T07:30:00.000Z'));
    expect(details.getByText('Reminder:', { exact: false })).toHaveTextContent('Reminder: Wed 9 Dec, 08:30');
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(within(row('Taxes')).getByRole('img', { name: 'Reminder Wed 9 Dec, 08:30' })).toBeInTheDocument();

    // Past: no bell in the row, and the panel shows the stored time as it is in Paris.
    expect(within(row('Dentist')).queryByRole('img', { name: /^Reminder/ })).not.toBeInTheDocument();
    const dentist = await openDetails(user, 'Dentist');
    expect(dentist.getByRole('combobox', { name: 'Remind me' })).toHaveValue('custom');
    expect(dentist.getByLabelText('Remind me at')).toHaveValue('2026-12-02T10:00');
    expect(dentist.getByText('Reminded:', { exact: false })).toHaveTextContent('Reminded: Wed 2 Dec, 10:00');
  });
});

describe('A task service without repeats or reminders', () => {
  it('hides both pickers and what a row would say of them', async () => {
    seed({ title: 'Gym', due_date: '2026-12-07', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH', remind_at: '2026-12-07T08:00:00.000Z' });
    const { user } = renderDashboard({ features: { ...ALL_FEATURES, recurrence: false, reminders: false } });
    await loaded();
    expect(within(row('Gym')).queryByText(/every/)).not.toBeInTheDocument();
    expect(within(row('Gym')).queryByRole('img', { name: /^Reminder/ })).not.toBeInTheDocument();
    const details = await openDetails(user, 'Gym');
    expect(details.getByLabelText('Due date')).toBeInTheDocument();
    expect(details.queryByRole('combobox', { name: 'Repeat' })).not.toBeInTheDocument();
    expect(details.queryByRole('combobox', { name: 'Remind me' })).not.toBeInTheDocument();
  });
});
