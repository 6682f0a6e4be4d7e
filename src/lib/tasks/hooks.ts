'use client';

import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import type { BulkChangeBody } from '@/lib/api/bulk-schemas';
import { ALL_FEATURES, type TaskFeatures } from '@/lib/api/features';
import { TASK_DEFAULTS } from '@/lib/api/limits';
import type { ListDto, UpdateListBody } from '@/lib/api/list-schemas';
import { taskMatches, type Clock } from '@/lib/api/task-order';
import type { CreateTaskBody, TaskDto, UpdateTaskBody } from '@/lib/api/task-schemas';
import { sortTags, uniqueTags } from '@/lib/api/text';
import { zonedNow } from '@/lib/dates';
import {
  ApiError,
  bulkChange,
  countOf,
  createList,
  createTask,
  deleteList,
  deleteTask,
  describeError,
  fetchLists,
  fetchTags,
  fetchTask,
  fetchTaskCounts,
  fetchTaskPage,
  firstPageUrl,
  SessionExpiredError,
  setTaskCompleted,
  updateList,
  updateTask,
  type LoadedPage,
  type TaskCounts,
} from './api-client';
import {
  adjustCounts,
  cachedTasks,
  isTempId,
  nextTempId,
  placeEverywhere,
  queryOfCountsKey,
  removeTasks,
  restoreSnapshot,
  takeSnapshot,
  taskKeys,
  updateLists,
  type Snapshot,
  type TaskListData,
} from './cache';
import { useTaskFeedback, type TaskFeedback } from './feedback';
import { apiQuery, PLACES, placeView, type Place, type TaskView } from './view';

/** What the server rendered for the first paint, so the page shows tasks before any JS runs. */
export interface InitialTasks {
  /** The view's API query (see view.ts): the data is for that view only. */
  query: string;
  page: LoadedPage;
  counts: TaskCounts;
  /** When the server read them (ms since the epoch): they count as fresh from then. */
  readAt: number;
}

/** Data the server just rendered is fresh for this long: no second request right after hydration. */
const FRESH_MS = 30_000;

/** The person's time zone: "today" of the due filters and labels is theirs, not the browser's. */
export const TimeZoneContext = createContext('UTC');

/** What the task API behind the proxy can do (lib/api/features.ts): the UI shows only that. */
export const TaskFeaturesContext = createContext<TaskFeatures>(ALL_FEATURES);

export function useTaskFeatures(): TaskFeatures {
  return useContext(TaskFeaturesContext);
}

export function useClock(): () => Clock {
  const timeZone = useContext(TimeZoneContext);
  return () => zonedNow(timeZone);
}

