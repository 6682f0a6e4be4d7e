import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { failNext } from '@/mocks/task-api';
import { ORIGIN, server, store, USER } from '@/test/components/fixtures';
import type { CreateTaskBody } from '@/lib/api/task-schemas';
import { addDays, zonedNow } from '@/lib/dates';
import { AppProviders } from '../../_components/app-providers';
import { TasksDashboard } from './tasks-dashboard';

function renderDashboard() {
  const onSessionExpired = vi.fn();
  const user = userEvent.setup();
  render(
    <AppProviders onSessionExpired={onSessionExpired} retry={false}>
      <TasksDashboard initial={null} />
    </AppProviders>,
  );
  return { user, onSessionExpired };
}

const seed = (...tasks: CreateTaskBody[]) => store.seed(USER.id, tasks);
const rows = () => [...document.querySelectorAll('li[data-task-id]')];
const titles = () => rows().map((item) => item.querySelector('p[id$="-title"]')?.textContent);
const counter = () => screen.getByTestId('items-left').textContent?.replace(/\s+/g, ' ').trim();
const newTaskField = () => screen.getByLabelText('New task');
const stored = () => store.list(USER.id);

async function loaded() {
  await waitFor(() => expect(screen.queryByText('Loading tasks…')).not.toBeInTheDocument());
}

