import type { GenericEndpointContext } from 'better-auth';
import { signJWT } from 'better-auth/plugins/jwt';
import { SignJWT } from 'jose';
import { env } from '@/server/env';
import { ACCESS_TOKEN_TYPE, hs256Key } from './access-token';
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
 *
 * With `ACCESS_TOKEN_ALG=HS256` the plugin cannot sign (it has no HMAC algorithm): jose signs with
 * the shared secret instead, with the same claims, so the seeds' python-jose and PyJWT verifiers
 * accept the token (docs/decisions/0014-shared-secret-access-tokens.md).
 */

export async function signAccessToken(user: { id: string; email: string }, ttlSeconds: number): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const claims = { sub: user.id, email: user.email, iat, exp: iat + ttlSeconds };
  if (env.accessToken.alg === 'HS256') {
    // `user_id` too: services written from seed 004 read the user from it.
    return new SignJWT({ ...claims, user_id: user.id })
      .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE })
      .setIssuer(env.jwtIssuer)
      .setAudience(env.jwtAudience)
      .sign(hs256Key(env.accessToken.secrets[0]!.value));
  }
  const auth = await getAuth();
  const context = await auth.$context;
  return signJWT({ context } as unknown as GenericEndpointContext, {
    options: jwtPluginOptions,
    payload: claims,
    header: { typ: ACCESS_TOKEN_TYPE },
  });
}
