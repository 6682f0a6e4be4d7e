import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import type { TaskDto } from '@/lib/api/task-schemas';
import type { Filter, LoadedPage, TaskCounts } from './api-client';

/**
 * The query cache of the dashboard: one infinite list per filter and the counts. Optimistic
 * updates edit every cached list the way the server will (a task completed in "Active" leaves it
 * and joins "Completed" in id order), so switching filters never shows a stale row.
 */

export type TaskListData = InfiniteData<LoadedPage, string | null>;

export const taskKeys = {
  all: ['tasks'] as const,
  lists: ['tasks', 'list'] as const,
  list: (filter: Filter) => ['tasks', 'list', filter] as const,
  counts: ['tasks', 'counts'] as const,
};

/** Ids given to tasks shown before the server has answered: above any real id, so newest first holds. */
const TEMP_ID_BASE = 2 ** 52;
let tempCounter = 0;
export const nextTempId = () => TEMP_ID_BASE + ++tempCounter;
export const isTempId = (id: number) => id >= TEMP_ID_BASE;

export function matchesFilter(filter: Filter, task: Pick<TaskDto, 'completed'>): boolean {
  return filter === 'all' || (filter === 'completed') === task.completed;
}

function filterOfKey(key: QueryKey): Filter {
  return key[2] as Filter;
}

/** `task` removed from wherever it was, then put where it belongs in this list (if it does, and that part is loaded). */
export function placeTask(data: TaskListData, filter: Filter, task: TaskDto): TaskListData {
  const pages = data.pages.map((page) => ({ ...page, tasks: page.tasks.filter((t) => t.id !== task.id) }));
  if (matchesFilter(filter, task)) {
    let placed = false;
    for (const page of pages) {
      const index = page.tasks.findIndex((t) => t.id < task.id);
      if (index !== -1) {
        page.tasks.splice(index, 0, task);
        placed = true;
        break;
      }
    }
    // Older than every loaded row: it belongs at the end only if nothing is left to load.
    const last = pages.at(-1);
    if (!placed && last && last.next === null) last.tasks.push(task);
  }
  return { ...data, pages };
}

export function removeTasks(data: TaskListData, predicate: (task: TaskDto) => boolean): TaskListData {
  return { ...data, pages: data.pages.map((page) => ({ ...page, tasks: page.tasks.filter((t) => !predicate(t)) })) };
}

/** Applies `update` to every cached list. */
export function updateLists(client: QueryClient, update: (data: TaskListData, filter: Filter) => TaskListData): void {
  for (const [key, data] of client.getQueriesData<TaskListData>({ queryKey: taskKeys.lists })) {
    if (data) client.setQueryData<TaskListData>(key, update(data, filterOfKey(key)));
  }
}

export function placeEverywhere(client: QueryClient, task: TaskDto): void {
  updateLists(client, (data, filter) => placeTask(data, filter, task));
}

export function adjustCounts(client: QueryClient, change: (counts: TaskCounts) => TaskCounts): void {
  client.setQueryData<TaskCounts>(taskKeys.counts, (counts) => (counts ? change(counts) : counts));
}

/** Every task in the cached lists, once each. */
export function cachedTasks(client: QueryClient): TaskDto[] {
  const seen = new Map<number, TaskDto>();
  for (const [, data] of client.getQueriesData<TaskListData>({ queryKey: taskKeys.lists })) {
    for (const page of data?.pages ?? []) for (const task of page.tasks) seen.set(task.id, task);
  }
  return [...seen.values()];
}

export type Snapshot = [QueryKey, unknown][];

export function takeSnapshot(client: QueryClient): Snapshot {
  return client.getQueriesData({ queryKey: taskKeys.all });
}

export function restoreSnapshot(client: QueryClient, snapshot: Snapshot | undefined): void {
  for (const [key, data] of snapshot ?? []) client.setQueryData(key, data);
}
