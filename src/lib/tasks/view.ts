import { DEFAULT_ORDER, DUE_FILTERS, PRIORITIES, TASK_SORTS, type DueFilter, type Priority, type SortOrder, type TaskSort } from '@/lib/api/limits';
import type { TaskFilter, TaskQuery } from '@/lib/api/task-schemas';
import { TASKS_PAGE } from '@/lib/paths';

/**
 * What the dashboard shows, as it stands in its URL (so a view can be bookmarked and survives a
 * reload): a status filter, where (a list, the Inbox, a due window, tags), a search, priorities and
 * a sort. The URL's parameters are the task API's own (`filter` aside, which is `status` in TodoMVC's
 * words), so a view is also the query its tasks come from.
 */

export type Filter = 'all' | 'active' | 'completed';

export interface TaskView {
  filter: Filter;
  list?: number | 'inbox';
  due?: DueFilter;
  tag: string[];
  q?: string;
  priority: Priority[];
  sort: TaskSort;
  order?: SortOrder;
}

export const DEFAULT_VIEW: TaskView = { filter: 'all', tag: [], priority: [], sort: 'created' };

const first = (value: string | string[] | null | undefined) => (Array.isArray(value) ? value[0] : (value ?? undefined));

/** `?filter=` from the URL; anything unknown is "all". */
export function parseFilter(value: string | string[] | null | undefined): Filter {
  const filter = first(value);
  return filter === 'active' || filter === 'completed' ? filter : 'all';
}

export function statusOf(filter: Filter): 'all' | 'pending' | 'completed' {
  return filter === 'active' ? 'pending' : filter;
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function getAll(params: Params, key: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(key);
  const value = params[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The view a URL asks for; values the API would refuse are dropped, never sent. */
export function parseView(params: Params): TaskView {
  const one = (key: string) => getAll(params, key)[0];
  const list = one('list');
  const due = one('due');
  const sort = one('sort');
  const order = one('order');
  const q = one('q')?.trim();
  return {
    filter: parseFilter(one('filter')),
    ...(list === 'inbox' ? { list: 'inbox' as const } : list && /^[1-9]\d{0,15}$/.test(list) ? { list: Number(list) } : {}),
    ...(due && (DUE_FILTERS as readonly string[]).includes(due) ? { due: due as DueFilter } : {}),
    tag: getAll(params, 'tag').filter((tag) => tag.trim() !== '' && !tag.includes(',') && tag.length <= 32),
    ...(q ? { q: q.slice(0, 200) } : {}),
    priority: (one('priority') ?? '').split(',').filter((priority): priority is Priority => (PRIORITIES as readonly string[]).includes(priority)),
    sort: sort && (TASK_SORTS as readonly string[]).includes(sort) ? (sort as TaskSort) : 'created',
    ...(order === 'asc' || order === 'desc' ? { order } : {}),
  };
}

/** The view's own parameters, in one order (its URL, and its cache key). */
function viewParams(view: TaskView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.list !== undefined) params.set('list', String(view.list));
  if (view.due) params.set('due', view.due);
  for (const tag of view.tag) params.append('tag', tag);
  if (view.q) params.set('q', view.q);
  if (view.priority.length > 0) params.set('priority', view.priority.join(','));
  if (view.sort !== 'created') params.set('sort', view.sort);
  if (view.order && view.order !== DEFAULT_ORDER[view.sort]) params.set('order', view.order);
  return params;
}

/** The dashboard's URL for a view. */
export function viewHref(view: TaskView): string {
  const params = viewParams(view);
  if (view.filter !== 'all') params.set('filter', view.filter);
  const query = params.toString();
  return query ? `${TASKS_PAGE}?${query}` : TASKS_PAGE;
}

/** The task API query of a view's tasks (with its status, or another one for a count), without the page size. */
export function apiQuery(view: TaskView, status: 'all' | 'pending' | 'completed' = statusOf(view.filter)): string {
  const params = viewParams(view);
  if (status !== 'all') params.set('status', status);
  return params.toString();
}

/** The view's filters as the API's JSON filter (a bulk change's `filter`), with its status or another. */
export function viewFilter(view: TaskView, status: TaskFilter['status'] = statusOf(view.filter)): TaskFilter {
  return {
    status,
    ...(view.q ? { q: view.q } : {}),
    ...(view.priority.length > 0 ? { priority: view.priority } : {}),
    ...(view.tag.length > 0 ? { tag: view.tag } : {}),
    ...(view.list !== undefined ? { list: view.list } : {}),
    ...(view.due ? { due: view.due } : {}),
  };
}

/** The view as the API reads it: what lib/api/task-order.ts matches and orders tasks by. */
export function viewQuery(view: TaskView): TaskQuery {
  return {
    ...viewFilter(view),
    sort: view.sort,
    order: view.order ?? DEFAULT_ORDER[view.sort],
    words: view.q ? view.q.split(/\s+/u).filter(Boolean) : [],
  };
}

/**
 * The task query an API query string (`apiQuery`'s) stands for, read as views are read: values the
 * API would refuse are dropped. No zod here: it runs in the browser, whose CSP forbids the eval
 * zod's first parse probes for.
 */
export function taskQueryOf(apiQuery: string): TaskQuery {
  const params = new URLSearchParams(apiQuery);
  const status = params.get('status');
  return { ...viewQuery(parseView(params)), status: status === 'pending' || status === 'completed' ? status : 'all' };
}

/** Whether the view narrows the tasks beyond a place of the sidebar (search, priority, more tags). */
export function isFiltered(view: TaskView): boolean {
  return Boolean(view.q) || view.priority.length > 0 || view.tag.length > 1 || (view.tag.length === 1 && (view.list !== undefined || view.due !== undefined));
}

/** The sidebar places, each a view of its own. */
export const PLACES = {
  all: { label: 'All tasks', view: {} },
  inbox: { label: 'Inbox', view: { list: 'inbox' } },
  today: { label: 'Today', view: { due: 'today' } },
  upcoming: { label: 'Upcoming', view: { due: 'week' } },
  overdue: { label: 'Overdue', view: { due: 'overdue' } },
} as const satisfies Record<string, { label: string; view: Partial<TaskView> }>;
export type Place = keyof typeof PLACES;

export function placeView(place: Place): TaskView {
  return { ...DEFAULT_VIEW, ...PLACES[place].view };
}
