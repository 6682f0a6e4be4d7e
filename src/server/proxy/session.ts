import { parseCookies } from 'better-auth/cookies';
import { getAuth } from '@/server/auth/auth';
import { expiringCache } from '@/server/cache';

/**
 * The proxy's session check. A cookie pair Better Auth accepted from its signed cookie cache (it
 * set no cookie) is remembered until that cache expires, at most 60 s: the same trust for the same
 * time, without re-running get-session's costly pipeline
 * (docs/decisions/0003-short-lived-trust-caches.md).
 */

/** Who a proxied request acts for: the session, and its user. */
export interface SessionIdentity {
  sessionId: string;
  userId: string;
  email: string;
}

export interface CheckedSession {
  identity: SessionIdentity;
  /** Cookies Better Auth set while checking (a new cookie cache): passed back to the browser. */
  setCookies: string[];
}

/** Cookie pairs Better Auth accepted from its cookie cache, until that cache expires. See server/cache.ts for the chain. */
const remembered = expiringCache<SessionIdentity>('proxy-sessions', 10_000);

/** The expiry Better Auth wrote into its compact cookie cache (base64url JSON with `expiresAt`). */
function cacheExpiry(sessionData: string): number | undefined {
  try {
    const { expiresAt } = JSON.parse(Buffer.from(sessionData, 'base64url').toString('utf8')) as { expiresAt?: unknown };
    return typeof expiresAt === 'number' && Number.isFinite(expiresAt) ? expiresAt : undefined;
  } catch {
    return undefined;
  }
}

export async function checkProxySession(headers: Headers): Promise<CheckedSession | undefined> {
  const auth = await getAuth();
  const { authCookies } = await auth.$context;
  // Better Auth's own parser (values percent-decoded), as its session check reads them.
  const cookies = parseCookies(headers.get('cookie') ?? '');
  const token = cookies.get(authCookies.sessionToken.name);
  const data = cookies.get(authCookies.sessionData.name);
  const key = token !== undefined && data !== undefined ? `${token} ${data}` : undefined;
  const hit = key === undefined ? undefined : remembered.get(key);
  if (hit) return { identity: hit, setCookies: [] };

  const { response: session, headers: answer } = await auth.api.getSession({ headers, returnHeaders: true });
  if (!session) return undefined;
  const identity = { sessionId: session.session.id, userId: session.user.id, email: session.user.email };
  const setCookies = answer.getSetCookie();
  const expiry = data === undefined ? undefined : cacheExpiry(data);
  if (key !== undefined && setCookies.length === 0 && expiry !== undefined) {
    remembered.set(key, identity, Math.min(expiry, new Date(session.session.expiresAt).getTime()));
  }
  return { identity, setCookies };
}