describe('TasksDashboard', () => {
  it('lists tasks newest first, with the counter from the API', async () => {
    seed({ title: 'first' }, { title: 'second', description: 'details' }, { title: 'third', completed: true });
    renderDashboard();
    expect(screen.getByText('Loading tasks…')).toBeInTheDocument();
    await loaded();
    expect(titles()).toEqual(['third', 'second', 'first']);
    expect(screen.getByText('details')).toBeInTheDocument();
    expect(counter()).toBe('2 items left');
    expect(screen.getByRole('checkbox', { name: 'third' })).toBeChecked();
  });

  it('shows an empty state, and pluralises the counter: 0 items, 1 item, 2 items', async () => {
    const { user } = renderDashboard();
    await screen.findByText('No tasks yet');
    expect(counter()).toBe('0 items left');
    await user.type(newTaskField(), 'one{Enter}');
    await waitFor(() => expect(counter()).toBe('1 item left'));
    await user.type(newTaskField(), 'two{Enter}');
    await waitFor(() => expect(counter()).toBe('2 items left'));
  });

  it('adds with Enter: trimmed, the field emptied, an empty title ignored, with an optional description', async () => {
    const { user } = renderDashboard();
    await loaded();
    await user.type(newTaskField(), '   {Enter}');
    expect(stored()).toHaveLength(0);
    await user.type(newTaskField(), '  Buy milk  {Enter}');
    expect(newTaskField()).toHaveValue('');
    expect(newTaskField()).toHaveFocus();
    await waitFor(() => expect(stored().map((t) => t.title)).toEqual(['Buy milk']));
    expect(titles()).toEqual(['Buy milk']);

    await user.click(screen.getByRole('button', { name: '+ Add a description' }));
    await user.type(screen.getByLabelText('Description (optional)'), 'two litres');
    await user.type(newTaskField(), 'Buy more milk{Enter}');
    await waitFor(() => expect(stored()[0]).toMatchObject({ title: 'Buy more milk', description: 'two litres' }));
    await waitFor(() => expect(screen.getByText('Added “Buy more milk”.')).toBeInTheDocument());
  });

  it('shows markup in titles as text', async () => {
    seed({ title: '<script>alert(1)</script><b>bold</b>' });
    renderDashboard();
    await loaded();
    expect(screen.getByText('<script>alert(1)</script><b>bold</b>')).toBeInTheDocument();
    expect(document.querySelector('li b')).toBeNull();
  });

  it('edits by double-click: Enter saves and focus returns to the task', async () => {
    seed({ title: 'Write report', description: 'Q3' });
    const { user } = renderDashboard();
    await loaded();
    await user.dblClick(screen.getByText('Write report'));
    const title = screen.getByRole('textbox', { name: 'Title' });
    expect(title).toHaveFocus();
    await user.clear(title);
    await user.type(title, 'Write the report{Enter}');
    expect(titles()).toEqual(['Write the report']);
    await waitFor(() => expect(stored()[0]).toMatchObject({ title: 'Write the report', description: 'Q3' }));
    expect(screen.getByRole('button', { name: 'Edit “Write the report”' })).toHaveFocus();
  });

  it('edits with the Edit button; Escape cancels and nothing is sent', async () => {
    seed({ title: 'Keep me' });
    const { user } = renderDashboard();
    await loaded();
    const before = stored()[0]!.updated_at;
    await user.click(screen.getByRole('button', { name: 'Edit “Keep me”' }));
    await user.clear(screen.getByRole('textbox', { name: 'Title' }));
    await user.type(screen.getByRole('textbox', { name: 'Title' }), 'Changed');
    await user.keyboard('{Escape}');
    expect(titles()).toEqual(['Keep me']);
    expect(screen.queryByRole('textbox', { name: 'Title' })).not.toBeInTheDocument();
    expect(stored()[0]!.updated_at).toBe(before);
  });

  it('saves the description on blur, and edits it with Ctrl+Enter', async () => {
    seed({ title: 'Task' });
    const { user } = renderDashboard();
    await loaded();
    await user.click(screen.getByRole('button', { name: 'Edit “Task”' }));
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'more words');
    await user.click(document.body);
    await waitFor(() => expect(stored()[0]!.description).toBe('more words'));
    await user.click(screen.getByRole('button', { name: 'Edit “Task”' }));
    await user.clear(screen.getByRole('textbox', { name: 'Description' }));
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'other{Control>}{Enter}{/Control}');
    await waitFor(() => expect(stored()[0]!.description).toBe('other'));
  });

  it('never saves an emptied title: Enter asks for one, leaving restores the old one', async () => {
    seed({ title: 'Important' });
    const { user } = renderDashboard();
    await loaded();
    await user.dblClick(screen.getByText('Important'));
    await user.clear(screen.getByRole('textbox', { name: 'Title' }));
    await user.keyboard('{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('A task needs a title');
    expect(screen.getByRole('textbox', { name: 'Title' })).toHaveFocus();
    await user.click(document.body);
    expect(titles()).toEqual(['Important']);
    await waitFor(() => expect(screen.getByTestId('announcer')).toHaveTextContent('The title was empty, so “Important” was kept.'));
    expect(stored()[0]!.title).toBe('Important');
  });

  it('toggles a task and the counter follows', async () => {
    seed({ title: 'a' }, { title: 'b' });
    const { user } = renderDashboard();
    await loaded();
    await user.click(screen.getByRole('checkbox', { name: 'a' }));
    expect(screen.getByRole('checkbox', { name: 'a' })).toBeChecked();
    expect(counter()).toBe('1 item left');
    await waitFor(() => expect(stored().find((t) => t.title === 'a')!.completed).toBe(true));
    await user.click(screen.getByRole('checkbox', { name: 'a' }));
    await waitFor(() => expect(stored().find((t) => t.title === 'a')!.completed).toBe(false));
    expect(counter()).toBe('2 items left');
  });

  it('handles more tasks than one API page: loads more, counts from X-Total-Count, toggles all and clears all of them', async () => {
    seed(...Array.from({ length: 60 }, (_, i) => ({ title: `task ${i + 1}`, completed: i < 5 })));
    const { user } = renderDashboard();
    await loaded();
    expect(rows()).toHaveLength(50);
    expect(counter()).toBe('55 items left');
    await user.click(screen.getByRole('button', { name: 'Show more tasks' }));
    await waitFor(() => expect(rows()).toHaveLength(60));
    expect(screen.queryByRole('button', { name: 'Show more tasks' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('checkbox', { name: 'Mark all as done' }));
    expect(counter()).toBe('0 items left');
    await waitFor(() => expect(stored().every((t) => t.completed)).toBe(true));
    expect(screen.getByRole('checkbox', { name: 'Mark all as done' })).toBeChecked();

    // Unchecking it reopens every one.
    await user.click(screen.getByRole('checkbox', { name: 'Mark all as done' }));
    await waitFor(() => expect(stored().every((t) => !t.completed)).toBe(true));
    await waitFor(() => expect(counter()).toBe('60 items left'));

    await user.click(screen.getByRole('checkbox', { name: 'task 60' }));
    await user.click(screen.getByRole('checkbox', { name: 'task 1' }));
    await waitFor(() => expect(stored().filter((t) => t.completed)).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'Clear completed' }));
    expect(screen.queryByRole('checkbox', { name: 'task 60' })).not.toBeInTheDocument();
    await waitFor(() => expect(stored()).toHaveLength(58));
    // Hidden (visibility, so the footer keeps its shape) and disabled once nothing is completed.
    await waitFor(() => expect(screen.getByText('Clear completed')).toBeDisabled());
  });

  it('filters All / Active / Completed in the URL, with back and forward', async () => {
    seed({ title: 'open' }, { title: 'done', completed: true });
    const { user } = renderDashboard();
    await loaded();
    expect(screen.getByRole('link', { name: 'All' })).toHaveAttribute('aria-current', 'page');
    await user.click(screen.getByRole('link', { name: 'Active' }));
    expect(window.location.search).toBe('?filter=active');
    await waitFor(() => expect(titles()).toEqual(['open']));
    expect(screen.getByRole('link', { name: 'Active' })).toHaveAttribute('aria-current', 'page');
    await user.click(screen.getByRole('link', { name: 'Completed' }));
    expect(window.location.search).toBe('?filter=completed');
    await waitFor(() => expect(titles()).toEqual(['done']));
    // Completing in "Active" takes the task out of that list.
    await user.click(screen.getByRole('link', { name: 'Active' }));
    await waitFor(() => expect(titles()).toEqual(['open']));
    await user.click(screen.getByRole('checkbox', { name: 'open' }));
    await waitFor(() => expect(titles()).toEqual([]));
    expect(screen.getByText('Nothing left to do')).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'All' }));
    expect(window.location.pathname + window.location.search).toBe('/tasks');
    await waitFor(() => expect(titles()).toEqual(['done', 'open']));
  });

  it('rolls a failed toggle back and says so in a toast with a retry that works', async () => {
    seed({ title: 'Pay rent' });
    const { user } = renderDashboard();
    await loaded();
    server.use(failNext({ status: 500, method: 'PATCH', origin: ORIGIN }));
    await user.click(screen.getByRole('checkbox', { name: 'Pay rent' }));
    const toast = await screen.findByText(/Couldn’t mark “Pay rent” as done\. Something went wrong on our side\./);
    expect(screen.getByRole('checkbox', { name: 'Pay rent' })).not.toBeChecked();
    expect(counter()).toBe('1 item left');
    expect(stored()[0]!.completed).toBe(false);
    const toastElement = toast.closest('[data-sonner-toast]') as HTMLElement;
    await user.click(within(toastElement).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(stored()[0]!.completed).toBe(true));
    expect(screen.getByRole('checkbox', { name: 'Pay rent' })).toBeChecked();
  });

  it('rolls a failed delete back (503), the task reappears where it was', async () => {
    seed({ title: 'a' }, { title: 'b' }, { title: 'c' });
    const { user } = renderDashboard();
    await loaded();
    server.use(failNext({ status: 503, method: 'DELETE', origin: ORIGIN }));
    await user.click(screen.getByRole('button', { name: 'Delete “b”' }));
    await screen.findByText(/Couldn’t delete “b”\. The database is not answering/);
    expect(titles()).toEqual(['c', 'b', 'a']);
    expect(stored()).toHaveLength(3);
  });

  it('keeps what was typed when adding fails, and retries from the toast', async () => {
    const { user } = renderDashboard();
    await loaded();
    server.use(failNext({ status: 503, method: 'POST', origin: ORIGIN }));
    await user.type(newTaskField(), 'Do not lose me{Enter}');
    await screen.findByText(/Couldn’t add “Do not lose me”\./);
    expect(newTaskField()).toHaveValue('Do not lose me');
    expect(titles()).toEqual([]);
    expect(stored()).toHaveLength(0);
    const toastElement = screen.getByText(/Couldn’t add/).closest('[data-sonner-toast]') as HTMLElement;
    await user.click(within(toastElement).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(stored().map((t) => t.title)).toEqual(['Do not lose me']));
  });

  it('keeps what was typed when the network is down', async () => {
    const { user } = renderDashboard();
    await loaded();
    server.use(http.post(`${ORIGIN}/api/proxy/me/tasks`, () => HttpResponse.error(), { once: true }));
    await user.type(newTaskField(), 'Offline thought{Enter}');
    await screen.findByText(/Tasklane could not be reached/);
    expect(newTaskField()).toHaveValue('Offline thought');
  });

  it('shows an error with a retry when the list cannot be loaded', async () => {
    seed({ title: 'there all along' });
    // The page of tasks fails once (not the sidebar's count requests, which carry limit=1).
    let failed = false;
    server.use(
      http.get(`${ORIGIN}/api/proxy/me/tasks`, ({ request }) => {
        if (failed || new URL(request.url).searchParams.get('limit') === '1') return undefined;
        failed = true;
        return HttpResponse.error();
      }),
    );
    const { user } = renderDashboard();
    await screen.findByText('Couldn’t load your tasks');
    expect(screen.getByRole('alert')).toHaveTextContent('Tasklane could not be reached');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('there all along');
  });

  it('sends the person to sign in when the session has expired (401), once, and keeps the unsent task', async () => {
    seed({ title: 'a' });
    const { user, onSessionExpired } = renderDashboard();
    await loaded();
    server.use(failNext({ status: 401, origin: ORIGIN, times: 5 }));
    await user.type(newTaskField(), 'unsent{Enter}');
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalledTimes(1));
    expect(JSON.parse(sessionStorage.getItem('tasklane:unsent-task')!)).toMatchObject({ title: 'unsent' });
    expect(screen.queryByText(/Couldn’t add “unsent”/)).not.toBeInTheDocument();
  });

  it('puts back the unsent task after signing in again', async () => {
    sessionStorage.setItem('tasklane:unsent-task', JSON.stringify({ title: 'unsent', description: 'with words' }));
    renderDashboard();
    await waitFor(() => expect(newTaskField()).toHaveValue('unsent'));
    expect(screen.getByLabelText('Description (optional)')).toHaveValue('with words');
    expect(sessionStorage.getItem('tasklane:unsent-task')).toBeNull();
  });

  it('moves focus to the next task after a delete, and to the new-task field after the last', async () => {
    seed({ title: 'a' }, { title: 'b' });
    const { user } = renderDashboard();
    await loaded();
    await user.click(screen.getByRole('button', { name: 'Delete “b”' }));
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'a' })).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Delete “a”' }));
    await waitFor(() => expect(newTaskField()).toHaveFocus());
    await waitFor(() => expect(stored()).toHaveLength(0));
  });

  it('jumps to the new-task field with "n" and to the search with "/"', async () => {
    const { user } = renderDashboard();
    await loaded();
    await user.keyboard('n');
    expect(newTaskField()).toHaveFocus();
    expect(newTaskField()).toHaveValue('');
    await user.click(document.body);
    await user.keyboard('/');
    expect(screen.getByRole('searchbox', { name: 'Search tasks' })).toHaveFocus();
  });

  it('says so when the browser goes offline, and stops saying it when it is back', async () => {
    renderDashboard();
    await loaded();
    const online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    act(() => void window.dispatchEvent(new Event('offline')));
    expect(screen.getByText(/You’re offline/)).toBeInTheDocument();
    online.mockReturnValue(true);
    act(() => void window.dispatchEvent(new Event('online')));
    expect(screen.queryByText(/You’re offline/)).not.toBeInTheDocument();
  });

  it('understands a quick-add line, shows what it understood as chips, and puts a removed chip back into the title', async () => {
    const work = store.createList(USER.id, { name: 'Work', color: null });
    const { user } = renderDashboard();
    await loaded();
    await screen.findByRole('link', { name: /^Work/ });
    await user.type(newTaskField(), 'Pay rent tomorrow 9am #home !high @Work');
    const chips = within(await screen.findByRole('list', { name: 'Understood from what you typed' }));
    expect(chips.getAllByRole('button').map((chip) => chip.textContent)).toEqual(['Tomorrow 09:00✕', '#home✕', 'High priority✕', 'List: Work✕']);
    await user.keyboard('{Enter}');
    const tomorrow = addDays(zonedNow('UTC').date, 1);
    await waitFor(() => expect(stored().find((task) => task.title === 'Pay rent')).toMatchObject({ title: 'Pay rent', due_date: tomorrow, due_time: '09:00', tags: ['home'], priority: 'high', list_id: work.id }));

    await user.type(newTaskField(), 'Call mum friday #family');
    await user.click(screen.getByRole('button', { name: /^#family: keep/ }));
    expect(within(screen.getByRole('list', { name: 'Understood from what you typed' })).getAllByRole('button')).toHaveLength(1);
    await user.keyboard('{Enter}');
    const called = () => stored().find((task) => task.title.startsWith('Call mum'));
    await waitFor(() => expect(called()).toMatchObject({ title: 'Call mum #family', tags: [] }));
    expect(called()!.due_date).not.toBeNull();
  });

  it('shows places, lists and tags in the sidebar with their counts; a click shows that place and puts it in the URL', async () => {
    const today = zonedNow('UTC').date;
    const home = store.createList(USER.id, { name: 'Home', color: '#16a34a' });
    seed(
      { title: 'due today', due_date: today, tags: ['errands'] },
      { title: 'overdue', due_date: addDays(today, -2) },
      { title: 'at home', list_id: home.id },
      { title: 'later', due_date: addDays(today, 20), tags: ['errands'] },
    );
    const { user } = renderDashboard();
    await loaded();
    const nav = within(screen.getByRole('navigation', { name: 'Places, lists and tags' }));
    await waitFor(() => expect(nav.getByRole('link', { name: /^Today/ })).toHaveTextContent('Today1'));
    expect(nav.getByRole('link', { name: /^Overdue/ })).toHaveTextContent('Overdue1');
    expect(nav.getByRole('link', { name: /^Inbox/ })).toHaveTextContent('Inbox3');
    expect(nav.getByRole('link', { name: /^Home/ })).toHaveTextContent('Home1');
    expect(nav.getByRole('link', { name: /^#errands/ })).toHaveTextContent('#errands2');

    await user.click(nav.getByRole('link', { name: /^Today/ }));
    expect(window.location.search).toBe('?due=today');
    await waitFor(() => expect(titles()).toEqual(['due today']));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Today');
    await user.click(nav.getByRole('link', { name: /^Home/ }));
    await waitFor(() => expect(titles()).toEqual(['at home']));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Home');
    // A task added here goes into this list.
    await user.type(newTaskField(), 'fix the tap{Enter}');
    await waitFor(() => expect(stored()[0]).toMatchObject({ title: 'fix the tap', list_id: home.id }));
    await user.click(nav.getByRole('link', { name: /^#errands/ }));
    await waitFor(() => expect(titles()).toEqual(['later', 'due today']));
  });

  it('searches as you type (once typing pauses), keeps it in the URL, and says why nothing shows with a way out', async () => {
    seed({ title: 'Buy milk' }, { title: 'Read a book', description: 'about milk' }, { title: 'Walk the dog' });
    const requests: string[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.url.includes('q=')) requests.push(request.url);
    });
    const { user } = renderDashboard();
    await loaded();
    const search = screen.getByRole('searchbox', { name: 'Search tasks' });
    await user.type(search, 'milk');
    await waitFor(() => expect(titles()).toEqual(['Read a book', 'Buy milk']));
    expect(new URLSearchParams(window.location.search).get('q')).toBe('milk');
    // One search for the whole word, not one per key (plus its counts).
    expect(new Set(requests.map((url) => new URL(url).searchParams.get('q')))).toEqual(new Set(['milk']));
    await user.type(search, ' nothing');
    await screen.findByText('No tasks match these filters');
    await user.click(screen.getByRole('button', { name: 'Clear the filters' }));
    await waitFor(() => expect(titles()).toHaveLength(3));
    expect(window.location.search).toBe('');
    server.events.removeAllListeners();
  });

  it('selects tasks with a click and a shift-click, and completes the selection in one request', async () => {
    seed({ title: 'one' }, { title: 'two' }, { title: 'three' }, { title: 'four' });
    const bulk: unknown[] = [];
    server.events.on('request:start', async ({ request }) => {
      if (request.url.endsWith('/tasks/bulk')) bulk.push(await request.clone().json());
    });
    const { user } = renderDashboard();
    await loaded();
    const row = (title: string) => rows().find((item) => item.textContent?.includes(title))!;
    await user.click(row('four'));
    await user.keyboard('{Shift>}');
    await user.click(row('two'));
    await user.keyboard('{/Shift}');
    const bar = within(screen.getByRole('region', { name: 'Change the selected tasks' }));
    expect(bar.getByRole('status')).toHaveTextContent('3 tasks selected');
    await user.click(bar.getByRole('button', { name: 'Complete' }));
    await waitFor(() => expect(stored().filter((task) => task.completed).map((task) => task.title).sort()).toEqual(['four', 'three', 'two']));
    expect(bulk).toHaveLength(1);
    expect(bulk[0]).toMatchObject({ action: 'complete', ids: expect.any(Array) });
    expect(screen.queryByRole('region', { name: 'Change the selected tasks' })).not.toBeInTheDocument();
    server.events.removeAllListeners();
  });

  it('clears 700 completed tasks with one request', async () => {
    seed(...Array.from({ length: 700 }, (_, i) => ({ title: `done ${i}`, completed: true })), { title: 'still open' });
    let requests = 0;
    server.events.on('request:start', ({ request }) => {
      if (request.method !== 'GET') requests++;
    });
    const { user } = renderDashboard();
    await loaded();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Clear completed' })).toBeEnabled());
    await user.click(screen.getByRole('button', { name: 'Clear completed' }));
    await waitFor(() => expect(stored().map((task) => task.title)).toEqual(['still open']));
    expect(requests).toBe(1);
    server.events.removeAllListeners();
  });

  it('moves with j/k, selects with x, opens the details with Enter, and saves a change made there', async () => {
    seed({ title: 'first' }, { title: 'second' }, { title: 'third' });
    const { user } = renderDashboard();
    await loaded();
    await user.keyboard('jj');
    expect(document.activeElement?.textContent).toContain('second');
    await user.keyboard('x');
    expect(screen.getByRole('region', { name: 'Change the selected tasks' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Change the selected tasks' })).not.toBeInTheDocument();
    await user.keyboard('k{Enter}');
    const details = within(await screen.findByRole('dialog', { name: 'Task details' }));
    expect(details.getByRole('textbox', { name: 'Title' })).toHaveValue('third');
    await user.selectOptions(details.getByRole('combobox', { name: 'Priority' }), 'high');
    await waitFor(() => expect(stored().find((task) => task.title === 'third')!.priority).toBe('high'));
    await user.type(details.getByRole('combobox', { name: 'Add a tag' }), 'urgent{Enter}');
    await waitFor(() => expect(stored().find((task) => task.title === 'third')!.tags).toEqual(['urgent']));
  });

  it('creates a list, renames it, and deletes it after saying how many tasks go with it', async () => {
    const { user } = renderDashboard();
    await loaded();
    await user.type(screen.getByRole('textbox', { name: 'New list' }), 'Garden{Enter}');
    const nav = within(screen.getByRole('navigation', { name: 'Places, lists and tags' }));
    await nav.findByRole('link', { name: /^Garden/ });
    const garden = store.listLists(USER.id)[0]!;
    seed({ title: 'mow', list_id: garden.id }, { title: 'weed', list_id: garden.id });
    await user.click(nav.getByRole('button', { name: 'Edit the list “Garden”' }));
    const dialog = within(await screen.findByRole('dialog'));
    await user.clear(dialog.getByRole('textbox', { name: 'Name' }));
    await user.type(dialog.getByRole('textbox', { name: 'Name' }), 'Garden jobs{Enter}');
    await waitFor(() => expect(store.listLists(USER.id)[0]!.name).toBe('Garden jobs'));
    // Deleted while it is the view: the view leaves it, and nothing asks for the list again (a 422).
    await user.click(await nav.findByRole('link', { name: /^Garden jobs/ }));
    await waitFor(() => expect(window.location.search).toBe(`?list=${garden.id}`));
    const asked: string[] = [];
    server.events.on('request:start', ({ request }) => void asked.push(`${request.method} ${new URL(request.url).search}`));
    await user.click(await nav.findByRole('button', { name: 'Edit the list “Garden jobs”' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete…' }));
    await screen.findByText(/its 2 tasks/);
    await user.click(screen.getByRole('button', { name: 'Delete the list and 2 tasks' }));
    await waitFor(() => expect(store.listLists(USER.id)).toEqual([]));
    expect(stored()).toEqual([]);
    await waitFor(() => expect(window.location.search).toBe(''));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(asked.filter((request) => request.startsWith('GET') && request.includes(`list=${garden.id}`))).toEqual([]);
    server.events.removeAllListeners();
  });

  it('reorders lists with Alt+arrow keys, keeping focus on the moved list, and by dragging one onto another', async () => {
    for (const name of ['Alpha', 'Beta', 'Gamma']) store.createList(USER.id, { name, color: null });
    const { user } = renderDashboard();
    await loaded();
    const nav = within(screen.getByRole('navigation', { name: 'Places, lists and tags' }));
    const names = () => [...store.listLists(USER.id)].sort((a, b) => a.position - b.position).map((list) => list.name);
    (await nav.findByRole('link', { name: /^Alpha/ })).focus();
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    await waitFor(() => expect(names()).toEqual(['Beta', 'Alpha', 'Gamma']));
    await waitFor(() => expect(document.activeElement?.textContent).toMatch(/^Alpha/));
    // Alt+Up at the top does nothing.
    (await nav.findByRole('link', { name: /^Beta/ })).focus();
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(names()).toEqual(['Beta', 'Alpha', 'Gamma']);

    const item = (name: string) => nav.getByRole('link', { name: new RegExp(`^${name}`) }).closest('li')!;
    const dataTransfer = { effectAllowed: '', dropEffect: '', setData: () => {}, getData: () => '' };
    fireEvent.dragStart(item('Gamma'), { dataTransfer });
    fireEvent.dragOver(item('Beta'), { dataTransfer });
    fireEvent.drop(item('Beta'), { dataTransfer });
    await waitFor(() => expect(names()).toEqual(['Gamma', 'Beta', 'Alpha']));
  });

  it('acts on every matching task from the bulk bar: select all matching, move, tag, set the priority, and delete after a confirmation', async () => {
    const home = store.createList(USER.id, { name: 'Home', color: null });
    seed(...Array.from({ length: 60 }, (_, i) => ({ title: `task ${i}` })));
    const bulk: { action: string; ids?: number[]; filter?: unknown }[] = [];
    server.events.on('request:start', async ({ request }) => {
      if (request.url.endsWith('/tasks/bulk')) bulk.push(await request.clone().json());
    });
    const { user } = renderDashboard();
    await loaded();
    /** Selects one row, then every task the view matches; a change done clears the selection. */
    async function selectAll() {
      await user.click(rows()[0]!);
      const bar = within(screen.getByRole('region', { name: 'Change the selected tasks' }));
      await user.click(bar.getByRole('button', { name: 'Select all 60 matching' }));
      expect(bar.getByRole('status')).toHaveTextContent('60 tasks selected (every one this view shows)');
      return bar;
    }

    await user.selectOptions((await selectAll()).getByRole('combobox', { name: 'Move to a list' }), String(home.id));
    await waitFor(() => expect(stored().every((task) => task.list_id === home.id)).toBe(true));
    expect(bulk.at(-1)).toMatchObject({ action: 'move', list_id: home.id, filter: expect.any(Object) });
    expect(bulk.at(-1)!.ids).toBeUndefined();
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Change the selected tasks' })).not.toBeInTheDocument());

    await user.type((await selectAll()).getByRole('combobox', { name: 'Add a tag' }), '#weekend{Enter}');
    await waitFor(() => expect(stored().every((task) => task.tags.includes('weekend'))).toBe(true));
    await user.selectOptions((await selectAll()).getByRole('combobox', { name: 'Set the priority' }), 'high');
    await waitFor(() => expect(stored().every((task) => task.priority === 'high')).toBe(true));

    await user.click((await selectAll()).getByRole('button', { name: 'Delete…' }));
    const confirm = within(await screen.findByRole('dialog'));
    expect(confirm.getByText(/Delete 60 tasks\? This cannot be undone\./)).toBeInTheDocument();
    await user.click(confirm.getByRole('button', { name: /^Delete/ }));
    await waitFor(() => expect(stored()).toEqual([]));
    expect(bulk.map((change) => change.action)).toEqual(['move', 'add_tag', 'set_priority', 'delete']);
    server.events.removeAllListeners();
  });

  it('says a list deleted elsewhere no longer exists, and shows all tasks from there', async () => {
    const gone = store.createList(USER.id, { name: 'Gone', color: null });
    seed({ title: 'in the inbox' });
    window.history.replaceState(null, '', `/tasks?list=${gone.id}`);
    store.deleteList(USER.id, gone.id);
    const { user } = renderDashboard();
    await screen.findByText('This list no longer exists');
    await user.click(screen.getByRole('button', { name: 'Show all tasks' }));
    await screen.findByText('in the inbox');
    expect(window.location.search).toBe('');
  });
});
