import { LRUCache } from 'lru-cache';

/**
 * The process's in-memory caches: bounded (least recently used out first), each entry trusted
 * until an instant, kept on globalThis so `next dev` re-evaluating a module does not start a new
 * one, and cleared at once by `clearCaches()` (tests).
 *
 * They sit on one chain, each link trusting the one before it for a bounded time:
 *
 *   session cookie ──▶ session ──▶ proxy token ──▶ verified token ──▶ the task API's userId
 *
 * - `proxy-sessions` (server/proxy/session.ts): a cookie pair Better Auth accepted from its
 *   signed cookie cache, trusted until that cache expires (SESSION_COOKIE_CACHE_SECONDS, 60 s).
 *   A session revoked in the database keeps proxy access for at most that long.
 * - `proxy-tokens` (server/proxy/token.ts): the 60 s access token minted for a session, reused
 *   until 20 s before its `exp`.
 * - `verified-tokens` (server/auth/access-token.ts): a token whose signature verified, trusted for
 *   at most 60 s, never past its `exp` nor its key's next look-up (5 minutes) or retirement. A
 *   deleted user's token stops at once anyway: every task query reads the user's row.
 *
 * So a revoked session, a password change or a sign-out elsewhere ends proxy access within 60 s;
 * README "Security model" states the windows, the session and token attack suites test them, and
 * docs/decisions/0003-short-lived-trust-caches.md says why these caches exist.
 */

type Holder = typeof globalThis & { __tasklaneCaches?: Map<string, LRUCache<string, object>> };
const caches = ((globalThis as Holder).__tasklaneCaches ??= new Map());

/**
 * Expiry instants come from wall-clock sources (a token's `exp`, a cookie cache's `expiresAt`), so
 * entries are timed on the same clock (lru-cache's default, performance.now(), is another one).
 */
const wallClock = { now: () => Date.now() };

export interface ExpiringCache<V extends object> {
  get(key: string): V | undefined;
  /** Keeps `value` until the instant `until` (epoch ms); one already past is not kept. */
  set(key: string, value: V, until: number): void;
  delete(key: string): void;
}

export function expiringCache<V extends object>(name: string, max: number): ExpiringCache<V> {
  let cache = caches.get(name) as LRUCache<string, V> | undefined;
  if (!cache) {
    // ttlResolution 0: read the clock on every look-up, so an entry is never served past its instant.
    cache = new LRUCache<string, V>({ max, perf: wallClock, ttlResolution: 0 });
    caches.set(name, cache as unknown as LRUCache<string, object>);
  }
  const entries = cache;
  return {
    get: (key) => entries.get(key),
    set: (key, value, until) => {
      // lru-cache serves an entry while `now - start <= ttl`: this ttl makes the last instant served `until - 1`.
      const ttl = until - Date.now() - 1;
      if (ttl > 0) entries.set(key, value, { ttl });
    },
    delete: (key) => void entries.delete(key),
  };
}

/** Empties every cache of this process (tests that change the database under the app). */
export function clearCaches(): void {
  for (const cache of caches.values()) cache.clear();
}
