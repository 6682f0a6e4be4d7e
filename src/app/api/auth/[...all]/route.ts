import { getAuth } from '@/server/auth/auth';
import { clientIp } from '@/server/http/client';
import { logEvent } from '@/server/http/log';
import { withRequest } from '@/server/http/with-request';

// Better Auth's handler: sign-up, sign-in, sign-out, get-session, jwks. Around it only what the
// contract adds: `Retry-After` on a 429 (Better Auth sends `X-Retry-After`), a request id, and a
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

  const headers = new Headers(response.headers);
  if (response.status === 429) headers.set('retry-after', response.headers.get('x-retry-after') ?? '10');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
});

export { handle as GET, handle as POST };
