import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { problems } from '@/lib/api/problem';
import { env } from '@/server/env';

/**
 * The task API's per-user quota (API4:2023): `TASK_API_RATE_LIMIT` requests per user per minute,
 * counted in this process's memory, keyed by the verified token's `sub`, so one user's flood never
 * slows another user down. Over the quota: 429 with `Retry-After`.
 */

const holder = globalThis as typeof globalThis & { __tasklaneApiLimiter?: RateLimiterMemory | null };

function limiter(): RateLimiterMemory | null {
  if (holder.__tasklaneApiLimiter === undefined) {
    holder.__tasklaneApiLimiter =
      env.taskApiRateLimit > 0 ? new RateLimiterMemory({ points: env.taskApiRateLimit, duration: 60 }) : null;
  }
  return holder.__tasklaneApiLimiter;
}

export async function consumeTaskApiQuota(userId: string): Promise<void> {
  const active = limiter();
  if (!active) return;
  try {
    await active.consume(userId);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw problems.tooManyRequests(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
    throw error;
  }
}

/** Gives `userId` a whole quota again (tests that walk more pages than a minute's quota as one user). */
export async function resetTaskApiQuota(userId: string): Promise<void> {
  await limiter()?.delete(userId);
}

/**
 * Failed token checks per client address (a flood of forged tokens, random kids): each costs at
 * most one primary-key lookup, and after FAILED_AUTH_LIMIT in a minute the address gets 429 for
 * the rest of the minute, even with a good token. Only where the address is known (server.mjs or
 * Vercel set it).
 */
export const FAILED_AUTH_LIMIT = 60;
const authHolder = globalThis as typeof globalThis & { __tasklaneFailedAuth?: RateLimiterMemory };
const failedAuth = (authHolder.__tasklaneFailedAuth ??= new RateLimiterMemory({ points: FAILED_AUTH_LIMIT, duration: 60 }));

export async function assertNotLockedOut(ip: string | undefined): Promise<void> {
  if (ip === undefined) return;
  const state = await failedAuth.get(ip);
  if (state !== null && state.consumedPoints >= FAILED_AUTH_LIMIT) {
    throw problems.tooManyRequests(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
  }
}

export async function countFailedAuthentication(ip: string | undefined): Promise<void> {
  if (ip === undefined) return;
  await failedAuth.penalty(ip, 1);
}
