import { HttpProblem, problems } from '@/lib/api/problem';
import { isMethod, matchTaskRoute, type MatchedTaskRoute, type Method } from '@/server/http/task-routes';
import { env } from '@/server/env';
import { isSameOriginRequest } from '@/server/http/origin';
import type { RequestCall } from '@/server/http/with-request';
import { checkProxySession, type CheckedSession } from './session';
import { PASSED_BACK, PASSED_ON, type TaskApi } from './task-api';
import { proxyTokenFor } from './token';

/**
 * The BFF: browser (session cookie) → `/api/proxy/{user_id}/tasks...` → the task API with
 * `Authorization: Bearer <short-lived JWT>`, which verifies that token exactly as it verifies an
 * external client's. Each step below is one check or one translation; `forward` is their order.
 */

export const PROXY_PREFIX = '/api/proxy/';
const TASK_API_PREFIX = '/api/';
/** The answer's headers the browser gets: the task API's (task-api.ts), and the request id both sides logged under. */
const TO_BROWSER = [...PASSED_BACK, 'x-request-id'];

/** The task route of the raw path (not Next's decoded params, so `%2F` and friends cannot sneak past), and the method it serves. */
function match(request: Request, url: URL): { route: MatchedTaskRoute; method: Method } {
  const raw = url.pathname.startsWith(PROXY_PREFIX) ? matchTaskRoute(url.pathname.slice(PROXY_PREFIX.length).split('/')) : undefined;
  const route = raw && decodeParams(raw);
  if (!route) throw problems.notFound();
  // HEAD is a GET whose body Next drops.
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  if (!isMethod(method) || !route.methods.includes(method)) throw problems.methodNotAllowed([...route.methods]);
  return { route, method };
}

/** The route's params as a handler receives them from Next: percent-decoded (a tag name may hold any character). */
function decodeParams(route: MatchedTaskRoute): MatchedTaskRoute | undefined {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(route.params)) {
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      return undefined; // not valid percent-encoding: no such path
    }
  }
  return { ...route, params: params as unknown as MatchedTaskRoute['params'] };
}

function assertSameOrigin(request: Request): void {
  if (!isSameOriginRequest(request)) throw new HttpProblem(403, 'Cross-origin requests are not allowed.');
}

async function requireSession(request: Request): Promise<CheckedSession> {
  const session = await checkProxySession(request.headers);
  if (!session) throw new HttpProblem(401, 'Sign in to continue.');
  return session;
}

/** The request the task API sees: the same path under /api/, the query, the body, the token, nothing else. */
function toTaskApiRequest(request: Request, url: URL, method: Method, token: string): Request {
  const headers = new Headers({ authorization: `Bearer ${token}` });
  for (const name of PASSED_ON) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const withBody = method !== 'GET' && request.body !== null;
  return new Request(new URL(`${TASK_API_PREFIX}${url.pathname.slice(PROXY_PREFIX.length)}${url.search}`, url.origin), {
    method,
    headers,
    body: withBody ? request.body : null,
    signal: request.signal,
    ...(withBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

function toProxyPath(value: string): string {
  return value.replaceAll(`<${TASK_API_PREFIX}`, `<${PROXY_PREFIX}`).replace(new RegExp(`^${TASK_API_PREFIX}`), PROXY_PREFIX);
}

/** The browser's answer: status, body and the listed headers, links as proxy paths, and any cookie Better Auth refreshed. */
function rewrite(answer: Response, session: CheckedSession): Response {
  const headers = new Headers();
  for (const name of TO_BROWSER) {
    const value = answer.headers.get(name);
    if (value !== null) headers.set(name, name === 'link' || name === 'location' ? toProxyPath(value) : value);
  }
  // Better Auth may refresh the session (sliding expiry, a new cookie cache): pass its cookies on.
  for (const cookie of session.setCookies) headers.append('set-cookie', cookie);
  return new Response(answer.body, { status: answer.status, headers });
}

export async function forward({ request, url, requestId }: RequestCall, taskApi: TaskApi): Promise<Response> {
  const { route, method } = match(request, url);
  assertSameOrigin(request);
  const session = await requireSession(request);
  const token = await proxyTokenFor(session.identity);
  const answer = await taskApi.send({ route, request: toTaskApiRequest(request, url, method, token), userId: session.identity.userId, requestId });
  return rewrite(answer, session);
}

/**
 * What the browser would get from `GET /api/proxy/...` (`proxyPath`) with these cookies, for a
 * page's first render on the server: the same session check, token, task API and rewritten links.
 */
export function getAsBrowser(taskApi: TaskApi, proxyPath: string, cookie: string): Promise<Response> {
  const url = new URL(proxyPath, env.baseUrl);
  return forward({ request: new Request(url, { headers: { cookie } }), url, requestId: crypto.randomUUID() }, taskApi);
}
