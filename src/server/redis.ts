import type { Redis } from 'ioredis';
import { env } from '@/server/env';
import { logEvent } from '@/server/http/log';

/**
 * The process's one Redis connection (`REDIS_URL`), opened at first use and kept on globalThis like
 * the database client. It holds the rate limits' counters when set (server/http/limiter.ts).
 *
 * A limit must never make a request hang or fail: a command waits at most a second, is retried at
 * most once, and the limiter then counts in this process's memory until Redis answers again
 * (rate-limiter-flexible's insurance limiter). Lost connections are logged once per outage, with
 * the error's code, never the URL (it may hold a password).
 */

const holder = globalThis as typeof globalThis & { __tasklaneRedis?: Promise<Redis> };

async function open(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    // Reconnect after 100 ms, growing to 2 s: Redis back from a restart is used again within seconds.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
  let down = false;
  client.on('error', (error: NodeJS.ErrnoException) => {
    if (down) return;
    down = true;
    logEvent('warn', 'redis_unavailable', { error: error.code ?? error.name, note: 'rate limits count in this process until Redis answers' });
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logEvent('info', 'redis_available');
  });
  return client;
}

export function getRedis(url: string | undefined = env.redisUrl): Promise<Redis> | undefined {
  if (url === undefined) return undefined;
  holder.__tasklaneRedis ??= open(url);
  return holder.__tasklaneRedis;
}

/** Ends the connection (server.mjs on SIGTERM, tests). The next getRedis() opens a new one. */
export async function closeRedis(): Promise<void> {
  const client = holder.__tasklaneRedis;
  holder.__tasklaneRedis = undefined;
  if (client) await (await client).quit().catch(() => undefined);
}
