import { afterAll, afterEach, expect, vi } from 'vitest';
import { problemSchema, type Problem } from '@/lib/api/problem';
import { encodeCursor, parseListQuery, taskSchema, type TaskDto } from '@/lib/api/task-schemas';
import * as proxyRoute from '@/app/api/proxy/[...path]/route';
import { taskRouteModules } from '@/app/api/[userId]/task-api';
import { matchTaskRoute } from '@/server/http/task-routes';
import { callApi, ORIGIN } from '@/test/app';

/**
 * Shared tools of the attack suite. Unlike src/test/app.ts, the request builders here send exactly
 * the headers they are given (no default Origin), and HEAD and OPTIONS are answered as Next answers
 * them in production (see `nextDispatch`).
 */

export const UNSAFE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

export interface RawRequestOptions {
  /** Exactly these headers, nothing added (no Origin unless given). */
  headers?: Record<string, string>;
  cookie?: string;
  /** JSON-encoded, with `Content-Type: application/json` unless headers say otherwise. */
  body?: unknown;
  rawBody?: BodyInit;
}

export function rawRequest(method: string, path: string, options: RawRequestOptions = {}): Request {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set('cookie', options.cookie);
  let body = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const init: RequestInit & { duplex?: 'half' } = { method, headers, body };
  if (body instanceof ReadableStream) init.duplex = 'half';
  return new Request(new URL(path, ORIGIN), init);
}

type AnyHandler = (request: Request, context?: unknown) => Promise<Response> | Response;

/**
 * A route module's handler of `method` as Next's app router picks it: the module's own export; for
 * HEAD its GET; for OPTIONS an empty 204 with `Allow` and no CORS headers (the smoke test holds
 * the production server to the same over real HTTP). Every route file here exports all five other
 * methods, so Next's 405 for a missing one never applies.
 */
function nextDispatch(module: object, method: string): AnyHandler {
  const handlers = module as Record<string, AnyHandler | undefined>;
  const own = handlers[method];
  if (own) return own;
  // Next hands HEAD to GET; its HTTP server then sends the headers without the body.
  if (method === 'HEAD' && handlers.GET) return handlers.GET;
  if (method === 'OPTIONS') {
    const allow = ['OPTIONS', ...(handlers.GET ? ['HEAD'] : []), ...Object.keys(handlers).filter((name) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(name))];
    return () => new Response(null, { status: 204, headers: { allow: allow.sort().join(', ') } });
  }
  throw new Error(`Next has no handler for ${method}`);
}

/**
 * The request handed to the proxy's route module as Next would. The URL is whatever the request
 * holds, even when URL parsing normalised a `..` out of `/api/proxy/`: the proxy must refuse those.
 */
export async function sendToProxy(request: Request): Promise<Response> {
  return nextDispatch(proxyRoute, request.method)(request);
}

export function proxy(method: string, path: string, options: RawRequestOptions = {}): Promise<Response> {
  return sendToProxy(rawRequest(method, `/api/proxy/${path}`, options));
}

/** A same-origin browser request to the proxy (Origin set), for the cases that are not about CSRF. */
export function proxyAs(cookie: string, method: string, path: string, options: Omit<RawRequestOptions, 'cookie'> = {}) {
  return proxy(method, path, { ...options, cookie, headers: { origin: ORIGIN, ...options.headers } });
}

/** A request to the task API at `/api/{path}`, dispatched as Next would (its 405 and OPTIONS included). */
export async function sendToApi(request: Request): Promise<Response> {
  const pathname = new URL(request.url).pathname;
  const segments = pathname.slice('/api/'.length).split('/').map(decodeURIComponent);
  const route = matchTaskRoute(segments, (segment) => segment !== '');
  if (!route) throw new Error(`no task API route for ${pathname}`);
  return nextDispatch(taskRouteModules[route.name], request.method)(request, { params: Promise.resolve(route.params) });
}

export function api(method: string, path: string, options: RawRequestOptions & { token?: string } = {}) {
  const headers = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers };
  return sendToApi(rawRequest(method, `/api/${path}`, { ...options, headers }));
}

/** Asserts an RFC 9457 problem of `status` and returns it. */
export async function expectProblem(response: Response, status: number, what = ''): Promise<Problem> {
  const text = await response.text();
  expect(response.status, `${what} → ${response.status} ${text.slice(0, 300)}`).toBe(status);
  expect(response.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
  const problem = problemSchema.parse(JSON.parse(text));
  expect(problem.status, what).toBe(status);
  return problem;
}

/** The proxy's (and the task API's) single 404 answer. */
export const NOT_FOUND_PROBLEM = { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Not found.' };

export interface ListSnapshot {
  status: number;
  total: string | null;
  /** The task list's exact bytes. */
  body: string;
  tasks: TaskDto[];
  /** The exact bytes of the user's lists and tags. */
  lists: string;
  tags: string;
}

/** Everything a user owns, as their own token sees it: up to 200 tasks, their lists and their tags. */
export async function snapshot(token: string): Promise<ListSnapshot> {
  const response = await callApi('GET', 'me/tasks?limit=200', { token });
  const body = await response.text();
  expect(response.status, `snapshot: ${body.slice(0, 200)}`).toBe(200);
  const [lists, tags] = await Promise.all(['me/lists', 'me/tags'].map(async (path) => {
    const answer = await callApi('GET', path, { token });
    expect(answer.status, path).toBe(200);
    return answer.text();
  }));
  return { status: response.status, total: response.headers.get('x-total-count'), body, tasks: taskSchema.array().parse(JSON.parse(body)), lists: lists!, tags: tags! };
}

export async function createTask(token: string, body: Record<string, unknown>): Promise<TaskDto> {
  const response = await callApi('POST', 'me/tasks', { token, body });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return taskSchema.parse(JSON.parse(text));
}

/** No CORS grant of any kind: a foreign page can neither read the answer nor send credentials. */
export function expectNoCors(response: Response, what = '') {
  for (const name of ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers']) {
    expect(response.headers.get(name), `${what}: ${name}`).toBeNull();
  }
}

/** `name=value` of one cookie in a Cookie header string. */
export function cookieNamed(cookie: string, suffix: string): string | undefined {
  return cookie.split('; ').find((pair) => pair.split('=')[0]!.endsWith(suffix));
}

/**
 * Captures everything the app writes to the console instead of printing it, so an attack file's
 * output stays readable and a test can assert what was (and was not) logged.
 */
export function captureLogs() {
  const lines: string[] = [];
  const record = (...args: unknown[]) => {
    lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
  };
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((name) => vi.spyOn(console, name).mockImplementation(record));
  return {
    lines,
    /** Lines of an `unhandled_error` event: a handler threw something that became a 500. */
    unhandled: () => lines.filter((line) => line.includes('"unhandled_error"')),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/** For a whole attack file: logs captured, and any test that ended a request in a 500 fails. */
export function failOnUnhandledErrors(): void {
  const logs = captureLogs();
  afterEach(() => {
    expect(logs.unhandled(), 'a request ended in an unhandled 500').toEqual([]);
  });
  afterAll(() => logs.restore());
}

/** A cursor of the default list query (newest first, no filter) that starts after task `id`. */
export function cursorAfter(id: number): string {
  return encodeCursor(parseListQuery(new URLSearchParams()).data!, { keys: [], id });
}
