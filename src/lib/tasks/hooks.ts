'use client';

import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { TASK_DEFAULTS } from '@/lib/api/limits';
import type { CreateTaskBody, TaskDto, UpdateTaskBody } from '@/lib/api/task-schemas';
import {
  BulkActionError,
  createTask,
  deleteTask,
  describeError,
  fetchTaskCounts,
  fetchTaskPage,
  firstPageUrl,
  forEachTask,
  listAllTaskIds,
  SessionExpiredError,
  setTaskCompleted,
  updateTask,
  type Filter,
  type LoadedPage,
  type TaskCounts,
} from './api-client';
import {
  adjustCounts,
  cachedTasks,
  isTempId,
  nextTempId,
  placeEverywhere,
  removeTasks,
  restoreSnapshot,
  takeSnapshot,
  taskKeys,
  updateLists,
  type Snapshot,
  type TaskListData,
} from './cache';
import { useTaskFeedback, type TaskFeedback } from './feedback';

/** What the server rendered for the first paint, so the page shows tasks before any JS runs. */
export interface InitialTasks {
  filter: Filter;
  page: LoadedPage;
  counts: TaskCounts;
  /** When the server read them (ms since the epoch): they count as fresh from then. */
  readAt: number;
}

/** Data the server just rendered is fresh for this long: no second request right after hydration. */
const FRESH_MS = 30_000;

