import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SEED_FEATURES } from '@/lib/api/features';
import { ORIGIN, server, USER } from '@/test/components/fixtures';
import { AppProviders } from '../../_components/app-providers';
import { TasksDashboard } from './tasks-dashboard';

/**
 * The dashboard in front of a task service written from the seeds (BACKEND_URL, no
 * BACKEND_FEATURES): six routes, every task in one answer, no query, no counts, PUT replaces the
 * task, PATCH /complete toggles, DELETE answers 200 with a message, errors are FastAPI's `detail`.
 * Here that service is an msw stand-in shaped like interop/fastapi (which the interop and browser
 * tests run for real): the UI must show only what works, and work.
 */

interface SeedTask {
  id: number;
  user_id: string;
  title: string;
  description: string | null;
  completed: boolean;
  created_at: string;
  updated_at: string;
}

let tasks: SeedTask[] = [];
let nextId = 1;
let received: { method: string; path: string; body: unknown }[] = [];
const BASE = `${ORIGIN}/api/proxy/me/tasks`;

function seed(...titles: (string | { title: string; completed: boolean })[]) {
  for (const each of titles) {
    const { title, completed } = typeof each === 'string' ? { title: each, completed: false } : each;
    const now = new Date().toISOString().replace('Z', '');
    tasks.push({ id: nextId++, user_id: USER.id, title, description: null, completed, created_at: now, updated_at: now });
  }
}

const notFound = () => HttpResponse.json({ detail: 'Task not found' }, { status: 404 });

async function bodyOf(request: Request): Promise<unknown> {
  const text = await request.text();
  return text === '' ? undefined : JSON.parse(text);
}

beforeEach(() => {
  tasks = [];
  nextId = 1;
  received = [];
  const record = async (request: Request) => {
    const body = await bodyOf(request.clone());
    received.push({ method: request.method, path: new URL(request.url).pathname + new URL(request.url).search, body });
    return body as Record<string, unknown> | undefined;
  };
  server.use(
    // The seeds' list: every task, newest first, whatever the query says.
    http.get(BASE, async ({ request }) => {
      await record(request);
      return HttpResponse.json([...tasks].reverse());
    }),
    http.post(BASE, async ({ request }) => {
      const body = (await record(request)) ?? {};
      const title = body.title;
      if (typeof title !== 'string' || title.length === 0 || title.length > 255) {
        return HttpResponse.json({ detail: [{ loc: ['body', 'title'], msg: 'ensure this value has at most 255 characters', type: 'value_error' }] }, { status: 422 });
      }
      seed(title);
      const task = tasks.at(-1)!;
      task.description = (body.description as string | null | undefined) ?? null;
      return HttpResponse.json(task, { status: 201 });
    }),
    http.put(`${BASE}/:id`, async ({ request, params }) => {
      const body = (await record(request)) ?? {};
      const task = tasks.find((each) => each.id === Number(params.id));
      if (!task) return notFound();
      task.title = body.title as string;
      task.description = (body.description as string | null | undefined) ?? null;
      return HttpResponse.json(task);
    }),
    http.patch(`${BASE}/:id`, async ({ request }) => {
      await record(request);
      return HttpResponse.json({ detail: 'Method Not Allowed' }, { status: 405 });
    }),
    http.patch(`${BASE}/:id/complete`, async ({ request, params }) => {
      await record(request);
      const task = tasks.find((each) => each.id === Number(params.id));
      if (!task) return notFound();
      task.completed = !task.completed;
      return HttpResponse.json(task);
    }),
    http.delete(`${BASE}/:id`, async ({ request, params }) => {
      await record(request);
      const index = tasks.findIndex((each) => each.id === Number(params.id));
      if (index === -1) return notFound();
      tasks.splice(index, 1);
      return HttpResponse.json({ success: true, message: 'Task deleted successfully' });
    }),
    // Nothing else exists there.
    http.all(`${ORIGIN}/api/proxy/*`, async ({ request }) => {
      await record(request);
      return HttpResponse.json({ detail: 'Not Found' }, { status: 404 });
    }),
  );
});

function renderDashboard() {
  const user = userEvent.setup();
  render(
    <AppProviders onSessionExpired={vi.fn()} retry={false}>
      <TasksDashboard initial={null} features={SEED_FEATURES} />
    </AppProviders>,
  );
  return user;
}

const titles = () => [...document.querySelectorAll('li[data-task-id]')].map((item) => item.querySelector('p[id$="-title"]')?.textContent);
const counter = () => screen.getByTestId('items-left').textContent?.replace(/\s+/g, ' ').trim();
const writes = () => received.filter((request) => request.method !== 'GET');

async function loaded() {
  await waitFor(() => expect(screen.queryByText('Loading tasks…')).not.toBeInTheDocument());
}

