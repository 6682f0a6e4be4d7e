import type { RateLimiterRes } from 'rate-limiter-flexible';
import { problems } from '@/lib/api/problem';
import { expiringCache } from '@/server/cache';
import { env } from '@/server/env';
import { consume, sharedLimiter } from './limiter';

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
 *
 * Every failure is counted in the shared store, and its answer (the address's count across all
 * instances) is this process's view of the address; a view is trusted for at most a second, so a
 * client in good standing costs one store look-up per second rather than one per request. An
 * address locked out by failures on another instance is refused here within that second; failures
 * here see the shared count at once.
 */
export const FAILED_AUTH_LIMIT = 60;
const VIEW_MS = 1_000;
const failedAuth = () => sharedLimiter('failed-auth', FAILED_AUTH_LIMIT, 60);
const views = expiringCache<{ failures: number; resetAt: number }>('failed-auth-views', 10_000);

function remember(ip: string, state: RateLimiterRes | null) {
  const now = Date.now();
  const view = { failures: state?.consumedPoints ?? 0, resetAt: now + Math.max(0, state?.msBeforeNext ?? 0) };
  // Never past the end of the address's window: a lockout ends when the window does.
  views.set(ip, view, state ? Math.min(now + VIEW_MS, view.resetAt) : now + VIEW_MS);
  return view;
}

export async function assertNotLockedOut(ip: string | undefined): Promise<void> {
  if (ip === undefined) return;
  const view = views.get(ip) ?? remember(ip, await (await failedAuth()).get(ip));
  if (view.failures >= FAILED_AUTH_LIMIT) throw problems.tooManyRequests(Math.max(1, Math.ceil((view.resetAt - Date.now()) / 1000)));
}

export async function countFailedAuthentication(ip: string | undefined): Promise<void> {
  if (ip === undefined) return;
  remember(ip, await (await failedAuth()).penalty(ip, 1));
}
