'use client';

import dynamic from 'next/dynamic';
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type MouseEvent } from 'react';
import { BulkBar, type BulkAction } from '@/components/tasks/bulk-bar';
import { ListDialog } from '@/components/tasks/list-dialog';
import { NewTaskForm, EMPTY_DRAFT, type TaskDraft } from '@/components/tasks/new-task-form';
import { Sidebar } from '@/components/tasks/sidebar';
import { TaskFilters } from '@/components/tasks/task-filters';
import { TaskItem } from '@/components/tasks/task-item';
import { TaskListEmpty, TaskListError, TaskListSkeleton } from '@/components/tasks/task-list-states';
import { ActiveFilters, TaskToolbar } from '@/components/tasks/task-toolbar';
import { Dialog } from '@/components/ui/dialog';
import { buttonPrimary, buttonQuiet, buttonSecondary, card, mutedText } from '@/components/ui/styles';
import type { BulkChangeBody } from '@/lib/api/bulk-schemas';
import { ALL_FEATURES, type TaskFeatures } from '@/lib/api/features';
import type { ListDto } from '@/lib/api/list-schemas';
import type { CreateTaskBody, TaskDto } from '@/lib/api/task-schemas';
import { zonedNow } from '@/lib/dates';
import { describeError, SessionExpiredError, setTaskFeatures } from '@/lib/tasks/api-client';
import { isTempId } from '@/lib/tasks/cache';
import { dueLabel } from '@/lib/tasks/due-label';
import { useTaskFeedback } from '@/lib/tasks/feedback';
import {
  TaskFeaturesContext,
  TimeZoneContext,
  useBulkChange,
  useCreateTask,
  useDeleteTask,
  useListChanges,
  useSidebar,
  useTaskCounts,
  useTaskList,
  useToggleTask,
  useUpdateTask,
  type InitialTasks,
} from '@/lib/tasks/hooks';
import { supportedView } from '@/lib/tasks/simple-backend';
import { isFiltered, parseView, PLACES, viewFilter, viewHref, type Place, type TaskView } from '@/lib/tasks/view';

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
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || Boolean(target.closest('dialog[open]')));
}

/** The view's heading: the place, the list or the tag it shows. */
function titleOf(view: TaskView, lists: ListDto[]): string {
  if (typeof view.list === 'number') return lists.find((list) => list.id === view.list)?.name ?? 'List';
  if (view.list === 'inbox' && !view.due) return PLACES.inbox.label;
  const place = (Object.keys(PLACES) as Place[]).find((key) => key !== 'all' && (PLACES[key].view as Partial<TaskView>).due === view.due && view.list === undefined);
  if (place && view.due) return PLACES[place].label;
  if (view.tag.length === 1 && !view.due && view.list === undefined) return `#${view.tag[0]}`;
  return view.q ? 'Search' : 'All tasks';
}

/**
 * The detail panel (with the repeat and reminder pickers) is fetched when a task's details are
 * first opened, not with the page: most visits never open it, and the page stays under its budget.
 */
const TaskDetail = dynamic(() => import('@/components/tasks/task-detail').then((module) => module.TaskDetail), { ssr: false });

interface TasksDashboardProps {
  initial: InitialTasks | null;
  /** The person's IANA time zone: "today" and due labels are theirs. */
  timeZone?: string;
  /** What the task API behind the proxy can do (the server's BACKEND_FEATURES); everything by default. */
  features?: TaskFeatures;
}

export function TasksDashboard({ initial, timeZone = 'UTC', features = ALL_FEATURES }: TasksDashboardProps) {
  // Before any request of the first render: the client works around what the service lacks.
  setTaskFeatures(features);
  return (
    <TimeZoneContext.Provider value={timeZone}>
      <TaskFeaturesContext.Provider value={features}>
        <Dashboard initial={initial} timeZone={timeZone} features={features} />
      </TaskFeaturesContext.Provider>
    </TimeZoneContext.Provider>
  );
}

