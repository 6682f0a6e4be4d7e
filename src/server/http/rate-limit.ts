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
