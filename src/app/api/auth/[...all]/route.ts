import { problemResponse, problems } from '@/lib/api/problem';
import { getAuth } from '@/server/auth/auth';
import { clientIp } from '@/server/http/client';
import { logEvent } from '@/server/http/log';
import { withRequest } from '@/server/http/with-request';

// Better Auth's handler: sign-up, sign-in, sign-out, get-session, jwks. Around it only what the
// contract adds: a 429 as a problem with `Retry-After`, a request id, and a
// log line for failed sign-ins and rate-limit hits (facts only: no email, password or cookie).
const handle = withRequest(async ({ request, url, requestId }) => {
  const response = await (await getAuth()).handler(request);
  const event =
    response.status === 429
      ? 'auth_rate_limited'
      : url.pathname.endsWith('/sign-in/email') && response.status >= 400
        ? 'sign_in_failed'
        : undefined;
  if (event) logEvent('warn', event, { requestId, path: url.pathname, status: response.status, ip: clientIp(request) });

  if (response.status === 429) {
    // Better Auth answers its limit with `{"message"}` JSON and `X-Retry-After`: as every other
    // 429 of the app, a problem with `Retry-After`.
    const wait = Number(response.headers.get('x-retry-after'));
    return problemResponse(problems.tooManyRequests(Number.isInteger(wait) && wait > 0 ? wait : 10));
  }
  // A copy: the handler's own headers may be immutable, and withRequest adds the request id.
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
});

export { handle as GET, handle as POST };
