import type { BulkChangeBody } from '@/lib/api/bulk-schemas';
import { etagOf } from '@/lib/api/etag';
import { ALL_FEATURES, type TaskFeatures } from '@/lib/api/features';
import type { ListDto, TagDto, UpdateListBody } from '@/lib/api/list-schemas';
import type { NotificationDto } from '@/lib/api/notification-schemas';
import type { CreateTaskBody, TaskDto, UpdateTaskBody } from '@/lib/api/task-schemas';
import { taskMatches } from '@/lib/api/task-order';
import { zonedNow } from '@/lib/dates';
import { completeTask, fastApiDetail, queryLocally, supportedFields } from './simple-backend';
import { apiQuery, type TaskView } from './view';

/**
 * The browser's task API client: everything goes through the same-origin proxy with the session
 * cookie (`/api/proxy/me/...`); the browser never holds a token. Errors come back as classes the
 * UI can tell apart: the session is gone, the network is gone, or the server said no (with the
 * problem's `detail`, a human sentence).
 */

export const TASKS_PATH = '/api/proxy/me/tasks';
const API_PATH = '/api/proxy/me';
/** Tasks per page of the list: one screenful and more, small enough to render at once. */
export const PAGE_SIZE = 50;

/**
 * What the task API behind the proxy can do: the server's configuration (`BACKEND_FEATURES`), the
 * same for every user of a deployment, set by the dashboard before its first request. Where a
 * feature is missing, the functions below do the work in the browser (simple-backend.ts) or the
 * UI hides it.
 */
let features: TaskFeatures = ALL_FEATURES;
export function setTaskFeatures(next: TaskFeatures): void {
  features = next;
}

/** One page of a task list as the UI holds it: the answer's tasks, and where the next page is. */
export interface LoadedPage {
  tasks: TaskDto[];
  /** The next page's URL (from `Link: rel="next"`), or null on the last page. */
  next: string | null;
}

export interface TaskCounts {
  active: number;
  completed: number;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
  }
}

/** The proxy answered 401: the session ended (signed out elsewhere, expired, revoked). */
export class SessionExpiredError extends ApiError {
  override name = 'SessionExpiredError';
}

/** No answer at all: offline, DNS, the server is down. */
export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor() {
    super('Tasklane could not be reached. Check your connection and try again.');
  }
}

const FALLBACK_DETAIL: Record<number, string> = {
  429: 'Too many requests. Wait a moment and try again.',
  500: 'Something went wrong on our side.',
  503: 'Tasklane is not answering right now. Please retry shortly.',
};

