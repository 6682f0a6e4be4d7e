import { http, type HttpHandler } from 'msw';
import { MOCK_USER } from '@/lib/build-flags';
import { parseJsonBody, parseOptionalJsonBody } from '@/lib/api/body';
import { nextPageLink, taskLocation } from '@/lib/api/links';
import { HttpProblem, problemResponse, problems, validationProblem } from '@/lib/api/problem';
import { json, noContent } from '@/lib/api/responses';
import { bulkChangeSchema } from '@/lib/api/bulk-schemas';
import { ifMatchVersions, notModified, notModifiedAnswer, preconditionFailed, taskAnswer } from '@/lib/api/conditional';
import { csvExportHead, csvExportRows, exportHeaders, JSON_EXPORT_TAIL, jsonExportHead, jsonExportTasks, parseExportFormat, parseImport } from '@/lib/api/export-format';
import { idempotent } from '@/lib/api/idempotency';
import { IMPORT_MAX_BYTES } from '@/lib/api/limits';
import { zonedNow } from '@/lib/dates';
import { createListSchema, parseListId, renameTagSchema, updateListSchema } from '@/lib/api/list-schemas';
import { markReadSchema, notificationsParamsSchema } from '@/lib/api/notification-schemas';
import { completeTaskSchema, createTaskSchema, parseListQuery, taskIdFrom, updateTaskSchema, type TaskDto } from '@/lib/api/task-schemas';
import { MockTaskStore } from './task-store';

export { MockTaskStore };

/**
 * The task API (as its OpenAPI document and the contract suite describe it) on an in-memory store,
 * for UI tests and a browser mock mode. Browser-safe (no server code): it validates with the same
 * schemas, body reader, problem builders, answers and link helpers as the real handlers, and the
 * contract suite runs against both.
 *
 * - `/api/{user_id}/...` (tasks, lists, tags): the user is the one named by `Authorization: Bearer mock.<user id>`
 *   (see `mockAccessToken`); no Bearer → 401, any other token → 401 invalid_token.
 * - `/api/proxy/{user_id}/...`: the user is the signed-in `sessionUser` (or 401 without one),
 *   and Link / Location are proxy paths, as the real proxy rewrites them.
 */

export interface MockUser {
  id: string;
  name: string;
  email: string;
}

const TOKEN_PREFIX = 'mock.';

/** The Bearer token the mock accepts for `userId`. */
export function mockAccessToken(userId: string): string {
  return `${TOKEN_PREFIX}${userId}`;
}

export interface TaskApiHandlersOptions {
  /** Absolute origin to match (default: any origin, as msw matches relative paths in a browser). */
  origin?: string;
  store?: MockTaskStore;
  /** The browser's signed-in user for proxy paths; null: no session (every proxy call is 401). */
  sessionUser?: MockUser | null;
}

function found(task: TaskDto | undefined): TaskDto {
  if (!task) throw problems.notFound();
  return task;
}

type Route = (context: { request: Request; url: URL; userId: string; params: Record<string, string> }) => Promise<Response>;

