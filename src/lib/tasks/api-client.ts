import type { BulkChangeBody } from '@/lib/api/bulk-schemas';
import type { ListDto, TagDto, UpdateListBody } from '@/lib/api/list-schemas';
import type { CreateTaskBody, TaskDto, UpdateTaskBody } from '@/lib/api/task-schemas';
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
  if (response.ok) return response;
  let detail = FALLBACK_DETAIL[response.status] ?? `The request failed (${response.status}).`;
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object' && 'detail' in body && typeof body.detail === 'string' && body.detail) detail = body.detail;
  } catch {
    // Not a problem document (a proxy in between, an HTML error page): keep the fallback.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  if (response.status === 401) throw new SessionExpiredError(401, detail);
  throw new ApiError(response.status, detail, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

const json = async <T>(response: Response) => (await response.json()) as T;

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
  const response = await send(url, { signal });
  return { tasks: await json<TaskDto[]>(response), next: nextLink(response.headers.get('link')) };
}

/** How many tasks an API query matches (X-Total-Count of a one-task page). */
export async function countOf(query: string, signal?: AbortSignal): Promise<number> {
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

export async function createTask(input: CreateTaskBody): Promise<TaskDto> {
  return json<TaskDto>(await send(TASKS_PATH, { method: 'POST', body: JSON.stringify(input) }));
}

export async function updateTask(id: number, changes: UpdateTaskBody): Promise<TaskDto> {
  return json<TaskDto>(await send(`${TASKS_PATH}/${id}`, { method: 'PATCH', body: JSON.stringify(changes) }));
}

export async function setTaskCompleted(id: number, completed: boolean): Promise<TaskDto> {
  return json<TaskDto>(await send(`${TASKS_PATH}/${id}/complete`, { method: 'PATCH', body: JSON.stringify({ completed }) }));
}

export async function deleteTask(id: number): Promise<void> {
  await send(`${TASKS_PATH}/${id}`, { method: 'DELETE' });
}

/** One action on many tasks (ids, or every task of a filter): one request, however many. */
export async function bulkChange(change: BulkChangeBody): Promise<number> {
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

/** A sentence for a toast or an alert. */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return error.message;
  if (error instanceof ApiError) return error.detail;
  return 'Something went wrong.';
}
