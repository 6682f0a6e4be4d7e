import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import { compareTasks, taskMatches, type Clock } from '@/lib/api/task-order';
import type { TaskDto, TaskQuery } from '@/lib/api/task-schemas';
import type { LoadedPage, TaskCounts } from './api-client';
import { parseView, taskQueryOf, viewQuery } from './view';

/**
 * The query cache of the dashboard: one infinite list per view (keyed by its API query), each
 * view's counts, and the sidebar's lists, tags and counts. Optimistic updates edit every cached
 * list the way the server will (a task completed in "Active" leaves it and joins "Completed" in
 * its sort order; a task moved to another list leaves this one), so switching views never shows
 * a stale row. lib/api/task-order.ts decides membership and order, as the mock's answers do.
 */

export type TaskListData = InfiniteData<LoadedPage, string | null>;

export const taskKeys = {
  all: ['tasks'] as const,
  lists: ['tasks', 'list'] as const,
  list: (query: string) => ['tasks', 'list', query] as const,
  counts: (query: string) => ['tasks', 'counts', query] as const,
  sidebar: ['tasks', 'sidebar'] as const,
};

/** Ids given to tasks shown before the server has answered: above any real id, so newest first holds. */
const TEMP_ID_BASE = 2 ** 52;
let tempCounter = 0;
export const nextTempId = () => TEMP_ID_BASE + ++tempCounter;
export const isTempId = (id: number) => id >= TEMP_ID_BASE;

/** The view a cached list's key stands for (its key is the view's API query). */
export function queryOfKey(key: QueryKey): TaskQuery {
  return taskQueryOf(String(key[2]));
}

/** `task` removed from wherever it was, then put where it belongs in this list (if it does, and that part is loaded). */
export function placeTask(data: TaskListData, query: TaskQuery, clock: Clock, task: TaskDto): TaskListData {
  const pages = data.pages.map((page) => ({ ...page, tasks: page.tasks.filter((t) => t.id !== task.id) }));
  if (taskMatches(task, query, clock)) {
    let placed = false;
    for (const page of pages) {
      const index = page.tasks.findIndex((t) => compareTasks(query.sort, query.order, task, t) < 0);
      if (index !== -1) {
        page.tasks.splice(index, 0, task);
        placed = true;
        break;
      }
    }
    // After every loaded row: it belongs at the end only if nothing is left to load.
    const last = pages.at(-1);
    if (!placed && last && last.next === null) last.tasks.push(task);
  }
  return { ...data, pages };
}

export function removeTasks(data: TaskListData, predicate: (task: TaskDto) => boolean): TaskListData {
  return { ...data, pages: data.pages.map((page) => ({ ...page, tasks: page.tasks.filter((t) => !predicate(t)) })) };
}

/** Applies `update` to every cached list. */
export function updateLists(client: QueryClient, update: (data: TaskListData, query: TaskQuery) => TaskListData): void {
  for (const [key, data] of client.getQueriesData<TaskListData>({ queryKey: taskKeys.lists })) {
    if (data) client.setQueryData<TaskListData>(key, update(data, queryOfKey(key)));
  }
}

export function placeEverywhere(client: QueryClient, clock: Clock, task: TaskDto): void {
  updateLists(client, (data, query) => placeTask(data, query, clock, task));
}

/** Applies `change` to every cached count of the views `task` is in (before or after the change). */
export function adjustCounts(client: QueryClient, change: (counts: TaskCounts, key: QueryKey) => TaskCounts): void {
  for (const [key, counts] of client.getQueriesData<TaskCounts>({ queryKey: ['tasks', 'counts'] })) {
    if (counts) client.setQueryData<TaskCounts>(key, change(counts, key));
  }
}

/** The view query a counts key stands for. */
export function queryOfCountsKey(key: QueryKey): TaskQuery {
  return viewQuery(parseView(new URLSearchParams(String(key[2]))));
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
