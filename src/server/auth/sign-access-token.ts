import type { GenericEndpointContext } from 'better-auth';
import { signJWT } from 'better-auth/plugins/jwt';
import { ACCESS_TOKEN_TYPE } from './access-token';
import { getAuth, jwtPluginOptions } from './auth';

/**
 * Access tokens for the task API: the jwt plugin's keys, issuer, audience and claims, plus the
 * RFC 9068 header `typ: at+jwt`, which the verifier requires. That header is what tells a task API
 * token apart from any other JWT signed with the same keys (Better Auth's session cookie cache,
 * a future plugin's token): those are refused as Bearer tokens (RFC 8725 §3.11).
 *
 * The plugin's own `/token` endpoint cannot set a header, so `/api/auth/token` has its own route
 * and the proxy mints here too; both call the plugin's exported `signJWT`, which takes the same
 * endpoint context Better Auth gives plugins (its `context` is the instance's `$context`).
 */

export async function signAccessToken(user: { id: string; email: string }, ttlSeconds: number): Promise<string> {
  const auth = await getAuth();
  const context = await auth.$context;
  const iat = Math.floor(Date.now() / 1000);
  return signJWT({ context } as unknown as GenericEndpointContext, {
    options: jwtPluginOptions,
    payload: { sub: user.id, email: user.email, iat, exp: iat + ttlSeconds },
    header: { typ: ACCESS_TOKEN_TYPE },
  });
}
