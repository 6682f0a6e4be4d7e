import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { TaskDto } from '@/lib/api/task-schemas';
import { firstPageUrl, nextLink, parseFilter, TASKS_PATH, type Filter, type LoadedPage } from '@/lib/tasks/api-client';
import type { InitialTasks } from '@/lib/tasks/hooks';
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
 * The first page of tasks and the counts, read on the server so the page arrives with its tasks
 * (no blank flash, no spinner), through the same proxy path and task API as the browser's requests.
 * The browser takes over from there.
 */
async function loadInitialTasks(filter: Filter): Promise<InitialTasks | null> {
  try {
    const cookie = (await headers()).get('cookie') ?? '';
    const readAt = Date.now();
    const countedStatus = filter === 'active' ? 'completed' : 'pending';
    const [list, other] = await Promise.all([read(firstPageUrl(filter), cookie), read(`${TASKS_PATH}?status=${countedStatus}&limit=1`, cookie)]);
    const counts =
      filter === 'all'
        ? { active: other.total, completed: list.total - other.total }
        : filter === 'active'
          ? { active: list.total, completed: other.total }
          : { active: other.total, completed: list.total };
    return { filter, counts, readAt, page: list.page };
  } catch {
    // The database is away (or the session ended a moment ago): render the page anyway; the
    // browser loads the tasks and, if they still cannot be had, shows the error with a retry.
    return null;
  }
}

export default async function TasksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const filter = parseFilter((await searchParams).filter);
  // Mock mode has no database: the browser's msw worker serves the tasks.
  const initial = env.mock ? null : await loadInitialTasks(filter);
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Tasks</h1>
      <TasksDashboard initial={initial} />
    </>
  );
}
