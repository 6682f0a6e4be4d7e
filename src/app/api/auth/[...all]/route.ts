import { problemResponse, problems } from '@/lib/api/problem';
import { getAuth, TWO_FACTOR_LOCK_SECONDS } from '@/server/auth/auth';
import { clientIp } from '@/server/http/client';
import { logEvent } from '@/server/http/log';
import { withRequest } from '@/server/http/with-request';

/**
 * get-session reads the session row, not the 60 s signed cookie cache: a user deleted (by the app
 * or in SQL, which deletes their sessions) or a session revoked is signed out at once, on every
 * instance. It is not the hot path: the proxy keeps the cookie cache (0003), and the task API reads
 * the user's row on every request.
 */
function freshSessionCheck(request: Request, url: URL): Request {
  if (request.method !== 'GET' || !url.pathname.endsWith('/get-session')) return request;
  const fresh = new URL(url);
  fresh.searchParams.set('disableCookieCache', 'true');
  return new Request(fresh, { method: 'GET', headers: request.headers, signal: request.signal });
}

/** Better Auth's 429 after too many wrong two-factor codes in a row (the account's lock, not the address's limit). */
async function isTwoFactorLockout(response: Response): Promise<boolean> {
  const body: unknown = await response.json().catch(() => null);
  return !!body && typeof body === 'object' && 'code' in body && body.code === 'ACCOUNT_TEMPORARILY_LOCKED';
}

// Better Auth's handler: sign-up, sign-in, sign-out, get-session, jwks. Around it only what the
// contract adds: a 429 as a problem with `Retry-After`, a request id, and a
// log line for failed sign-ins and rate-limit hits (facts only: no email, password or cookie).
const handle = withRequest(async ({ request, url, requestId }) => {
  const response = await (await getAuth()).handler(freshSessionCheck(request, url));
  const event =
    response.status === 429
      ? 'auth_rate_limited'
      : url.pathname.endsWith('/sign-in/email') && response.status >= 400
        ? 'sign_in_failed'
        : undefined;
  if (event) logEvent('warn', event, { requestId, path: url.pathname, status: response.status, ip: clientIp(request) });

  if (response.status === 429) {
    // Better Auth answers its limit with `{"message"}` JSON and `X-Retry-After`: as every other
    // 429 of the app, a problem with `Retry-After`. Its two-factor lockout has no wait header.
    const wait = Number(response.headers.get('x-retry-after'));
    if (Number.isInteger(wait) && wait > 0) return problemResponse(problems.tooManyRequests(wait));
    return problemResponse(await isTwoFactorLockout(response) ? problems.twoFactorLocked(TWO_FACTOR_LOCK_SECONDS) : problems.tooManyRequests(10));
  }
  // A copy: the handler's own headers may be immutable, and withRequest adds the request id.
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
});

export { handle as GET, handle as POST };
