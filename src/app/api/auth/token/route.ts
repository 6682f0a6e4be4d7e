import { HttpProblem } from '@/lib/api/problem';
import { EXTERNAL_TOKEN_TTL_SECONDS, getAuth } from '@/server/auth/auth';
import { signAccessToken } from '@/server/auth/sign-access-token';
import { json } from '@/lib/api/responses';
import { withRequest } from '@/server/http/with-request';

/**
 * `GET /api/auth/token`: a 15-minute access token for the signed-in user, for external API clients.
 * It takes precedence over Better Auth's own `/token` so the token carries `typ: at+jwt`.
 */
export const GET = withRequest(async ({ request }) => {
  const auth = await getAuth();
  // From the session row, not the cookie cache: no token for a revoked session or a deleted user.
  const session = await auth.api.getSession({ headers: request.headers, query: { disableCookieCache: true } });
  if (!session) throw new HttpProblem(401, 'Sign in to get a token.');
  return json({ token: await signAccessToken(session.user, EXTERNAL_TOKEN_TTL_SECONDS) });
});
