import type { Metadata } from 'next';
import { encodeCursor } from '@/lib/api/task-schemas';
import { PAGE_SIZE, parseFilter, statusOf, TASKS_PATH, type Filter } from '@/lib/tasks/api-client';
import type { InitialTasks } from '@/lib/tasks/hooks';
import { env } from '@/server/env';
import { toTaskJson } from '@/lib/api/task-json';
import { listTasks } from '@/server/tasks/queries';
import { requireUser } from '../require-user';
import { TasksDashboard } from './_components/tasks-dashboard';

export const metadata: Metadata = { title: 'Tasks · Tasklane' };

/**
 * The first page of tasks and the counts, read on the server so the page arrives with its tasks
 * (no blank flash, no spinner). The browser takes over from there through the proxy.
 */
async function loadInitialTasks(userId: string, filter: Filter): Promise<InitialTasks | null> {
  try {
    const readAt = Date.now();
    const countedStatus = filter === 'active' ? 'completed' : 'pending';
    const [page, other] = await Promise.all([
      listTasks(userId, { status: statusOf(filter), limit: PAGE_SIZE }),
      listTasks(userId, { status: countedStatus, limit: 1 }),
    ]);
    const counts =
      filter === 'all'
        ? { active: other.total, completed: page.total - other.total }
        : filter === 'active'
          ? { active: page.total, completed: other.total }
          : { active: other.total, completed: page.total };
    const next =
      page.nextAfter === undefined
        ? null
        : `${TASKS_PATH}?${new URLSearchParams({ status: statusOf(filter), limit: String(PAGE_SIZE), cursor: encodeCursor(page.nextAfter) }).toString()}`;
    return { filter, counts, readAt, page: { tasks: page.tasks.map(toTaskJson), next } };
  } catch {
    // The database is away: render the page anyway; the browser loads the tasks and, if they still
    // cannot be had, shows the error with a retry.
    return null;
  }
}

export default async function TasksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const filter = parseFilter((await searchParams).filter);
  // Mock mode has no database: the browser's msw worker serves the tasks.
  const initial = env.mock ? null : await loadInitialTasks(user.id, filter);
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Tasks</h1>
      <TasksDashboard initial={initial} />
    </>
  );
}
