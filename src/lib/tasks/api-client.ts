import type { CreateTaskBody, TaskDto, TaskStatus, UpdateTaskBody } from '@/lib/api/task-schemas';

/**
 * The browser's task API client: everything goes through the same-origin proxy with the session
 * cookie (`/api/proxy/me/...`); the browser never holds a token. Errors come back as classes the
 * UI can tell apart: the session is gone, the network is gone, or the server said no (with the
 * problem's `detail`, a human sentence).
 */

export const TASKS_PATH = '/api/proxy/me/tasks';
/** Tasks per page of the list: one screenful and more, small enough to render at once. */
export const PAGE_SIZE = 50;
/** Pages read by the bulk actions (toggle all, clear completed): the API's maximum. */
const BULK_PAGE_SIZE = 200;
/** Requests in flight at once during a bulk action. */
const BULK_CONCURRENCY = 4;

export type Filter = 'all' | 'active' | 'completed';

export function statusOf(filter: Filter): TaskStatus {
  return filter === 'active' ? 'pending' : filter;
}

/** `?filter=` from the URL; anything unknown is "all". */
export function parseFilter(value: string | string[] | null | undefined): Filter {
  const first = Array.isArray(value) ? value[0] : value;
  return first === 'active' || first === 'completed' ? first : 'all';
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

/** The URL of `Link: <url>; rel="next"`, if any. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /(^|;)\s*rel="?next"?\s*(;|$)/.test(match[2]!)) return match[1]!;
  }
  return null;
}

export function firstPageUrl(filter: Filter, limit = PAGE_SIZE): string {
  return `${TASKS_PATH}?${new URLSearchParams({ status: statusOf(filter), limit: String(limit) }).toString()}`;
}

export async function fetchTaskPage(url: string, signal?: AbortSignal): Promise<LoadedPage> {
  const response = await send(url, { signal });
  return { tasks: (await response.json()) as TaskDto[], next: nextLink(response.headers.get('link')) };
}

async function countOf(status: TaskStatus, signal?: AbortSignal): Promise<number> {
  const response = await send(`${TASKS_PATH}?status=${status}&limit=1`, { signal });
  return Number(response.headers.get('x-total-count') ?? 0);
}

/** How many tasks are active and completed, from the API's X-Total-Count (not from the rows on screen). */
export async function fetchTaskCounts(signal?: AbortSignal): Promise<TaskCounts> {
  const [active, completed] = await Promise.all([countOf('pending', signal), countOf('completed', signal)]);
  return { active, completed };
}

export async function createTask(input: CreateTaskBody): Promise<TaskDto> {
  const response = await send(TASKS_PATH, { method: 'POST', body: JSON.stringify(input) });
  return (await response.json()) as TaskDto;
}

export async function updateTask(id: number, changes: UpdateTaskBody): Promise<TaskDto> {
  const response = await send(`${TASKS_PATH}/${id}`, { method: 'PATCH', body: JSON.stringify(changes) });
  return (await response.json()) as TaskDto;
}

export async function setTaskCompleted(id: number, completed: boolean): Promise<TaskDto> {
  const response = await send(`${TASKS_PATH}/${id}/complete`, { method: 'PATCH', body: JSON.stringify({ completed }) });
  return (await response.json()) as TaskDto;
}

export async function deleteTask(id: number): Promise<void> {
  await send(`${TASKS_PATH}/${id}`, { method: 'DELETE' });
}

/** Ids of every task with this status, page after page (the bulk actions act on all, not the rows on screen). */
export async function listAllTaskIds(status: TaskStatus): Promise<number[]> {
  const ids: number[] = [];
  let url: string | null = `${TASKS_PATH}?status=${status}&limit=${BULK_PAGE_SIZE}`;
  while (url) {
    const page: LoadedPage = await fetchTaskPage(url);
    ids.push(...page.tasks.map((task) => task.id));
    url = page.next;
  }
  return ids;
}

export class BulkActionError extends Error {
  override name = 'BulkActionError';
  constructor(
    readonly failed: number,
    readonly total: number,
    readonly firstError: unknown,
  ) {
    super(`${failed} of ${total} failed`);
  }
}

/** Tries of one task in a bulk action that the API keeps answering 429 (its per-user quota). */
const QUOTA_TRIES = 4;
const MAX_QUOTA_WAIT_MS = 30_000;

/**
 * Runs `action` on every id, a few at a time. Every id is tried even after a failure (so one bad
 * task does not leave the rest undone); a session that ended stops it at once. The API has no bulk
 * endpoint and a per-user quota: on 429 the task waits out `Retry-After` and is tried again.
 */
export async function forEachTask(
  ids: number[],
  action: (id: number) => Promise<unknown>,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<void> {
  let next = 0;
  let failed = 0;
  let firstError: unknown;
  let expired: SessionExpiredError | undefined;
  async function attempt(id: number) {
    for (let tries = 1; ; tries++) {
      try {
        return await action(id);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 429) || tries >= QUOTA_TRIES) throw error;
        await wait(Math.min((error.retryAfterSeconds ?? 1) * 1000, MAX_QUOTA_WAIT_MS));
      }
    }
  }
  async function worker() {
    while (next < ids.length && !expired) {
      const id = ids[next++]!;
      try {
        await attempt(id);
      } catch (error) {
        if (error instanceof SessionExpiredError) expired = error;
        failed += 1;
        firstError ??= error;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, ids.length) }, worker));
  if (expired) throw expired;
  if (failed > 0) throw new BulkActionError(failed, ids.length, firstError);
}

/** A sentence for a toast or an alert. */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return error.message;
  if (error instanceof BulkActionError) return describeError(error.firstError);
  if (error instanceof ApiError) return error.detail;
  return 'Something went wrong.';
}
