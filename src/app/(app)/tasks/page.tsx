import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { TaskDto } from '@/lib/api/task-schemas';
import { firstPageUrl, nextLink, TASKS_PATH, type LoadedPage } from '@/lib/tasks/api-client';
import type { InitialTasks } from '@/lib/tasks/hooks';
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
    page: { tasks: (await answer.json()) as TaskDto[], next: nextLink(answer.headers.get('link')) },
    total: Number(answer.headers.get('x-total-count')),
  };
}

/**
 * The view's first page of tasks and its counts, read on the server so the page arrives with its
 * tasks (no blank flash, no spinner), through the same proxy path and task API as the browser's
 * requests. The browser takes over from there.
 */
async function loadInitialTasks(view: TaskView): Promise<InitialTasks | null> {
  try {
    const cookie = (await headers()).get('cookie') ?? '';
    const readAt = Date.now();
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
  const view = parseView(await searchParams);
  // Mock mode has no database: the browser's msw worker serves the tasks.
  const initial = env.mock ? null : await loadInitialTasks(view);
  return <TasksDashboard initial={initial} timeZone={user.timezone} />;
}
