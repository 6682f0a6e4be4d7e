import { http, type HttpHandler } from 'msw';
import { MOCK_USER } from '@/lib/build-flags';
import { parseJsonBody, parseOptionalJsonBody } from '@/lib/api/body';
import { nextPageLink, taskLocation } from '@/lib/api/links';
import { HttpProblem, problemResponse, problems, validationProblem } from '@/lib/api/problem';
import { json, noContent } from '@/lib/api/responses';
import { toTaskFields, toTaskJson, type TaskRecord } from '@/lib/api/task-json';
import {
  completeTaskSchema,
  createTaskSchema,
  parseListQuery,
  taskIdFrom,
  updateTaskSchema,
  type CreateTaskBody,
  type CreateTaskInput,
  type TaskDto,
  type UpdateTaskInput,
} from '@/lib/api/task-schemas';

/**
 * The task API (as its OpenAPI document and the contract suite describe it) on an in-memory store,
 * for UI tests and a browser mock mode. Browser-safe (no server code): it validates with the same
 * schemas, body reader, problem builders, answers and link helpers as the real handlers, and the
 * contract suite runs against both.
 *
 * - `/api/{user_id}/tasks...`: the user is the one named by `Authorization: Bearer mock.<user id>`
 *   (see `mockAccessToken`); no Bearer → 401, any other token → 401 invalid_token.
 * - `/api/proxy/{user_id}/tasks...`: the user is the signed-in `sessionUser` (or 401 without one),
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

/** The mock's data: tasks of every user, ids growing like the database's identity column. */
export class MockTaskStore {
  private tasks = new Map<number, TaskRecord>();
  private lastId = 0;
  private lastTime = 0;

  /** A timestamp that never repeats or goes back, as updated_at must move on every write. */
  private now(): Date {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1);
    return new Date(this.lastTime);
  }

  create(userId: string, input: CreateTaskInput): TaskDto {
    const at = this.now();
    const task: TaskRecord = { ...toTaskFields(input), id: ++this.lastId, userId, createdAt: at, updatedAt: at };
    this.tasks.set(task.id, task);
    return toTaskJson(task);
  }

  get(userId: string, id: number): TaskDto | undefined {
    const task = this.tasks.get(id);
    return task && task.userId === userId ? toTaskJson(task) : undefined;
  }

  update(userId: string, id: number, changes: UpdateTaskInput): TaskDto | undefined {
    const task = this.tasks.get(id);
    if (!task || task.userId !== userId) return undefined;
    Object.assign(task, toTaskFields(changes), { updatedAt: this.now() });
    return toTaskJson(task);
  }

  delete(userId: string, id: number): boolean {
    const task = this.tasks.get(id);
    return task !== undefined && task.userId === userId && this.tasks.delete(id);
  }

  /** This user's tasks, newest first. */
  list(userId: string): TaskDto[] {
    return [...this.tasks.values()].filter((task) => task.userId === userId).sort((a, b) => b.id - a.id).map(toTaskJson);
  }

  /** Adds tasks as they would have been created (any create body), oldest first. */
  seed(userId: string, inputs: CreateTaskBody[]): TaskDto[] {
    return inputs.map((input) => this.create(userId, createTaskSchema.parse(input)));
  }

  reset(): void {
    this.tasks.clear();
    this.lastId = 0;
  }
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

type Route = (context: { request: Request; url: URL; userId: string; taskId: string | undefined }) => Promise<Response>;

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
      const { status, limit, cursor } = query.data;
      const matching = store.list(userId).filter((task) => status === 'all' || task.completed === (status === 'completed'));
      const after = matching.filter((task) => cursor === undefined || task.id < cursor);
      const page = after.slice(0, limit);
      const headers: Record<string, string> = { 'x-total-count': String(matching.length) };
      if (after.length > limit) headers.link = nextPageLink(url, page.at(-1)!.id);
      return json(page, { headers });
    },
    POST: async ({ request, url, userId }) => {
      const task = store.create(userId, await parseJsonBody(request, createTaskSchema));
      return json(task, { status: 201, headers: { location: taskLocation(url.pathname, task.id) } });
    },
  };

  const update: Route = async ({ request, userId, taskId }) => {
    const id = taskIdFrom(taskId!);
    return json(found(store.update(userId, id, await parseJsonBody(request, updateTaskSchema))));
  };
  const item: Record<string, Route> = {
    GET: async ({ userId, taskId }) => json(found(store.get(userId, taskIdFrom(taskId!)))),
    PUT: update,
    PATCH: update,
    DELETE: async ({ userId, taskId }) => {
      if (!store.delete(userId, taskIdFrom(taskId!))) throw problems.notFound();
      return noContent();
    },
  };

  const complete: Record<string, Route> = {
    PATCH: async ({ request, userId, taskId }) => {
      const id = taskIdFrom(taskId!);
      const body = await parseOptionalJsonBody(request, completeTaskSchema);
      const current = found(store.get(userId, id));
      const completed = body === undefined ? !current.completed : body.completed;
      return json(found(store.update(userId, id, { completed })));
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
        const taskId = params.taskId === undefined ? undefined : String(params.taskId);
        return await route({ request, url, userId, taskId });
      } catch (error) {
        if (error instanceof HttpProblem) return problemResponse(error);
        throw error;
      }
    });
  }

  const handlers: HttpHandler[] = [false, true].flatMap((viaProxy) => [
    mount('/:userId/tasks', collection, viaProxy),
    mount('/:userId/tasks/:taskId', item, viaProxy),
    mount('/:userId/tasks/:taskId/complete', complete, viaProxy),
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
