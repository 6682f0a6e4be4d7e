import { signAccessToken } from '@/server/auth/sign-access-token';
import type { SessionIdentity } from './session';

/**
 * Short-lived tokens the proxy attaches for a signed-in browser. They are ordinary access tokens
 * (same keys, issuer, audience, and the same verification in the task API), minted for 60 s and
 * reused per session until 20 s before they expire, so a busy page does not sign a JWT per request.
 */

export const PROXY_TOKEN_TTL_SECONDS = 60;
const REUSE_MARGIN_SECONDS = 20;
const MAX_CACHED_SESSIONS = 10_000;

interface CachedToken {
  token: string;
  expiresAt: number;
}

const holder = globalThis as typeof globalThis & { __tasklaneProxyTokens?: Map<string, CachedToken> };
const cache = (holder.__tasklaneProxyTokens ??= new Map());

export async function proxyTokenFor(identity: SessionIdentity): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const key = `${identity.sessionId}:${identity.userId}`;
  const cached = cache.get(key);
  if (cached && cached.expiresAt - now > REUSE_MARGIN_SECONDS) return cached.token;

  const expiresAt = now + PROXY_TOKEN_TTL_SECONDS;
  const token = await signAccessToken({ id: identity.userId, email: identity.email }, PROXY_TOKEN_TTL_SECONDS);
  if (cache.size >= MAX_CACHED_SESSIONS) {
    // Maps iterate in insertion order: drop the oldest entry.
    cache.delete(cache.keys().next().value!);
  }
  cache.set(key, { token, expiresAt });
  return token;
}