export function useTaskList(view: TaskView, initial: InitialTasks | null, enabled = true) {
  const query = apiQuery(view);
  const seeded = initial && initial.query === query ? initial : null;
  return useInfiniteQuery({
    queryKey: taskKeys.list(query),
    queryFn: ({ pageParam, signal }) => fetchTaskPage(pageParam ?? firstPageUrl(view), signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next ?? undefined,
    ...(seeded ? { initialData: { pages: [seeded.page], pageParams: [null] }, initialDataUpdatedAt: seeded.readAt } : {}),
    staleTime: FRESH_MS,
    enabled,
  });
}

export function useTaskCounts(view: TaskView, initial: InitialTasks | null, enabled = true) {
  const query = apiQuery(view, 'all');
  const seeded = initial && initial.query === apiQuery(view) ? initial : null;
  return useQuery({
    queryKey: taskKeys.counts(query),
    queryFn: ({ signal }) => fetchTaskCounts(view, signal),
    ...(seeded ? { initialData: seeded.counts, initialDataUpdatedAt: seeded.readAt } : {}),
    staleTime: FRESH_MS,
    enabled,
  });
}

export interface SidebarData {
  lists: ListDto[];
  tags: { name: string; count: number }[];
  /** Open tasks of each place (the Inbox, Today, Upcoming, Overdue). */
  counts: Record<Exclude<Place, 'all'>, number>;
}

/** The places the task API can tell apart: the Inbox needs lists, the others due dates. */
export function placesOf(features: TaskFeatures): Exclude<Place, 'all'>[] {
  return (Object.keys(PLACES) as Place[]).filter((place): place is Exclude<Place, 'all'> => place !== 'all' && (place === 'inbox' ? features.lists : features.due));
}

/** The sidebar: the person's lists and tags, and how many open tasks each place holds (of those the task API has). */
export function useSidebar() {
  const features = useTaskFeatures();
  return useQuery({
    queryKey: taskKeys.sidebar,
    queryFn: async ({ signal }): Promise<SidebarData> => {
      const places = placesOf(features);
      const [lists, tags, ...counts] = await Promise.all([
        features.lists ? fetchLists(signal) : [],
        features.tags ? fetchTags(signal) : [],
        ...places.map((place) => countOf(apiQuery(placeView(place), 'pending'), signal)),
      ]);
      return { lists: lists as ListDto[], tags: tags as SidebarData['tags'], counts: Object.fromEntries(places.map((place, i) => [place, counts[i] as number])) as SidebarData['counts'] };
    },
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
    /** The change was refused with 412 (the task changed elsewhere): what to offer instead of a retry. */
    conflict?: (variables: V) => void;
    /** The same change sent again, as it was (the same temporary id and Idempotency-Key): once signed in again. */
    again: (variables: V) => void;
  },
) {
  return {
    mutationKey: taskKeys.all,
    // The app's 401 handler leaves these to onError below (makeQueryClient).
    meta: { handlesSessionEnd: true },
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
      // The session ended under the person: the change stays on screen, sent again once they have
      // signed in again (in place, without leaving the page).
      const signInAgain = feedback.signInAgain;
      if (error instanceof SessionExpiredError && signInAgain) return signInAgain(() => options.again(variables));
      restoreSnapshot(client, context?.snapshot);
      if (error instanceof SessionExpiredError) return feedback.sessionExpired();
      if (error instanceof ApiError && error.status === 412 && options.conflict) return options.conflict(variables);
      const retry = options.retry;
      feedback.failed(`${options.failure(variables, error)} ${describeError(error)}`, retry ? () => retry(variables) : undefined);
    },
    onSettled: (_data: unknown, error: unknown) => {
      // A change kept for signing in again stays as shown: a read now would put the old version back.
      if (error instanceof SessionExpiredError && feedback.signInAgain) return;
      if (client.isMutating({ mutationKey: taskKeys.all }) === 1) void client.invalidateQueries({ queryKey: taskKeys.all });
    },
  };
}

export const quoted = (title: string) => `“${title.length > 60 ? `${title.slice(0, 57)}…` : title}”`;

/**
 * Shows `after` where `before` was (either may be absent: a task made or gone), in every cached
 * list and in the counts of every view it is or was in.
 */
function showChange(client: QueryClient, clock: Clock, before: TaskDto | undefined, after: TaskDto | undefined): void {
  if (after) placeEverywhere(client, clock, after);
  else if (before) updateLists(client, (data) => removeTasks(data, (task) => task.id === before.id));
  adjustCounts(client, (counts, key) => {
    const query = queryOfCountsKey(key);
    const contribution = (task: TaskDto | undefined) => (task && taskMatches(task, { ...query, status: 'all' }, clock) ? (task.completed ? [0, 1] : [1, 0]) : [0, 0]);
    const [activeBefore, completedBefore] = contribution(before);
    const [activeAfter, completedAfter] = contribution(after);
    return { active: counts.active - activeBefore! + activeAfter!, completed: counts.completed - completedBefore! + completedAfter! };
  });
}

/**
 * A fresh Idempotency-Key: random, 128 bits. From getRandomValues, not randomUUID, which a page
 * served over plain http on a private network (a self-hosted Tasklane at http://192.168.1.20) lacks.
 */
function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function useCreateTask() {
  const client = useQueryClient();
  const feedback = useTaskFeedback();
  const clock = useClock();
  const mutation = useMutation({
    // `key`: the Idempotency-Key of this task's creation, the same on every retry of it, so a retry
    // after a lost answer never makes a second task.
    ...optimistic<{ input: CreateTaskBody; tempId: number; key: string }>(client, feedback, {
      apply: ({ input, tempId }) => {
        const now = new Date().toISOString();
        // As the server will answer: the defaults, what was sent, and the fields the server owns.
        const tags = sortTags(uniqueTags(input.tags ?? []));
        showChange(client, clock(), undefined, { ...TASK_DEFAULTS, ...input, tags, id: tempId, user_id: '', completed_at: input.completed ? now : null, created_at: now, updated_at: now });
      },
      failure: ({ input }) => `Couldn’t add ${quoted(input.title)}.`,
      retry: ({ input, key }) => mutation.mutate({ input, tempId: nextTempId(), key }),
      again: (variables) => mutation.mutate(variables),
    }),
    mutationFn: ({ input, key }) => createTask(input, key),
    onSuccess: (task, { tempId }) => {
      updateLists(client, (data) => removeTasks(data, (t) => t.id === tempId));
      placeEverywhere(client, clock(), task);
      feedback.announce(`Added ${quoted(task.title)}.`);
    },
  });
  return {
    ...mutation,
    add: (input: CreateTaskBody, options?: { onError?: (error: unknown) => void }) => mutation.mutate({ input, tempId: nextTempId(), key: newIdempotencyKey() }, options),
  };
}

/** The changes in flight per task, so each waits for the one before it. */
const turns = new Map<number, Promise<unknown>>();
function inTurn<T>(taskId: number, run: () => Promise<T>): Promise<T> {
  const next = (turns.get(taskId) ?? Promise.resolve()).catch(() => undefined).then(run);
  turns.set(taskId, next);
  void next.finally(() => {
    if (turns.get(taskId) === next) turns.delete(taskId);
  }).catch(() => undefined);
  return next;
}

/** The task as last answered by the server (the newest `updated_at` in the cache), or `task`. */
function latestVersion(client: QueryClient, task: TaskDto): TaskDto {
  const cached = cachedTasks(client).find((each) => each.id === task.id);
  return cached && cached.updated_at > task.updated_at ? cached : task;
}

export function useUpdateTask() {
  const client = useQueryClient();
  const feedback = useTaskFeedback();
  const clock = useClock();
  const mutation = useMutation({
    ...optimistic<{ task: TaskDto; changes: UpdateTaskBody }>(client, feedback, {
      apply: ({ task, changes }) => {
        const tags = changes.tags === undefined ? task.tags : sortTags(uniqueTags(changes.tags));
        const dueTime = changes.due_date === null && changes.due_time === undefined ? null : (changes.due_time ?? task.due_time);
        // Clearing the date clears the repetition that counts from it, as the server does.
        const recurrence = changes.recurrence !== undefined ? changes.recurrence : changes.due_date === null ? null : task.recurrence;
        showChange(client, clock(), task, { ...task, ...changes, tags, recurrence, due_time: changes.due_time === undefined ? dueTime : changes.due_time } as TaskDto);
      },
      failure: ({ task }) => `Couldn’t save ${quoted(task.title)}.`,
      retry: (variables) => mutation.mutate(variables),
      again: (variables) => mutation.mutate(variables),
      conflict: ({ task, changes }) => {
        void fetchTask(task.id).then(
          (theirs) => {
            placeEverywhere(client, clock(), theirs);
            const now = theirs.title === task.title ? `it was changed elsewhere` : `it is now ${quoted(theirs.title)}, changed elsewhere`;
            feedback.changedElsewhere(`Your change to ${quoted(task.title)} wasn’t saved: ${now}.`, {
              keepTheirs: () => feedback.announce(`Kept ${quoted(theirs.title)} as it was changed elsewhere.`),
              useMine: () => mutation.mutate({ task: theirs, changes }),
            });
          },
          (error: unknown) => feedback.failed(`Couldn’t save ${quoted(task.title)}. ${describeError(error)}`),
        );
      },
    }),
    // One change of a task at a time, each sent with the version the one before it left
    // (If-Match): a quick run of edits in the details never trips over its own earlier saves.
    mutationFn: ({ task, changes }) =>
      inTurn(task.id, async () => {
        const answer = await updateTask(latestVersion(client, task), changes);
        // In the cache before the next change of this task reads its version.
        placeEverywhere(client, clock(), answer);
        return answer;
      }),
    onSuccess: (task) => {
      placeEverywhere(client, clock(), task);
      feedback.announce(`Saved ${quoted(task.title)}.`);
    },
  });
  return mutation;
}

/** "Thu 10 Dec" (with the year when it is not this one): a calendar date, no time zone involved. */
function shortDate(date: string, clock: Clock): string {
  const year = date.slice(0, 4) === clock.date.slice(0, 4) ? {} : { year: 'numeric' as const };
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', ...year }).format(new Date(`${date}T00:00:00Z`)).replace(',', '');
}

export function useToggleTask() {
  const client = useQueryClient();
  const feedback = useTaskFeedback();
  const clock = useClock();
  const update = useUpdateTask();
  const mutation = useMutation({
    ...optimistic<{ task: TaskDto; completed: boolean }>(client, feedback, {
      apply: ({ task, completed }) => {
        if (task.completed === completed) return;
        // A repeating task is not done when completed: it stays open and moves on, to where its
        // answer says (the rule's arithmetic, rrule, stays on the server: the page is lighter).
        if (completed && task.recurrence !== null) return;
        showChange(client, clock(), task, { ...task, completed });
      },
      failure: ({ task, completed }) => `Couldn’t mark ${quoted(task.title)} as ${completed ? 'done' : 'not done'}.`,
      retry: (variables) => mutation.mutate(variables),
      again: (variables) => mutation.mutate(variables),
    }),
    // In the task's queue of changes (see useUpdateTask): an edit made while this is in flight is
    // sent with the version this one leaves, not refused as changed elsewhere.
    mutationFn: ({ task, completed }) =>
      inTurn(task.id, async () => {
        const answer = await setTaskCompleted(task.id, completed);
        placeEverywhere(client, clock(), answer);
        return answer;
      }),
    onSuccess: (answer, { task, completed }) => {
      placeEverywhere(client, clock(), answer);
      if (!(completed && !answer.completed && answer.due_date !== null)) {
        feedback.announce(`${quoted(answer.title)} marked as ${answer.completed ? 'done' : 'not done'}.`);
        return;
      }
      // Moved on to its next occurrence: Undo puts back the date and reminder it had, on the task
      // as it is when Undo is pressed (it may have been edited since).
      const before = { due_date: task.due_date, remind_at: task.remind_at };
      feedback.undoable(`${quoted(answer.title)}: next on ${shortDate(answer.due_date, clock())}`, () => {
        const current = cachedTasks(client).find((each) => each.id === answer.id) ?? answer;
        update.mutate({ task: current, changes: before });
      });
    },
  });
  return mutation;
}

export function useDeleteTask() {
  const client = useQueryClient();
  const feedback = useTaskFeedback();
  const clock = useClock();
  const mutation = useMutation({
    ...optimistic<{ task: TaskDto }>(client, feedback, {
      apply: ({ task }) => showChange(client, clock(), task, undefined),
      failure: ({ task }) => `Couldn’t delete ${quoted(task.title)}.`,
      retry: (variables) => mutation.mutate(variables),
      again: (variables) => mutation.mutate(variables),
    }),
    mutationFn: ({ task }) => deleteTask(task.id),
    onSuccess: (_, { task }) => feedback.announce(`Deleted ${quoted(task.title)}.`),
  });
  return mutation;
}

/** How a bulk action changes one task, as the server will (for the optimistic view). */
function applyBulk(task: TaskDto, change: BulkChangeBody): TaskDto | undefined {
  switch (change.action) {
    case 'complete':
      // A recurring task moves on rather than closing: where to, its answer says (the refetch).
      return task.recurrence === null ? { ...task, completed: true } : task;
    case 'reopen':
      return { ...task, completed: false };
    case 'delete':
      return undefined;
    case 'move':
      return { ...task, list_id: change.list_id };
    case 'set_priority':
      return { ...task, priority: change.priority };
    case 'add_tag':
      return { ...task, tags: sortTags(uniqueTags([...task.tags, change.tag.trim()])) };
    case 'remove_tag':
      return { ...task, tags: task.tags.filter((tag) => tag.toLowerCase() !== change.tag.trim().toLowerCase()) };
  }
}

const BULK_DONE: Record<BulkChangeBody['action'], string> = {
  complete: 'marked as done',
  reopen: 'marked as not done',
  delete: 'deleted',
  move: 'moved',
  set_priority: 'given a new priority',
  add_tag: 'tagged',
  remove_tag: 'untagged',
};

/**
 * One action on many tasks, in one request: the selected ids, or every task of a view (toggle
 * all, clear completed, "select all matching"). The loaded rows it reaches change at once; the
 * rest follow with the refetch.
 */
export function useBulkChange() {
  const client = useQueryClient();
  const feedback = useTaskFeedback();
  const clock = useClock();
  const mutation = useMutation({
    ...optimistic<{ change: BulkChangeBody; label: string }>(client, feedback, {
      apply: ({ change }) => {
        const now = clock();
        const reached = (task: TaskDto) =>
          isTempId(task.id) ? false : change.ids ? change.ids.includes(task.id) : taskMatches(task, { status: 'all', ...change.filter, words: change.filter?.q?.split(/\s+/u).filter(Boolean) ?? [] } as never, now);
        for (const task of cachedTasks(client)) if (reached(task)) showChange(client, now, task, applyBulk(task, change));
      },
      failure: ({ label }) => `Couldn’t change ${label}.`,
      retry: (variables) => mutation.mutate(variables),
      again: (variables) => mutation.mutate(variables),
    }),
    mutationFn: ({ change }) => bulkChange(change),
    onSuccess: (affected, { change }) => feedback.announce(`${affected} ${affected === 1 ? 'task' : 'tasks'} ${BULK_DONE[change.action]}.`),
  });
  return mutation;
}

/** Lists: create, rename / recolour / move, delete (with their tasks). The sidebar follows. */
export function useListChanges() {
  const client = useQueryClient();
  const feedback = useTaskFeedback();
  const settle = () => void client.invalidateQueries({ queryKey: taskKeys.all });
  const failed = (what: string) => (error: unknown) => {
    if (error instanceof SessionExpiredError) return feedback.sessionExpired();
    feedback.failed(`Couldn’t ${what}. ${describeError(error)}`);
  };
  const setLists = (change: (lists: ListDto[]) => ListDto[]) =>
    client.setQueryData<SidebarData>(taskKeys.sidebar, (data) => (data ? { ...data, lists: change(data.lists) } : data));
  return {
    create: useMutation({
      mutationFn: createList,
      onSuccess: (list) => {
        setLists((lists) => [...lists, list]);
        feedback.announce(`Added the list “${list.name}”.`);
      },
      onError: failed('add the list'),
      onSettled: settle,
    }),
    update: useMutation({
      mutationFn: ({ id, changes }: { id: number; changes: UpdateListBody }) => updateList(id, changes),
      onMutate: ({ id, changes }) => {
        const snapshot = client.getQueryData<SidebarData>(taskKeys.sidebar);
        setLists((lists) => {
          const moved = lists.map((list) => (list.id === id ? { ...list, ...(changes.name ? { name: changes.name } : {}), ...(changes.color !== undefined ? { color: changes.color } : {}) } : list));
          if (changes.position === undefined) return moved;
          const list = moved.find((each) => each.id === id)!;
          const others = moved.filter((each) => each.id !== id);
          others.splice(Math.min(changes.position, others.length), 0, list);
          return others.map((each, position) => ({ ...each, position }));
        });
        return { snapshot };
      },
      onError: (error, _, context) => {
        if (context?.snapshot) client.setQueryData(taskKeys.sidebar, context.snapshot);
        failed('change the list')(error);
      },
      onSettled: settle,
    }),
    remove: useMutation({
      mutationFn: (list: ListDto) => deleteList(list.id),
      onSuccess: (_, list) => {
        setLists((lists) => lists.filter((each) => each.id !== list.id));
        // The views of that list are gone with it: refetched, they would be a 422 on `list`.
        client.removeQueries({ queryKey: taskKeys.all, predicate: (query) => new URLSearchParams(String(query.queryKey[2] ?? '')).get('list') === String(list.id) });
        feedback.announce(`Deleted the list “${list.name}” and its tasks.`);
      },
      onError: failed('delete the list'),
      onSettled: settle,
    }),
  };
}


export type { TaskListData };
