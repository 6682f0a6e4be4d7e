import { HttpProblem, problems } from '@/lib/api/problem';
import { checkProxySession } from '@/server/auth/proxy-session';
import { proxyTokenFor } from '@/server/auth/proxy-token';
import { isSameOriginRequest } from '@/server/http/origin';
import { withRequest } from '@/server/http/with-request';
import { matchTaskRoute } from '../../[userId]/tasks/routes';

/**
 * The BFF: browser (session cookie) → this route → the task API's own route handler, in-process,
 * with `Authorization: Bearer <short-lived JWT>`. The handler verifies that token exactly as it
 * verifies an external client's. Only the method, the path's task API part, the query, the body
 * and its content type are passed on: never the browser's cookies or Authorization.
 */

const PREFIX = '/api/proxy/';
const TASK_API_PREFIX = '/api/';
/** Headers of the task API's answer that reach the browser. */
const PASSED_BACK = ['content-type', 'cache-control', 'link', 'location', 'x-total-count', 'retry-after', 'allow', 'x-request-id'];

function toProxyPath(value: string): string {
  return value.replaceAll(`<${TASK_API_PREFIX}`, `<${PREFIX}`).replace(new RegExp(`^${TASK_API_PREFIX}`), PREFIX);
}

const forward = withRequest(async ({ request, url, requestId }) => {
  // The raw path, not Next's decoded params, so `%2F` and friends cannot sneak past the match.
  const route = url.pathname.startsWith(PREFIX) ? matchTaskRoute(url.pathname.slice(PREFIX.length).split('/')) : undefined;
  if (!route) throw problems.notFound();
  // HEAD is a GET whose body Next drops.
  const method = (request.method === 'HEAD' ? 'GET' : request.method) as keyof typeof route.handlers;
  const handler = route.handlers[method];
  if (!handler) throw problems.methodNotAllowed(Object.keys(route.handlers));
  if (!isSameOriginRequest(request)) throw new HttpProblem(403, 'Cross-origin requests are not allowed.');

  const session = await checkProxySession(request.headers);
  if (!session) throw new HttpProblem(401, 'Sign in to continue.');
  const token = await proxyTokenFor(session.identity);

  const headers = new Headers({ authorization: `Bearer ${token}` });
  for (const name of ['content-type', 'accept']) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const withBody = method !== 'GET' && request.body !== null;
  const forwarded = new Request(new URL(`${TASK_API_PREFIX}${url.pathname.slice(PREFIX.length)}${url.search}`, url.origin), {
    method,
    headers,
    body: withBody ? request.body : null,
    signal: request.signal,
    ...(withBody ? { duplex: 'half' } : {}),
  } as RequestInit);
  const answer = await handler(forwarded, { params: Promise.resolve(route.params), requestId });

  const back = new Headers();
  for (const name of PASSED_BACK) {
    const value = answer.headers.get(name);
    if (value !== null) back.set(name, name === 'link' || name === 'location' ? toProxyPath(value) : value);
  }
  // Better Auth may refresh the session (sliding expiry, a new cookie cache): pass its cookies on.
  for (const cookie of session.setCookies) back.append('set-cookie', cookie);
  return new Response(answer.body, { status: answer.status, headers: back });
  // The proxy's own refusals; one the task API makes behind it is logged there, under the same id.
}, { refusals: { 401: 'proxy_unauthorized', 403: 'proxy_forbidden' } });

export { forward as GET, forward as POST, forward as PUT, forward as PATCH, forward as DELETE };
