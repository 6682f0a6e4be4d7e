import { problems } from '@/lib/api/problem';
import { env } from '@/server/env';
import { consume, retryAfterOf, sharedLimiter } from './limiter';

/**
 * The task API's own limits, counted once across every instance that shares a database or a
 * `REDIS_URL` (server/http/limiter.ts says where).
 */

/**
 * The per-user quota (API4:2023): `TASK_API_RATE_LIMIT` requests per user per minute, keyed by the
 * verified token's `sub`, so one user's flood never slows another user down. Over it: 429 with
 * `Retry-After`.
 */
const quota = () => sharedLimiter('quota', env.taskApiRateLimit, 60);

export async function consumeTaskApiQuota(userId: string): Promise<void> {
  if (env.taskApiRateLimit <= 0) return;
  const result = await consume(await quota(), userId);
  if (!result.allowed) throw problems.tooManyRequests(result.retryAfter);
}

/** Gives `userId` a whole quota again (tests that walk more pages than a minute's quota as one user). */
export async function resetTaskApiQuota(userId: string): Promise<void> {
  if (env.taskApiRateLimit > 0) await (await quota()).delete(userId);
}

/**
 * Failed token checks per client address (a flood of forged tokens, random kids): each costs at
 * most one primary-key lookup, and after FAILED_AUTH_LIMIT in a minute the address gets 429 for
 * the rest of the minute, even with a good token. Only where the address is known (server.mjs or
 * Vercel set it).
 */
export const FAILED_AUTH_LIMIT = 60;
const failedAuth = () => sharedLimiter('failed-auth', FAILED_AUTH_LIMIT, 60);

export async function assertNotLockedOut(ip: string | undefined): Promise<void> {
  if (ip === undefined) return;
  const state = await (await failedAuth()).get(ip);
  if (state !== null && state.consumedPoints >= FAILED_AUTH_LIMIT) throw problems.tooManyRequests(retryAfterOf(state));
}

export async function countFailedAuthentication(ip: string | undefined): Promise<void> {
  if (ip === undefined) return;
  await (await failedAuth()).penalty(ip, 1);
}
