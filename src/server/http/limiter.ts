import { RateLimiterDrizzle, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { getDb } from '@/server/db/client';
import { rateLimits } from '@/server/db/schema';
import { env } from '@/server/env';
import { getRedis } from '@/server/redis';

/**
 * Where the rate limits count, so that instances sharing a database never allow twice a limit
 * (contract, "Limits"; docs/decisions/0016-limits-shared-across-instances.md):
 *
 * - `REDIS_URL` set: in Redis (one INCR and PEXPIRE script per request);
 * - else a PostgreSQL server (`DATABASE_URL`): a row of `rate_limits`, one atomic upsert;
 * - else (the embedded database, one process by construction): in this process's memory.
 *
 * Every limit is a fixed window of `duration` seconds from its first request, the same in the three
 * stores. When Redis does not answer, a limiter counts in memory instead (rate-limiter-flexible's
 * insurance limiter): Redis away never turns a request into a 5xx. When the database does not
 * answer, the request is a 503 like any other that needs it.
 */

export type LimiterStore = 'redis' | 'database' | 'memory';

export function limiterStore(): LimiterStore {
  if (env.redisUrl !== undefined) return 'redis';
  return env.database.kind === 'pglite' ? 'memory' : 'database';
}

type Holder = typeof globalThis & { __tasklaneLimiters?: Map<string, Promise<RateLimiterAbstract>> };
const limiters = ((globalThis as Holder).__tasklaneLimiters ??= new Map());

async function create(name: string, points: number, duration: number): Promise<RateLimiterAbstract> {
  const options = { keyPrefix: name, points, duration };
  switch (limiterStore()) {
    case 'redis':
      return new RateLimiterRedis({ ...options, storeClient: await getRedis()!, insuranceLimiter: new RateLimiterMemory(options) });
    case 'database':
      // No insurance: when the database does not answer, neither would the request's own queries;
      // its error is the request's 503 at once, rather than a second wait for the same outage.
      // Expired rows are purged by the reminder run (server/reminders.ts), not by a timer per limiter.
      return new RateLimiterDrizzle({ ...options, storeClient: await getDb(), schema: rateLimits, clearExpiredByTimeout: false });
    case 'memory':
      return new RateLimiterMemory(options);
  }
}

/** The limiter named `name` allowing `points` per `duration` seconds: one per process and settings. */
export function sharedLimiter(name: string, points: number, duration: number): Promise<RateLimiterAbstract> {
  const id = `${name}:${points}:${duration}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = create(name, points, duration);
    // A database not open yet (at boot, in an outage) must not leave a failed promise behind.
    limiter.catch(() => limiters.delete(id));
    limiters.set(id, limiter);
  }
  return limiter;
}

/** Counts one request against `key`: `retryAfter` (whole seconds) when the limit is reached. */
export async function consume(limiter: RateLimiterAbstract, key: string): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
  try {
    await limiter.consume(key);
    return { allowed: true };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { allowed: false, retryAfter: retryAfterOf(error) };
    throw error;
  }
}

export function retryAfterOf(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

/** Forgets every limiter of this process (tests that change the environment between runs). */
export function resetLimiters(): void {
  limiters.clear();
}
