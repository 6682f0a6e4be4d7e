'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { NewTaskForm, EMPTY_DRAFT, type TaskDraft } from '@/components/tasks/new-task-form';
import { filterHref, TaskFilters } from '@/components/tasks/task-filters';
import { TaskItem } from '@/components/tasks/task-item';
import { TaskListEmpty, TaskListError, TaskListSkeleton } from '@/components/tasks/task-list-states';
import { buttonQuiet, buttonSecondary, card, mutedText } from '@/components/ui/styles';
import type { TaskDto } from '@/lib/api/task-schemas';
import { describeError, parseFilter, SessionExpiredError, type Filter } from '@/lib/tasks/api-client';
import { isTempId } from '@/lib/tasks/cache';
import { useTaskFeedback } from '@/lib/tasks/feedback';
import {
  useClearCompleted,
  useCreateTask,
  useDeleteTask,
  useTaskCounts,
  useTaskList,
  useToggleAll,
  useToggleTask,
  useUpdateTask,
  type InitialTasks,
} from '@/lib/tasks/hooks';

function subscribeOnline(callback: () => void) {
  window.addEventListener('online', callback);
  window.addEventListener('offline', callback);
  return () => {
    window.removeEventListener('online', callback);
    window.removeEventListener('offline', callback);
  };
}

function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine, () => true);
}

