import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { TaskDto } from '@/lib/api/task-schemas';
import { zonedNow } from '@/lib/dates';
import { firstPageUrl, nextLink, TASKS_PATH, type LoadedPage } from '@/lib/tasks/api-client';
import type { InitialTasks } from '@/lib/tasks/hooks';
import { completeTask, queryLocally, supportedView } from '@/lib/tasks/simple-backend';
import { apiQuery, parseView, type TaskView } from '@/lib/tasks/view';
import { env } from '@/server/env';
import { getAsBrowser } from '@/server/proxy/forward';
import { taskApi } from '../../api/[userId]/task-api';
import { requireUser } from '../require-user';
import { TasksDashboard } from './_components/tasks-dashboard';

export const metadata: Metadata = { title: 'Tasks · Tasklane' };

/** A page of tasks and its X-Total-Count, as the browser's own first request would get them. */
async function read(path: string, cookie: string): Promise<{ page: LoadedPage; total: number }> {
  const answer = await getAsBrowser(taskApi, path, cookie);
  if (answer.status !== 200) throw new Error(`the task API answered ${answer.status}`);
  return {
    page: { tasks: ((await answer.json()) as TaskDto[]).map(completeTask), next: nextLink(answer.headers.get('link')) },
    total: Number(answer.headers.get('x-total-count')),
  };
}

/**
 * The same from a service that cannot filter, count or page (a seeds-style BACKEND_URL): its one
 * answer of every task, filtered and counted here as the browser will (lib/tasks/simple-backend.ts).
 */
async function readLocally(view: TaskView, cookie: string, timeZone: string): Promise<Omit<InitialTasks, 'readAt'>> {
  const { page } = await read(TASKS_PATH, cookie);
  const clock = zonedNow(timeZone);
  const count = (status: 'pending' | 'completed') => queryLocally(page.tasks, apiQuery(view, status), clock).length;
  return {
    query: apiQuery(view),
    counts: { active: count('pending'), completed: count('completed') },
    page: { tasks: queryLocally(page.tasks, apiQuery(view), clock), next: null },
  };
}

/**
 * The view's first page of tasks and its counts, read on the server so the page arrives with its
 * tasks (no blank flash, no spinner), through the same proxy path and task API as the browser's
 * requests. The browser takes over from there.
 */
async function loadInitialTasks(view: TaskView, timeZone: string): Promise<InitialTasks | null> {
  try {
    const cookie = (await headers()).get('cookie') ?? '';
    const readAt = Date.now();
    if (!env.taskFeatures.query) return { ...(await readLocally(view, cookie, timeZone)), readAt };
    const count = (status: 'pending' | 'completed') => `${TASKS_PATH}?${apiQuery(view, status)}${apiQuery(view, status) ? '&' : ''}limit=1`;
    const [list, active, completed] = await Promise.all([read(firstPageUrl(view), cookie), read(count('pending'), cookie), read(count('completed'), cookie)]);
    return { query: apiQuery(view), counts: { active: active.total, completed: completed.total }, readAt, page: list.page };
  } catch {
    // The database is away (or the session ended a moment ago): render the page anyway; the
    // browser loads the tasks and, if they still cannot be had, shows the error with a retry.
    return null;
  }
}

export default async function TasksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const view = supportedView(parseView(await searchParams), env.taskFeatures);
  // Mock mode has no database: the browser's msw worker serves the tasks.
  const initial = env.mock ? null : await loadInitialTasks(view, user.timezone);
  return <TasksDashboard initial={initial} timeZone={user.timezone} features={env.taskFeatures} />;
}
