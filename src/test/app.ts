import { randomBytes } from 'node:crypto';
import { vi } from 'vitest';
import * as authRoute from '@/app/api/auth/[...all]/route';
import * as tokenRoute from '@/app/api/auth/token/route';
import * as proxyRoute from '@/app/api/proxy/[...path]/route';
import { taskRouteModules } from '@/app/api/[userId]/task-api';
import { matchTaskRoute } from '@/server/http/task-routes';

/**
 * Drives the app's route handlers in-process with real Requests, as Next would call them.
 * Integration tests use these; nothing here shortcuts the handlers' own checks.
 */

export const ORIGIN = 'http://localhost:3000';

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body`. */
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

function buildRequest(method: string, url: string, options: RequestOptions = {}): Request {
  const headers = new Headers(options.headers);
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return new Request(new URL(url, ORIGIN), { method, headers, body });
}

export async function callAuth(method: 'GET' | 'POST', path: string, options: RequestOptions & { cookie?: string } = {}) {
  const headers = { origin: ORIGIN, ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers };
  const request = buildRequest(method, `/api/auth/${path}`, { ...options, headers });
  // As Next routes it: the app's own /token route before Better Auth's catch-all.
  if (method === 'GET' && new URL(request.url).pathname === '/api/auth/token') return tokenRoute.GET(request);
  return method === 'GET' ? authRoute.GET(request) : authRoute.POST(request);
}

/** `name=value; ...` from a response's Set-Cookie headers, as a browser would send them back. */
export function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .filter((pair) => !pair.endsWith('='))
    .join('; ');
}

export interface TestUser {
  id: string;
  name: string;
  email: string;
  password: string;
  cookie: string;
}

export async function signUp(name = 'Test User'): Promise<TestUser> {
  const email = `user-${randomBytes(5).toString('hex')}@example.com`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const response = await callAuth('POST', 'sign-up/email', { body: { name, email, password } });
  if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const { user } = (await response.json()) as { user: { id: string } };
  return { id: user.id, name, email, password, cookie: cookiesFrom(response) };
}

export async function tokenFor(user: { cookie: string }): Promise<string> {
  const response = await callAuth('GET', 'token', { cookie: user.cookie });
  if (response.status !== 200) throw new Error(`token failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** A request to the task API at `/api/{path}`, routed to its handler as Next would. */
export async function callApi(method: string, path: string, options: RequestOptions & { token?: string } = {}) {
  const headers = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers };
  const request = buildRequest(method, `/api/${path}`, { ...options, headers });
  const segments = new URL(request.url).pathname.slice('/api/'.length).split('/').map(decodeURIComponent);
  const route = matchTaskRoute(segments, (segment) => segment !== '');
  const handler = route && (taskRouteModules[route.name] as Record<string, unknown>)[method];
  if (!route || typeof handler !== 'function') throw new Error(`no task API handler for ${method} /api/${path}`);
  return (handler as (request: Request, context: { params: Promise<unknown> }) => Promise<Response>)(request, { params: Promise.resolve(route.params) });
}

/** A browser's request to `/api/proxy/{path}`: same-origin unless the headers say otherwise. */
export async function callProxy(method: string, path: string, options: RequestOptions & { cookie?: string } = {}) {
  const headers = { origin: ORIGIN, ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers };
  const request = buildRequest(method, `/api/proxy/${path}`, { ...options, headers });
  const handler = proxyRoute[method as keyof typeof proxyRoute];
  if (typeof handler !== 'function') throw new Error(`the proxy exports no ${method}`);
  return handler(request);
}

/**
 * Records every Request that reaches the task API's gate (the Bearer token reader every task route
 * calls first), whether it came through the proxy or not.
 */
export async function watchTaskApi() {
  const accessToken = await import('@/server/auth/access-token');
  const original = accessToken.bearerToken;
  const seen: Request[] = [];
  const spy = vi.spyOn(accessToken, 'bearerToken').mockImplementation((request) => {
    seen.push(request);
    return original(request);
  });
  return { seen, restore: () => spy.mockRestore() };
}