function Dashboard({ initial, timeZone, features }: { initial: InitialTasks | null; timeZone: string; features: TaskFeatures }) {
  const searchParams = useSearchParams();
  const view = useMemo(() => supportedView(parseView(searchParams), features), [searchParams, features]);
  // Places, lists and tags: with none of them (a seeds-style service) there is nothing to navigate.
  const hasSidebar = features.lists || features.tags || features.due;
  const sidebar = useSidebar();
  // A list that is no longer there (deleted here, or in another tab) is not asked for again: that
  // would be a 422 on `list`. Deleting the list in view also leaves it (onDelete below).
  const listGone = typeof view.list === 'number' && sidebar.data !== undefined && !sidebar.data.lists.some((each) => each.id === view.list);
  const list = useTaskList(view, initial, !listGone);
  const counts = useTaskCounts(view, initial, !listGone);
  const create = useCreateTask();
  const update = useUpdateTask();
  const toggle = useToggleTask();
  const remove = useDeleteTask();
  const bulk = useBulkChange();
  const listChanges = useListChanges();
  const feedback = useTaskFeedback();
  const online = useOnline();

  const [draft, setDraft] = useState<TaskDraft>(EMPTY_DRAFT);
  const [selected, setSelected] = useState<Set<number>>(() => new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [anchor, setAnchor] = useState<number | null>(null);
  const [activeId, setActiveId] = useState<number | null>(null);
  const [editId, setEditId] = useState<number | null>(null);
  const [detailId, setDetailId] = useState<number | null>(null);
  /** Once opened, the panel stays mounted (closed), so closing it returns focus as a dialog should. */
  const [detailWanted, setDetailWanted] = useState(false);
  const openDetail = (id: number) => {
    setDetailWanted(true);
    setDetailId(id);
  };
  const [editedList, setEditedList] = useState<ListDto | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<BulkChangeBody | null>(null);
  const [drawer, setDrawer] = useState(false);
  const newTitle = useRef<HTMLInputElement>(null);
  const searchField = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  /** After a delete: the task whose checkbox gets focus once the row is gone, or the new-task field. */
  const focusAfterDelete = useRef<number | 'new' | null>(null);

  const tasks = useMemo(() => list.data?.pages.flatMap((page) => page.tasks) ?? [], [list.data]);
  const lists = sidebar.data?.lists ?? [];
  const tagNames = (sidebar.data?.tags ?? []).map((tag) => tag.name);
  const active = counts.data?.active ?? 0;
  const completed = counts.data?.completed ?? 0;
  const total = active + completed;
  const matching = view.filter === 'active' ? active : view.filter === 'completed' ? completed : total;
  const clock = zonedNow(timeZone);
  const listNames = new Map(lists.map((each) => [each.id, each.name]));
  const detailTask = detailId === null ? null : (tasks.find((task) => task.id === detailId) ?? null);

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

  const navigate = useCallback((next: TaskView, options: { replace?: boolean } = {}) => {
    // Native history calls are wired into Next's router: useSearchParams follows, back/forward
    // work, and no server round trip is made for a change the cache can answer.
    if (options.replace) window.history.replaceState(null, '', viewHref(next));
    else window.history.pushState(null, '', viewHref(next));
    setSelected(new Set());
    setAllMatching(false);
    setActiveId(null);
    setDrawer(false);
  }, []);

  const clearSelection = useCallback(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, []);

  function deleteTask(task: TaskDto) {
    const index = tasks.findIndex((t) => t.id === task.id);
    const neighbour = tasks[index + 1] ?? tasks[index - 1];
    focusAfterDelete.current = neighbour ? neighbour.id : 'new';
    remove.mutate({ task });
  }

  function runBulk(change: BulkChangeBody) {
    const count = change.ids?.length ?? matching;
    bulk.mutate({ change, label: `${count} ${count === 1 ? 'task' : 'tasks'}` });
    clearSelection();
  }

  function onBulkAction(action: BulkAction) {
    const change = (allMatching ? { filter: viewFilter(view), ...action } : { ids: [...selected], ...action }) as BulkChangeBody;
    if (action.action === 'delete') setConfirmDelete(change);
    else runBulk(change);
  }

  // Keyboard: `/` search, `n` new task, j/k move, x select, e edit, Enter details, Delete, Escape.
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === 'Escape' && (selected.size > 0 || allMatching) && !isTyping(event.target)) {
        clearSelection();
        return;
      }
      if (isTyping(event.target)) return;
      const index = activeId === null ? -1 : tasks.findIndex((task) => task.id === activeId);
      const current = index === -1 ? undefined : tasks[index];
      switch (event.key) {
        case '/':
          event.preventDefault();
          searchField.current?.focus();
          return;
        case 'n':
          event.preventDefault();
          newTitle.current?.focus();
          return;
        case 'j':
        case 'k': {
          if (tasks.length === 0) return;
          event.preventDefault();
          const next = event.key === 'j' ? Math.min(tasks.length - 1, index + 1) : Math.max(0, index === -1 ? 0 : index - 1);
          setActiveId(tasks[next]!.id);
          return;
        }
        case 'x':
          if (!current || isTempId(current.id)) return;
          event.preventDefault();
          toggleSelected(current.id);
          return;
        case 'e':
          if (!current || isTempId(current.id)) return;
          event.preventDefault();
          setEditId(current.id);
          return;
        case 'Enter':
          // On the row itself (its own controls keep Enter).
          if (!current || isTempId(current.id) || !(event.target instanceof HTMLLIElement)) return;
          event.preventDefault();
          openDetail(current.id);
          return;
        case 'Delete':
          if (selected.size > 0 || allMatching) {
            event.preventDefault();
            onBulkAction({ action: 'delete' });
          } else if (current && !isTempId(current.id) && event.target instanceof HTMLLIElement) {
            event.preventDefault();
            deleteTask(current);
          }
          return;
      }
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  });

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

  function toggleSelected(id: number) {
    setAllMatching(false);
    setAnchor(id);
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function onSelect(task: TaskDto, event: MouseEvent) {
    setActiveId(task.id);
    if (isTempId(task.id)) return;
    if (event.shiftKey && anchor !== null) {
      const from = tasks.findIndex((each) => each.id === anchor);
      const to = tasks.findIndex((each) => each.id === task.id);
      if (from !== -1 && to !== -1) {
        const [start, end] = from < to ? [from, to] : [to, from];
        setAllMatching(false);
        setSelected((current) => new Set([...current, ...tasks.slice(start, end + 1).filter((each) => !isTempId(each.id)).map((each) => each.id)]));
        return;
      }
    }
    toggleSelected(task.id);
  }

  /** A new task gets the place it is added in: this list, today, this tag, unless the line said otherwise. */
  function add(input: CreateTaskBody) {
    const body: CreateTaskBody = {
      ...(typeof view.list === 'number' ? { list_id: view.list } : {}),
      ...(view.due === 'today' ? { due_date: clock.date } : {}),
      ...(view.tag.length > 0 ? { tags: view.tag } : {}),
      ...input,
      ...(input.tags && view.tag.length > 0 ? { tags: [...view.tag, ...input.tags] } : {}),
    };
    setDraft(EMPTY_DRAFT);
    create.add(body, {
      // Nothing typed is lost: a failed add puts the text back, unless a new one is being typed.
      onError: (error) => {
        // Kept on screen and sent once signed in again (the dialog): nothing to put back.
        if (error instanceof SessionExpiredError && feedback.signInAgain) return;
        if (error instanceof SessionExpiredError) sessionStorage.setItem(SAVED_DRAFT_KEY, JSON.stringify({ title: body.title, description: body.description ?? null }));
        setDraft((current) =>
          current.title === '' && current.description === ''
            ? { title: body.title, description: body.description ?? '', showDescription: Boolean(body.description) }
            : current,
        );
      },
    });
  }

  const filtered = isFiltered(view);
  let body;
  if (listGone) {
    body = (
      <div className="flex flex-col items-center gap-3 px-4 py-10 text-center">
        <p className="font-medium">This list no longer exists</p>
        <p className={`text-sm ${mutedText}`}>It was deleted, with its tasks, perhaps in another tab.</p>
        <button type="button" className={buttonSecondary} onClick={() => navigate({ ...view, list: undefined })}>
          Show all tasks
        </button>
      </div>
    );
  } else if (list.data) {
    body =
      tasks.length === 0 ? (
        <TaskListEmpty filter={view.filter} filtered={filtered || view.list !== undefined || view.due !== undefined || view.tag.length > 0} onClear={filtered ? () => navigate({ ...view, q: undefined, priority: [], tag: view.tag.slice(0, view.list !== undefined || view.due ? 0 : 1) }) : undefined} />
      ) : (
        <ul
          ref={listRef}
          className="divide-y divide-zinc-200 dark:divide-zinc-800"
          aria-label={`${view.filter === 'all' ? 'All' : view.filter === 'active' ? 'Active' : 'Completed'} tasks`}
        >
          {tasks.map((task) => (
            <TaskItem
              key={task.id}
              task={task}
              pending={isTempId(task.id)}
              due={dueLabel(task, clock)}
              listName={typeof view.list === 'number' || task.list_id === null ? undefined : listNames.get(task.list_id)}
              selected={allMatching || selected.has(task.id)}
              active={activeId === task.id}
              editRequested={editId === task.id}
              onEditStarted={() => setEditId(null)}
              onToggle={(done) => toggle.mutate({ task, completed: done })}
              onSave={(changes) => update.mutate({ task, changes })}
              onDelete={() => deleteTask(task)}
              onOpen={() => openDetail(task.id)}
              onSelect={(event) => onSelect(task, event)}
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

  const sidebarProps = {
    view,
    data: sidebar.data,
    onNavigate: (next: TaskView) => {
      // On a phone the drawer has done its job once a place is chosen.
      setDrawer(false);
      navigate(next);
    },
    onCreateList: (name: string) => listChanges.create.mutate({ name }),
    onEditList: (edited: ListDto) => {
      setDrawer(false);
      setEditedList(edited);
    },
    onMoveList: (moved: ListDto, position: number) => listChanges.update.mutate({ id: moved.id, changes: { position } }),
  };

  return (
    <div className="flex gap-6">
      {hasSidebar ? (
        <aside className="hidden w-56 shrink-0 sm:block" aria-label="Navigation">
          <Sidebar {...sidebarProps} />
        </aside>
      ) : null}
      <div className="flex min-w-0 flex-1 flex-col gap-4">
        <div className="flex items-center gap-2">
          {hasSidebar ? (
            <button type="button" className={`${buttonSecondary} sm:hidden`} onClick={() => setDrawer(true)} aria-label="Open places, lists and tags">
              <span aria-hidden="true">☰</span>
            </button>
          ) : null}
          <h1 className="min-w-0 truncate text-2xl font-semibold tracking-tight">{titleOf(view, lists)}</h1>
        </div>
        <TaskToolbar view={view} tags={tagNames} searchRef={searchField} onChange={navigate} />
        <ActiveFilters view={view} onChange={(next) => navigate(next)} />
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
        {selected.size > 0 || allMatching ? (
          <BulkBar
            selected={selected.size}
            matching={matching}
            allMatching={allMatching}
            lists={lists}
            tags={tagNames}
            onSelectAllMatching={() => setAllMatching(true)}
            onClear={clearSelection}
            onAction={onBulkAction}
          />
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
            lists={lists}
            timeZone={timeZone}
            toggleAll={
              total > 0
                ? {
                    checked: active === 0,
                    onChange: (done) =>
                      runBulk({ filter: viewFilter(view, done ? 'pending' : 'completed'), action: done ? 'complete' : 'reopen' }),
                  }
                : null
            }
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
              <TaskFilters view={view} onSelect={(filter) => navigate({ ...view, filter })} />
            </div>
            <button
              type="button"
              className={`${buttonQuiet} ${completed === 0 ? 'invisible' : ''}`}
              onClick={() => runBulk({ filter: viewFilter(view, 'completed'), action: 'delete' })}
              disabled={completed === 0}
            >
              Clear completed
            </button>
          </footer>
        </section>
        <p className={`text-center text-xs ${mutedText}`}>
          <kbd className="font-sans font-semibold">n</kbd> new task ·{' '}
          {features.query ? (
            <>
              <kbd className="font-sans font-semibold">/</kbd> search ·{' '}
            </>
          ) : null}
          <kbd className="font-sans font-semibold">j</kbd>/
          <kbd className="font-sans font-semibold">k</kbd> move · <kbd className="font-sans font-semibold">x</kbd> select · <kbd className="font-sans font-semibold">e</kbd> edit ·{' '}
          <kbd className="font-sans font-semibold">Enter</kbd> details · <kbd className="font-sans font-semibold">Delete</kbd> delete · double-click a task to edit it
        </p>
        {/* Room under the last row for the bulk bar fixed over the bottom of the window. */}
        {selected.size > 0 || allMatching ? <div aria-hidden="true" className="h-44 sm:h-32" /> : null}
      </div>

      <Dialog open={drawer} onClose={() => setDrawer(false)} title="Places, lists and tags" drawer>
        <Sidebar {...sidebarProps} />
      </Dialog>
      {detailWanted ? (
        <TaskDetail
          task={detailTask}
          lists={lists}
          tags={tagNames}
          timeZone={timeZone}
          onSave={(task, changes) => update.mutate({ task, changes })}
          onToggle={(task, done) => toggle.mutate({ task, completed: done })}
          onDelete={deleteTask}
          onClose={() => setDetailId(null)}
        />
      ) : null}
      <ListDialog
        list={editedList}
        count={lists.length}
        onClose={() => setEditedList(null)}
        onSave={(changes) => {
          if (!editedList) return;
          listChanges.update.mutate({ id: editedList.id, changes });
          if (changes.position !== undefined) setEditedList({ ...editedList, position: changes.position });
        }}
        onDelete={() => {
          if (!editedList) return;
          // Away from the list first: its view must not ask for it again once it is gone.
          if (view.list === editedList.id) navigate({ ...view, list: undefined });
          listChanges.remove.mutate(editedList);
        }}
      />
      <Dialog open={confirmDelete !== null} onClose={() => setConfirmDelete(null)} title="Delete tasks?">
        <p>
          Delete {confirmDelete?.ids ? confirmDelete.ids.length : matching} {(confirmDelete?.ids?.length ?? matching) === 1 ? 'task' : 'tasks'}? This cannot be undone.
        </p>
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" className={buttonSecondary} onClick={() => setConfirmDelete(null)} autoFocus>
            Keep them
          </button>
          <button
            type="button"
            className={`${buttonPrimary} !bg-red-700 hover:!bg-red-800 dark:!bg-red-300 dark:hover:!bg-red-200`}
            onClick={() => {
              if (confirmDelete) runBulk(confirmDelete);
              setConfirmDelete(null);
            }}
          >
            Delete
          </button>
        </div>
      </Dialog>
    </div>
  );
}