export function useTaskList(filter: Filter, initial: InitialTasks | null) {
  const seeded = initial && initial.filter === filter ? initial : null;
  return useInfiniteQuery({
    queryKey: taskKeys.list(filter),
    queryFn: ({ pageParam, signal }) => fetchTaskPage(pageParam ?? firstPageUrl(filter), signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next ?? undefined,
    ...(seeded ? { initialData: { pages: [seeded.page], pageParams: [null] }, initialDataUpdatedAt: seeded.readAt } : {}),
    staleTime: FRESH_MS,
  });
}

export function useTaskCounts(initial: InitialTasks | null) {
  return useQuery({
    queryKey: taskKeys.counts,
    queryFn: ({ signal }) => fetchTaskCounts(signal),
    ...(initial ? { initialData: initial.counts, initialDataUpdatedAt: initial.readAt } : {}),
    staleTime: FRESH_MS,
  });
}

interface OptimisticContext {
  snapshot: Snapshot;
}

/**
 * The shape every change shares: show it at once (`apply` edits the cache), send it, and on failure
 * put the cache back as it was and say what failed (with a retry where one makes sense). The lists
 * are read again once the last change in flight settles, not after each one, so a quick run of
 * clicks never flickers back through stale server states.
 */
function optimistic<V>(
  client: QueryClient,
  feedback: TaskFeedback,
  options: {
    apply: (variables: V) => void;
    failure: (variables: V, error: unknown) => string;
    retry?: (variables: V) => void;
    /** Whether the cache goes back to the snapshot on this error (default: yes). */
    rollback?: (error: unknown) => boolean;
  },
) {
  return {
    mutationKey: taskKeys.all,
    networkMode: 'always' as const,
    onMutate: (variables: V): OptimisticContext => {
      // Reads in flight would land on top of the change: stop them, keeping what is shown
      // (revert: false), and apply the change in the same tick, so a clicked checkbox never
      // flips back for the time a cancelled request takes to settle.
      void client.cancelQueries({ queryKey: taskKeys.all }, { revert: false });
      const snapshot = takeSnapshot(client);
      options.apply(variables);
      return { snapshot };
    },
    onError: (error: unknown, variables: V, context: OptimisticContext | undefined) => {
      if (options.rollback?.(error) ?? true) restoreSnapshot(client, context?.snapshot);
      if (error instanceof SessionExpiredError) return feedback.sessionExpired();
      const retry = options.retry;
      feedback.failed(`${options.failure(variables, error)} ${describeError(error)}`, retry ? () => retry(variables) : undefined);
    },
    onSettled: () => {
      if (client.isMutating({ mutationKey: taskKeys.all }) === 1) void client.invalidateQueries({ queryKey: taskKeys.all });
    },
  };
}

const quoted = (title: string) => `“${title.length > 60 ? `${title.slice(0, 57)}…` : title}”`;

export function useCreateTask() {
  const client = useQueryClient();
  const feedback = useTaskFeedback();
  const mutation = useMutation({
    ...optimistic<{ input: CreateTaskBody; tempId: number }>(client, feedback, {
      apply: ({ input, tempId }) => {
        const now = new Date().toISOString();
        // As the server will answer: the defaults, what was sent, and the fields the server owns.
        const shown: TaskDto = { ...TASK_DEFAULTS, ...input, id: tempId, user_id: '', created_at: now, updated_at: now };
        placeEverywhere(client, shown);
        adjustCounts(client, (counts) => (shown.completed ? { ...counts, completed: counts.completed + 1 } : { ...counts, active: counts.active + 1 }));
      },
      failure: ({ input }) => `Couldn’t add ${quoted(input.title)}.`,
      retry: ({ input }) => mutation.mutate({ input, tempId: nextTempId() }),
    }),
    mutationFn: ({ input }) => createTask(input),
    onSuccess: (task, { tempId }) => {
      updateLists(client, (data) => removeTasks(data, (t) => t.id === tempId));
      placeEverywhere(client, task);
      feedback.announce(`Added ${quoted(task.title)}.`);
    },
  });
  return {
    ...mutation,
    add: (input: CreateTaskBody, options?: { onError?: (error: unknown) => void }) => mutation.mutate({ input, tempId: nextTempId() }, options),
  };
}

export function useUpdateTask() {
  const client = useQueryClient();
  const feedback = useTaskFeedback();
  const mutation = useMutation({
    ...optimistic<{ task: TaskDto; changes: UpdateTaskBody }>(client, feedback, {
      apply: ({ task, changes }) => placeEverywhere(client, { ...task, ...changes }),
      failure: ({ task }) => `Couldn’t save ${quoted(task.title)}.`,
      retry: (variables) => mutation.mutate(variables),
    }),
    mutationFn: ({ task, changes }) => updateTask(task.id, changes),
    onSuccess: (task) => {
      placeEverywhere(client, task);
      feedback.announce(`Saved ${quoted(task.title)}.`);
    },
  });
  return mutation;
}

export function useToggleTask() {
  const client = useQueryClient();
  const feedback = useTaskFeedback();
  const mutation = useMutation({
    ...optimistic<{ task: TaskDto; completed: boolean }>(client, feedback, {
      apply: ({ task, completed }) => {
        if (task.completed === completed) return;
        placeEverywhere(client, { ...task, completed });
        adjustCounts(client, (c) => ({ active: c.active + (completed ? -1 : 1), completed: c.completed + (completed ? 1 : -1) }));
      },
      failure: ({ task, completed }) => `Couldn’t mark ${quoted(task.title)} as ${completed ? 'done' : 'not done'}.`,
      retry: (variables) => mutation.mutate(variables),
    }),
    mutationFn: ({ task, completed }) => setTaskCompleted(task.id, completed),
    onSuccess: (task) => {
      placeEverywhere(client, task);
      feedback.announce(`${quoted(task.title)} marked as ${task.completed ? 'done' : 'not done'}.`);
    },
  });
  return mutation;
}

export function useDeleteTask() {
  const client = useQueryClient();
  const feedback = useTaskFeedback();
  const mutation = useMutation({
    ...optimistic<{ task: TaskDto }>(client, feedback, {
      apply: ({ task }) => {
        updateLists(client, (data) => removeTasks(data, (t) => t.id === task.id));
        adjustCounts(client, (c) => (task.completed ? { ...c, completed: c.completed - 1 } : { ...c, active: c.active - 1 }));
      },
      failure: ({ task }) => `Couldn’t delete ${quoted(task.title)}.`,
      retry: (variables) => mutation.mutate(variables),
    }),
    mutationFn: ({ task }) => deleteTask(task.id),
    onSuccess: (_, { task }) => feedback.announce(`Deleted ${quoted(task.title)}.`),
  });
  return mutation;
}

/** A bulk action that got part of the way keeps what it did; the refetch shows the truth. */
const rollbackUnlessPartial = (error: unknown) => !(error instanceof BulkActionError && error.failed < error.total);

function bulkFailure(action: string) {
  return (error: unknown) =>
    error instanceof BulkActionError && error.failed < error.total ? `Couldn’t ${action} ${error.failed} of ${error.total} tasks.` : `Couldn’t ${action} tasks.`;
}

/** Completes every task (or, when all are done, reopens every one): all of them, loaded on screen or not. */
export function useToggleAll() {
  const client = useQueryClient();
  const feedback = useTaskFeedback();
  const mutation = useMutation({
    ...optimistic<{ completed: boolean }>(client, feedback, {
      apply: ({ completed }) => {
        for (const task of cachedTasks(client)) if (task.completed !== completed && !isTempId(task.id)) placeEverywhere(client, { ...task, completed });
        adjustCounts(client, (c) => (completed ? { active: 0, completed: c.active + c.completed } : { active: c.active + c.completed, completed: 0 }));
      },
      failure: ({ completed }, error) => bulkFailure(completed ? 'complete' : 'reopen')(error),
      retry: (variables) => mutation.mutate(variables),
      rollback: rollbackUnlessPartial,
    }),
    mutationFn: async ({ completed }) => {
      const ids = await listAllTaskIds(completed ? 'pending' : 'completed');
      await forEachTask(ids, (id) => setTaskCompleted(id, completed));
      return ids.length;
    },
    onSuccess: (count, { completed }) => feedback.announce(`${count} ${count === 1 ? 'task' : 'tasks'} marked as ${completed ? 'done' : 'not done'}.`),
  });
  return mutation;
}

export function useClearCompleted() {
  const client = useQueryClient();
  const feedback = useTaskFeedback();
  const mutation = useMutation({
    ...optimistic<void>(client, feedback, {
      apply: () => {
        updateLists(client, (data) => removeTasks(data, (t) => t.completed));
        adjustCounts(client, (c) => ({ ...c, completed: 0 }));
      },
      failure: (_, error) => bulkFailure('delete the completed')(error),
      retry: () => mutation.mutate(),
      rollback: rollbackUnlessPartial,
    }),
    mutationFn: async () => {
      const ids = await listAllTaskIds('completed');
      await forEachTask(ids, deleteTask);
      return ids.length;
    },
    onSuccess: (count) => feedback.announce(`Deleted ${count} completed ${count === 1 ? 'task' : 'tasks'}.`),
  });
  return mutation;
}

export type { TaskListData };
