import { createHash } from 'node:crypto';
import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';
import { TWO_FACTOR_ERROR_CODES } from 'better-auth/plugins/two-factor';
import { consume, sharedLimiter } from '@/server/http/limiter';

/**
 * How long an authenticator code stays spent. Better Auth accepts a code of the previous, current
 * and next 30 s period (its `window` of 1), so one code is good for 90 s at most from its first use.
 */
export const TOTP_REUSE_SECONDS = 90;

/** The cookie Better Auth sets between the password and the code (its `two_factor`). */
const TWO_FACTOR_COOKIE = 'two_factor';

/** Whose code this is: the signed-in user's (confirming a setup), or the one half-way through sign-in. */
async function userOf(ctx: Parameters<Parameters<typeof createAuthMiddleware>[0]>[0]): Promise<string | null> {
  // The order Better Auth's /two-factor/verify-totp follows: a session first, then the sign-in cookie.
  const session = await getSessionFromCtx(ctx);
  if (session) return session.user.id;
  const cookie = ctx.context.createAuthCookie(TWO_FACTOR_COOKIE);
  const challenge = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
  if (!challenge) return null;
  const verification = await ctx.context.internalAdapter.findVerificationValue(challenge);
  return verification?.value ?? null;
}

/**
 * Better Auth 1.7 accepts the same TOTP code as often as it likes while it is valid: someone who
 * saw a code typed (over a shoulder, a phishing page relaying it) could sign in with it again. Each
 * (user, code) is spent on its first try, before Better Auth checks it, in the shared limiter store
 * (server/http/limiter.ts: Redis, PostgreSQL or memory), so two requests racing with one code on two
 * instances still get one answer each, at most one of them a success. A spent code gets the answer
 * of a wrong one. A mistyped code is spent too, which costs nothing: it was not the right one.
 *
 * The key is a hash, not the code: the store keeps no codes (they are useless 90 s later anyway).
 */
export const refuseReusedTotp = createAuthMiddleware(async (ctx) => {
  if (ctx.path !== '/two-factor/verify-totp') return;
  const code: unknown = (ctx.body as Record<string, unknown> | undefined)?.code;
  if (typeof code !== 'string') return; // Better Auth's own validation answers it.
  const userId = await userOf(ctx);
  if (!userId) return; // No session and no challenge: Better Auth refuses it.
  const key = createHash('sha256').update(`${userId}\n${code}`).digest('base64url');
  const limiter = await sharedLimiter('totp-used', 1, TOTP_REUSE_SECONDS);
  if (!(await consume(limiter, key)).allowed) throw APIError.from('UNAUTHORIZED', TWO_FACTOR_ERROR_CODES.INVALID_CODE);
});