async function send(url: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError();
  }
  if (init.method !== undefined && init.method !== 'GET') everyTask = undefined; // what it read is out of date
  if (response.ok) return response;
  let detail = FALLBACK_DETAIL[response.status] ?? `The request failed (${response.status}).`;
  try {
    // A problem's `detail`, or a FastAPI service's (a sentence, or its list of field errors).
    detail = fastApiDetail(await response.json()) ?? detail;
  } catch {
    // Not JSON (a proxy in between, an HTML error page): keep the fallback.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  if (response.status === 401) throw new SessionExpiredError(401, detail);
  throw new ApiError(response.status, detail, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

const json = async <T>(response: Response) => (await response.json()) as T;
/** A task answer, with the fields a simpler service leaves out filled in. */
const task = async (response: Response) => completeTask(await json<TaskDto>(response));

/** The one read of every task a service without `query` offers, shared by the readers it is in flight for. */
let everyTask: Promise<TaskDto[]> | undefined;
function fetchEveryTask(): Promise<TaskDto[]> {
  if (everyTask) return everyTask;
  const read = send(TASKS_PATH)
    .then((response) => json<TaskDto[]>(response))
    .then((tasks) => tasks.map(completeTask))
    .finally(() => {
      if (everyTask === read) everyTask = undefined;
    });
  everyTask = read;
  return read;
}

/** The tasks of an API query, found in the browser among every task (the service cannot filter). */
async function findLocally(query: string): Promise<TaskDto[]> {
  const params = new URLSearchParams(query);
  params.delete('limit');
  params.delete('cursor');
  return queryLocally(await fetchEveryTask(), params.toString(), zonedNow(Intl.DateTimeFormat().resolvedOptions().timeZone));
}

/** The URL of `Link: <url>; rel="next"`, if any. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /(^|;)\s*rel="?next"?\s*(;|$)/.test(match[2]!)) return match[1]!;
  }
  return null;
}

/** The first page of a view's tasks. */
export function firstPageUrl(view: TaskView, limit = PAGE_SIZE): string {
  const query = apiQuery(view);
  return `${TASKS_PATH}?${query}${query ? '&' : ''}limit=${limit}`;
}

export async function fetchTaskPage(url: string, signal?: AbortSignal): Promise<LoadedPage> {
  if (!features.query) return { tasks: await findLocally(new URL(url, 'http://x').search.slice(1)), next: null };
  const response = await send(url, { signal });
  return { tasks: (await json<TaskDto[]>(response)).map(completeTask), next: nextLink(response.headers.get('link')) };
}

/** How many tasks an API query matches (X-Total-Count of a one-task page). */
export async function countOf(query: string, signal?: AbortSignal): Promise<number> {
  if (!features.query) return (await findLocally(query)).length;
  const response = await send(`${TASKS_PATH}?${query}${query ? '&' : ''}limit=1`, { signal });
  // Only the header is wanted; a body never read holds its connection, and the browser has six
  // per origin: unread, the sidebar's counts starved every later request of the page.
  const total = Number(response.headers.get('x-total-count') ?? 0);
  response.body?.cancel().catch(() => undefined);
  return total;
}

/** How many of a view's tasks are active and completed, from the API's X-Total-Count (not from the rows on screen). */
export async function fetchTaskCounts(view: TaskView, signal?: AbortSignal): Promise<TaskCounts> {
  const [active, completed] = await Promise.all([countOf(apiQuery(view, 'pending'), signal), countOf(apiQuery(view, 'completed'), signal)]);
  return { active, completed };
}

/** `key`: the Idempotency-Key, the same for every attempt at this one creation (a retry never makes two). */
export async function createTask(input: CreateTaskBody, key?: string): Promise<TaskDto> {
  return task(await send(TASKS_PATH, { method: 'POST', body: JSON.stringify(supportedFields(input, features)), headers: key ? { 'idempotency-key': key } : {} }));
}

/**
 * `changes` to `current`: a PATCH of them, only if the task is still the version `current` is
 * (If-Match: 412 otherwise), or, to a service that only replaces, a PUT of the whole task.
 */
export async function updateTask(current: TaskDto, changes: UpdateTaskBody): Promise<TaskDto> {
  if (features.patch) {
    return task(await send(`${TASKS_PATH}/${current.id}`, { method: 'PATCH', body: JSON.stringify(changes), headers: { 'if-match': etagOf(current) } }));
  }
  const whole = { title: current.title, description: current.description, ...supportedFields(changes, features) };
  return task(await send(`${TASKS_PATH}/${current.id}`, { method: 'PUT', body: JSON.stringify(whole) }));
}

/** Done or not done: said outright, or, to a service that only toggles, toggled until it is so. */
/** One task as the server has it now. */
export async function fetchTask(id: number): Promise<TaskDto> {
  return task(await send(`${TASKS_PATH}/${id}`));
}

export async function setTaskCompleted(id: number, completed: boolean): Promise<TaskDto> {
  const url = `${TASKS_PATH}/${id}/complete`;
  if (features.patch) return task(await send(url, { method: 'PATCH', body: JSON.stringify({ completed }) }));
  // The answer says where the toggle landed: if another tab had already changed it, once more.
  const toggled = await task(await send(url, { method: 'PATCH' }));
  return toggled.completed === completed ? toggled : task(await send(url, { method: 'PATCH' }));
}

export async function deleteTask(id: number): Promise<void> {
  const response = await send(`${TASKS_PATH}/${id}`, { method: 'DELETE' });
  response.body?.cancel().catch(() => undefined); // a seeds service answers 200 with a message
}

/** Requests at once when a bulk change is made one task at a time: a few, to be kind to the service. */
const ONE_BY_ONE_CONCURRENCY = 4;

/**
 * A bulk change to a service without `/tasks/bulk`: done, completed or deleted one task at a time
 * (the only bulk actions the web app offers it). Not one transaction: a failure part-way leaves
 * the tasks before it changed, and says so.
 */
async function bulkOneByOne(change: BulkChangeBody): Promise<number> {
  const clock = zonedNow(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const all = await fetchEveryTask();
  const reached = all.filter((each) => (change.ids ? change.ids.includes(each.id) : taskMatches(each, { status: 'all', ...change.filter, words: change.filter?.q?.split(/\s+/u).filter(Boolean) ?? [] }, clock)));
  const step = async (each: TaskDto): Promise<boolean> => {
    if (change.action === 'delete') return (await deleteTask(each.id), true);
    if (change.action !== 'complete' && change.action !== 'reopen') throw new ApiError(422, 'The task service cannot make this change to many tasks at once.');
    const completed = change.action === 'complete';
    if (each.completed === completed) return false;
    await setTaskCompleted(each.id, completed);
    return true;
  };
  let affected = 0;
  for (let start = 0; start < reached.length; start += ONE_BY_ONE_CONCURRENCY) {
    const results = await Promise.allSettled(reached.slice(start, start + ONE_BY_ONE_CONCURRENCY).map(step));
    affected += results.filter((result) => result.status === 'fulfilled' && result.value).length;
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) {
      const error = failed.reason as unknown;
      if (affected === 0 || !(error instanceof ApiError)) throw error;
      throw new ApiError(error.status, `${affected} of ${reached.length} tasks were changed before this one failed: ${error.detail}`);
    }
  }
  return affected;
}

/** One action on many tasks (ids, or every task of a filter): one request, however many. */
export async function bulkChange(change: BulkChangeBody): Promise<number> {
  if (!features.bulk) return bulkOneByOne(change);
  return (await json<{ affected: number }>(await send(`${TASKS_PATH}/bulk`, { method: 'POST', body: JSON.stringify(change) }))).affected;
}

export async function fetchLists(signal?: AbortSignal): Promise<ListDto[]> {
  return json<ListDto[]>(await send(`${API_PATH}/lists`, { signal }));
}

export async function createList(input: { name: string; color?: string | null }): Promise<ListDto> {
  return json<ListDto>(await send(`${API_PATH}/lists`, { method: 'POST', body: JSON.stringify(input) }));
}

export async function updateList(id: number, changes: UpdateListBody): Promise<ListDto> {
  return json<ListDto>(await send(`${API_PATH}/lists/${id}`, { method: 'PATCH', body: JSON.stringify(changes) }));
}

export async function deleteList(id: number): Promise<void> {
  await send(`${API_PATH}/lists/${id}`, { method: 'DELETE' });
}

export async function fetchTags(signal?: AbortSignal): Promise<TagDto[]> {
  return json<TagDto[]>(await send(`${API_PATH}/tags`, { signal }));
}

/** The reminders that fired, newest first; `unread` only those not read yet. */
export async function fetchNotifications(unread: boolean, signal?: AbortSignal): Promise<NotificationDto[]> {
  return json<NotificationDto[]>(await send(`${API_PATH}/notifications${unread ? '?unread=true' : ''}`, { signal }));
}

export async function markNotificationsRead(which: { ids: number[] } | { all: true }): Promise<void> {
  await send(`${API_PATH}/notifications/read`, { method: 'POST', body: JSON.stringify(which) });
}

/** A sentence for a toast or an alert. */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return error.message;
  if (error instanceof ApiError) return error.detail;
  return 'Something went wrong.';
}