/** A new task that could not be sent because the session ended survives the trip through sign-in. */
const SAVED_DRAFT_KEY = 'tasklane:unsent-task';

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function TasksDashboard({ initial }: { initial: InitialTasks | null }) {
  const filter = parseFilter(useSearchParams().get('filter'));
  const list = useTaskList(filter, initial);
  const counts = useTaskCounts(initial);
  const create = useCreateTask();
  const update = useUpdateTask();
  const toggle = useToggleTask();
  const remove = useDeleteTask();
  const toggleAll = useToggleAll();
  const clearCompleted = useClearCompleted();
  const feedback = useTaskFeedback();
  const online = useOnline();

  const [draft, setDraft] = useState<TaskDraft>(EMPTY_DRAFT);
  const newTitle = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  /** After a delete: the task whose checkbox gets focus once the row is gone, or the new-task field. */
  const focusAfterDelete = useRef<number | 'new' | null>(null);

  const tasks = list.data?.pages.flatMap((page) => page.tasks) ?? [];
  const active = counts.data?.active ?? 0;
  const completed = counts.data?.completed ?? 0;
  const total = active + completed;

  // Back from signing in again: put back the task that was being added when the session ended.
  useEffect(() => {
    const saved = sessionStorage.getItem(SAVED_DRAFT_KEY);
    if (saved === null) return;
    sessionStorage.removeItem(SAVED_DRAFT_KEY);
    const frame = requestAnimationFrame(() => {
      try {
        const { title, description } = JSON.parse(saved) as { title: string; description: string | null };
        setDraft({ title, description: description ?? '', showDescription: Boolean(description) });
      } catch {
        // Not ours, or damaged: nothing to restore.
      }
    });
    return () => cancelAnimationFrame(frame);
  }, []);

  // "/" or "n" jumps to the new-task field from anywhere on the page (not while typing).
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      if (event.key === '/' || event.key === 'n') {
        event.preventDefault();
        newTitle.current?.focus();
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  // After a delete, focus goes to the task that took its place (or the new-task field), once the
  // row has left the page.
  useEffect(() => {
    const wanted = focusAfterDelete.current;
    if (wanted === null) return;
    if (wanted !== 'new' && !listRef.current?.querySelector(`[data-task-id="${wanted}"]`)) return;
    focusAfterDelete.current = null;
    const target = wanted === 'new' ? null : listRef.current?.querySelector<HTMLInputElement>(`[data-task-id="${wanted}"] input[type="checkbox"]`);
    (target ?? newTitle.current)?.focus();
  });

  const selectFilter = useCallback((next: Filter) => {
    // Native pushState is wired into Next's router: useSearchParams follows, back/forward work,
    // and no server round trip is made for a change the cache can answer.
    window.history.pushState(null, '', filterHref(next));
  }, []);

  function add(task: { title: string; description: string | null }) {
    setDraft(EMPTY_DRAFT);
    create.add(task, {
      // Nothing typed is lost: a failed add puts the text back, unless a new one is being typed.
      onError: (error) => {
        if (error instanceof SessionExpiredError) sessionStorage.setItem(SAVED_DRAFT_KEY, JSON.stringify(task));
        setDraft((current) =>
          current.title === '' && current.description === ''
            ? { title: task.title, description: task.description ?? '', showDescription: task.description !== null }
            : current,
        );
      },
    });
  }

  function deleteTask(task: TaskDto) {
    const index = tasks.findIndex((t) => t.id === task.id);
    const neighbour = tasks[index + 1] ?? tasks[index - 1];
    focusAfterDelete.current = neighbour ? neighbour.id : 'new';
    remove.mutate({ task });
  }

  let body;
  if (list.data) {
    body =
      tasks.length === 0 ? (
        <TaskListEmpty filter={filter} />
      ) : (
        <ul ref={listRef} className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label={`${filter === 'all' ? 'All' : filter === 'active' ? 'Active' : 'Completed'} tasks`}>
          {tasks.map((task) => (
            <TaskItem
              key={task.id}
              task={task}
              pending={isTempId(task.id)}
              onToggle={(done) => toggle.mutate({ task, completed: done })}
              onSave={(changes) => update.mutate({ task, changes })}
              onDelete={() => deleteTask(task)}
              onNotice={feedback.announce}
            />
          ))}
        </ul>
      );
  } else if (list.isError) {
    body = <TaskListError message={describeError(list.error)} onRetry={() => void list.refetch()} retrying={list.isFetching} />;
  } else {
    body = <TaskListSkeleton />;
  }

  return (
    <div className="flex flex-col gap-4">
      {!online ? (
        <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          You’re offline. Changes can’t be saved until the connection is back.
        </p>
      ) : null}
      {list.data && list.isRefetchError ? (
        <p role="status" className={`text-sm ${mutedText}`}>
          Couldn’t refresh the list: {describeError(list.error)}{' '}
          <button type="button" className={buttonQuiet} onClick={() => void list.refetch()}>
            Try again
          </button>
        </p>
      ) : null}
      <section className={`${card} overflow-hidden`} aria-labelledby="tasks-heading">
        <h2 id="tasks-heading" className="sr-only">
          Your tasks
        </h2>
        <NewTaskForm
          draft={draft}
          onDraftChange={setDraft}
          onAdd={add}
          titleRef={newTitle}
          toggleAll={total > 0 ? { checked: active === 0, onChange: (done) => toggleAll.mutate({ completed: done }) } : null}
        />
        <div className="border-t border-zinc-200 dark:border-zinc-800" aria-busy={list.isPending || undefined}>
          {body}
        </div>
        {list.hasNextPage ? (
          <div className="border-t border-zinc-200 px-3 py-3 text-center dark:border-zinc-800">
            <button type="button" className={buttonSecondary} onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
              {list.isFetchingNextPage ? 'Loading…' : 'Show more tasks'}
            </button>
          </div>
        ) : null}
        <footer className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 border-t border-zinc-200 px-3 py-3 text-sm sm:px-4 dark:border-zinc-800">
          <span className={mutedText} data-testid="items-left">
            <strong className="font-semibold text-zinc-900 dark:text-zinc-100">{active}</strong> {active === 1 ? 'item' : 'items'} left
          </span>
          <div className="order-last flex w-full justify-center sm:order-none sm:w-auto">
            <TaskFilters current={filter} onSelect={selectFilter} />
          </div>
          <button type="button" className={`${buttonQuiet} ${completed === 0 ? 'invisible' : ''}`} onClick={() => clearCompleted.mutate()} disabled={completed === 0}>
            Clear completed
          </button>
        </footer>
      </section>
      <p className={`text-center text-xs ${mutedText}`}>
        Double-click a task (or press Edit) to change it · Enter saves · Escape cancels · press <kbd className="font-sans font-semibold">/</kbd> to add a task
      </p>
    </div>
  );
}