export function createTaskApiHandlers(options: TaskApiHandlersOptions = {}) {
  const store = options.store ?? new MockTaskStore();
  const sessionUser = options.sessionUser === undefined ? MOCK_USER : options.sessionUser;
  const base = options.origin ?? '';

  /** Who the request acts as: the proxy's session user, or the Bearer token's user. */
  function authenticate(request: Request, viaProxy: boolean): string {
    if (viaProxy) {
      if (!sessionUser) throw new HttpProblem(401, 'Sign in to continue.');
      return sessionUser.id;
    }
    const match = /^Bearer +([^\s]+) *$/i.exec(request.headers.get('authorization') ?? '');
    if (!match) throw problems.missingToken();
    const token = match[1]!;
    if (!token.startsWith(TOKEN_PREFIX) || token.length === TOKEN_PREFIX.length) throw problems.invalidToken();
    return token.slice(TOKEN_PREFIX.length);
  }

  const collection: Record<string, Route> = {
    GET: async ({ url, userId }) => {
      const query = parseListQuery(url.searchParams);
      if (!query.success) throw validationProblem(query.error, 'The query');
      const page = store.find(userId, query.data);
      const headers: Record<string, string> = { 'x-total-count': String(page.total) };
      if (page.next) headers.link = nextPageLink(url, query.data, page.next);
      return json(page.tasks, { headers });
    },
    POST: async ({ request, url, userId }) => {
      const task = store.create(userId, await parseJsonBody(request, createTaskSchema));
      return taskAnswer(task, { status: 201, headers: { location: taskLocation(url.pathname, task.id) } });
    },
  };

  const bulk: Record<string, Route> = {
    POST: async ({ request, userId }) => json({ affected: store.bulk(userId, await parseJsonBody(request, bulkChangeSchema)) }),
  };

  /** `If-Match` checked against the task as stored, after the body (as the handlers): 404 before 412. */
  const checkVersion = (request: Request, userId: string, id: number) => {
    const versions = ifMatchVersions(request, id);
    const current = found(store.get(userId, id));
    if (versions !== undefined && !versions.includes(Date.parse(current.updated_at))) throw preconditionFailed();
  };
  const update: Route = async ({ request, userId, params }) => {
    const id = taskIdFrom(params.taskId!);
    const changes = await parseJsonBody(request, updateTaskSchema);
    checkVersion(request, userId, id);
    return taskAnswer(found(store.update(userId, id, changes)));
  };
  const item: Record<string, Route> = {
    GET: async ({ request, userId, params }) => {
      const task = found(store.get(userId, taskIdFrom(params.taskId!)));
      return notModified(request, task) ? notModifiedAnswer(task) : taskAnswer(task);
    },
    PUT: update,
    PATCH: update,
    DELETE: async ({ request, userId, params }) => {
      const id = taskIdFrom(params.taskId!);
      checkVersion(request, userId, id);
      if (!store.delete(userId, id)) throw problems.notFound();
      return noContent();
    },
  };

  const complete: Record<string, Route> = {
    PATCH: async ({ request, userId, params }) => {
      const id = taskIdFrom(params.taskId!);
      const body = await parseOptionalJsonBody(request, completeTaskSchema);
      checkVersion(request, userId, id);
      return taskAnswer(found(store.complete(userId, id, body?.completed)));
    },
  };

  const listCollection: Record<string, Route> = {
    GET: async ({ userId }) => json(store.listLists(userId)),
    POST: async ({ request, url, userId }) => {
      const list = store.createList(userId, await parseJsonBody(request, createListSchema));
      return json(list, { status: 201, headers: { location: taskLocation(url.pathname, list.id) } });
    },
  };

  const listId = (raw: string) => {
    const id = parseListId(raw);
    if (id === undefined) throw problems.notFound();
    return id;
  };
  const listItem: Record<string, Route> = {
    PATCH: async ({ request, userId, params }) => {
      const id = listId(params.listId!);
      return json(store.updateList(userId, id, await parseJsonBody(request, updateListSchema)));
    },
    DELETE: async ({ userId, params }) => {
      store.deleteList(userId, listId(params.listId!));
      return noContent();
    },
  };

  const tagCollection: Record<string, Route> = { GET: async ({ userId }) => json(store.listTags(userId)) };
  const tagItem: Record<string, Route> = {
    PATCH: async ({ request, userId, params }) => {
      const { name } = await parseJsonBody(request, renameTagSchema);
      return json(store.renameTag(userId, params.tagName!, name));
    },
    DELETE: async ({ userId, params }) => {
      store.deleteTag(userId, params.tagName!);
      return noContent();
    },
  };

  function mount(path: string, routes: Record<string, Route>, viaProxy: boolean): HttpHandler {
    return http.all(`${base}${viaProxy ? '/api/proxy' : '/api'}${path}`, async ({ request, params }) => {
      const url = new URL(request.url);
      try {
        const route = routes[request.method];
        if (!route) throw problems.methodNotAllowed(Object.keys(routes));
        const userId = authenticate(request, viaProxy);
        const pathUser = String(params.userId);
        if (pathUser !== 'me' && pathUser !== userId) throw problems.identityMismatch();
        const answer = (again: Request) => route({ request: again, url, userId, params: params as Record<string, string> });
        // Every POST honours Idempotency-Key but the calendar feed's (as the handlers: server/http/task-route.ts).
        if (request.method !== 'POST' || path.endsWith('/calendar-feed')) return await answer(request);
        return await idempotent(request, store.idempotencyStore(userId), answer, path.endsWith('/import') ? IMPORT_MAX_BYTES : undefined);
      } catch (error) {
        if (error instanceof HttpProblem) return problemResponse(error);
        throw error;
      }
    });
  }

  const notificationCollection: Record<string, Route> = {
    GET: async ({ url, userId }) => {
      const params = notificationsParamsSchema.safeParse({ unread: url.searchParams.get('unread') ?? undefined });
      if (!params.success) throw validationProblem(params.error, 'The query');
      // No timer runs in the browser: the reminders that have come fire as they are asked for.
      store.fireDueReminders();
      return json(store.notifications(userId, params.data.unread === 'true'));
    },
  };

  const notificationsRead: Record<string, Route> = {
    POST: async ({ request, userId }) => {
      store.markNotificationsRead(userId, await parseJsonBody(request, markReadSchema));
      return noContent();
    },
  };

  const calendarFeed: Record<string, Route> = {
    POST: async ({ url, userId }) => json({ url: `${url.origin}/api/calendar/${store.rotateCalendarFeed(userId)}.ics` }, { status: 201 }),
    DELETE: async ({ userId }) => {
      store.rotateCalendarFeed(userId, { off: true });
      return noContent();
    },
  };

  // The same files as the server's (lib/api/export-format.ts), built whole: the mock's store is small.
  const exportData: Record<string, Route> = {
    GET: async ({ url, userId }) => {
      const format = parseExportFormat(url.searchParams);
      const { lists, tasks } = store.exportData(userId);
      const timeZone = store.timeZoneOf(userId);
      const user = sessionUser?.id === userId ? sessionUser : { id: userId, name: userId, email: `${userId}@example.com` };
      const body =
        format === 'json'
          ? jsonExportHead({ id: user.id, name: user.name, email: user.email, timezone: timeZone }, lists) + jsonExportTasks(tasks, true) + JSON_EXPORT_TAIL
          : csvExportHead() + csvExportRows(tasks, new Map(lists.map((list) => [list.id, list.name])));
      return new Response(body, { headers: exportHeaders(format, zonedNow(timeZone).date) });
    },
  };

  const importData: Record<string, Route> = {
    POST: async ({ request, userId }) => json({ imported: store.importData(userId, await parseImport(request)) }),
  };

  // The order of TASK_ROUTES: `tasks/bulk` before `tasks/:taskId`.
  const handlers: HttpHandler[] = [false, true].flatMap((viaProxy) => [
    mount('/:userId/tasks', collection, viaProxy),
    mount('/:userId/tasks/bulk', bulk, viaProxy),
    mount('/:userId/tasks/:taskId', item, viaProxy),
    mount('/:userId/tasks/:taskId/complete', complete, viaProxy),
    mount('/:userId/lists', listCollection, viaProxy),
    mount('/:userId/lists/:listId', listItem, viaProxy),
    mount('/:userId/tags', tagCollection, viaProxy),
    mount('/:userId/tags/:tagName', tagItem, viaProxy),
    mount('/:userId/notifications', notificationCollection, viaProxy),
    mount('/:userId/notifications/read', notificationsRead, viaProxy),
    mount('/:userId/calendar-feed', calendarFeed, viaProxy),
    mount('/:userId/export', exportData, viaProxy),
    mount('/:userId/import', importData, viaProxy),
  ]);

  return { handlers, store };
}

/**
 * An override for UI tests: the next matching request(s) fail with a contract-shaped problem.
 * `server.use(failNext({ status: 503 }))` fails the next task API call; pass `method` / `path` to
 * narrow it, and `times` for more than one.
 */
export function failNext(options: { status: 401 | 403 | 404 | 409 | 422 | 429 | 500 | 503; method?: string; path?: string; times?: number; origin?: string }) {
  const { status, method, path = '/api/*', times = 1 } = options;
  let remaining = times;
  const detail: Record<number, string> = {
    401: 'Sign in to continue.',
    500: 'Something went wrong on our side.',
    503: 'The database is not answering. Please retry shortly.',
  };
  return http.all(`${options.origin ?? ''}${path}`, ({ request }) => {
    if (remaining <= 0 || (method && request.method !== method)) return undefined;
    remaining -= 1;
    const headers: Record<string, string> = status === 503 || status === 429 ? { 'retry-after': '5' } : {};
    return problemResponse(new HttpProblem(status, detail[status] ?? 'The request failed.', { headers }));
  });
}