describe('TasksDashboard in front of a seeds-style task service', () => {
  it('shows the tasks newest first with the counter worked out from the one answer, and nothing the service cannot do', async () => {
    seed('first', { title: 'second', completed: true }, 'third');
    renderDashboard();
    await loaded();
    expect(titles()).toEqual(['third', 'second', 'first']);
    expect(counter()).toBe('2 items left');
    // No places, lists or tags; no search, filters or sort; no list, priority, date or tag fields.
    expect(screen.queryByRole('navigation', { name: 'Places, lists and tags' })).not.toBeInTheDocument();
    expect(screen.queryByRole('search')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Sort')).not.toBeInTheDocument();
    // Only the routes it has were asked for: never /lists, /tags or /bulk.
    expect(received.every((request) => request.path.startsWith('/api/proxy/me/tasks') && !request.path.includes('bulk'))).toBe(true);
  });

  it('adds the line as it was typed: no dates, tags or priorities taken out of it', async () => {
    const user = renderDashboard();
    await loaded();
    await user.type(screen.getByLabelText('New task'), 'Pay rent tomorrow 9am #home !high{Enter}');
    await waitFor(() => expect(tasks.map((task) => task.title)).toEqual(['Pay rent tomorrow 9am #home !high']));
    expect(writes()).toEqual([{ method: 'POST', path: '/api/proxy/me/tasks', body: { title: 'Pay rent tomorrow 9am #home !high', description: null } }]);
    expect(screen.queryByText('#home')).not.toBeInTheDocument();
  });

  it('completes and reopens by toggling, and filters Active / Completed in the browser', async () => {
    seed('a', 'b');
    const user = renderDashboard();
    await loaded();
    await user.click(screen.getByRole('checkbox', { name: 'a' }));
    await waitFor(() => expect(tasks.find((task) => task.title === 'a')!.completed).toBe(true));
    expect(writes()).toEqual([{ method: 'PATCH', path: '/api/proxy/me/tasks/1/complete', body: undefined }]);
    await waitFor(() => expect(counter()).toBe('1 item left'));

    await user.click(screen.getByRole('link', { name: 'Completed' }));
    await waitFor(() => expect(titles()).toEqual(['a']));
    await user.click(screen.getByRole('link', { name: 'Active' }));
    await waitFor(() => expect(titles()).toEqual(['b']));
  });

  it('marks done what another tab had already reopened: a toggle that lands the wrong way is toggled back', async () => {
    seed('a');
    const user = renderDashboard();
    await loaded();
    tasks[0]!.completed = true; // done elsewhere, not yet seen here
    await user.click(screen.getByRole('checkbox', { name: 'a' }));
    await waitFor(() => expect(writes()).toHaveLength(2));
    expect(tasks[0]!.completed).toBe(true);
  });

  it('edits by sending the whole task (title and description) with PUT, which the service replaces', async () => {
    seed('Buy milk');
    tasks[0]!.description = 'two litres';
    const user = renderDashboard();
    await loaded();
    await user.click(screen.getByRole('button', { name: 'Details of “Buy milk”' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).queryByLabelText('Priority')).not.toBeInTheDocument();
    expect(within(dialog).queryByLabelText('Due date')).not.toBeInTheDocument();
    expect(within(dialog).queryByText('Tags')).not.toBeInTheDocument();
    const title = within(dialog).getByLabelText('Title');
    await user.clear(title);
    await user.type(title, 'Buy oat milk{Enter}');
    await waitFor(() => expect(tasks[0]).toMatchObject({ title: 'Buy oat milk', description: 'two litres' }));
    expect(writes()).toEqual([{ method: 'PUT', path: '/api/proxy/me/tasks/1', body: { title: 'Buy oat milk', description: 'two litres' } }]);
  });

  it('deletes (the service answers 200 with a message), and clears completed one task at a time', async () => {
    seed('keep', { title: 'done 1', completed: true }, { title: 'done 2', completed: true }, 'gone');
    const user = renderDashboard();
    await loaded();
    await user.click(screen.getByRole('button', { name: 'Delete “gone”' }));
    await waitFor(() => expect(tasks.map((task) => task.title)).toEqual(['keep', 'done 1', 'done 2']));
    await user.click(screen.getByRole('button', { name: 'Clear completed' }));
    await waitFor(() => expect(tasks.map((task) => task.title)).toEqual(['keep']));
    await waitFor(() => expect(titles()).toEqual(['keep']));
    const [deleted, ...cleared] = writes()
      .filter((request) => request.method === 'DELETE')
      .map((request) => request.path);
    expect(deleted).toBe('/api/proxy/me/tasks/4');
    expect(cleared.sort()).toEqual(['/api/proxy/me/tasks/2', '/api/proxy/me/tasks/3']);
  });

  it("says what FastAPI's validation list says, as a sentence", async () => {
    const user = renderDashboard();
    await loaded();
    server.use(
      http.post(BASE, () => HttpResponse.json({ detail: [{ loc: ['body', 'title'], msg: 'ensure this value has at most 255 characters', type: 'value_error' }] }, { status: 422 }), {
        once: true,
      }),
    );
    await user.type(screen.getByLabelText('New task'), 'Too long for that service{Enter}');
    expect(await screen.findByText(/title: ensure this value has at most 255 characters\./)).toBeInTheDocument();
  });
});
