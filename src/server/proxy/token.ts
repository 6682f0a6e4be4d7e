import { signAccessToken } from '@/server/auth/sign-access-token';
import { expiringCache } from '@/server/cache';
import type { SessionIdentity } from './session';

/**
 * Short-lived tokens the proxy attaches for a signed-in browser. They are ordinary access tokens
 * (same keys, issuer, audience, and the same verification in the task API), minted for 60 s and
 * reused per session until 20 s before they expire, so a busy page does not sign a JWT per request
 * (docs/decisions/0003-short-lived-trust-caches.md).
 */

export const PROXY_TOKEN_TTL_SECONDS = 60;
const REUSE_MARGIN_SECONDS = 20;
const REUSE_MARGIN_MS = REUSE_MARGIN_SECONDS * 1000;

/** Per session: its token, until 20 s before that token expires. See server/cache.ts for the chain. */
const cache = expiringCache<{ token: string }>('proxy-tokens', 10_000);

export async function proxyTokenFor(identity: SessionIdentity): Promise<string> {
  const key = `${identity.sessionId}:${identity.userId}`;
  const cached = cache.get(key);
  if (cached) return cached.token;
  // The token's `exp` is whole seconds from now; reuse it until REUSE_MARGIN before that.
  const expiresAt = (Math.floor(Date.now() / 1000) + PROXY_TOKEN_TTL_SECONDS) * 1000;
  const token = await signAccessToken({ id: identity.userId, email: identity.email }, PROXY_TOKEN_TTL_SECONDS);
  cache.set(key, { token }, expiresAt - REUSE_MARGIN_MS);
  return token;
}

