import { createHmac, createPublicKey, generateKeyPairSync, sign as cryptoSign, KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GenericEndpointContext } from 'better-auth';
import { resolveSigningKey } from 'better-auth/plugins/jwt';
import { decodeJwt, decodeProtectedHeader, exportJWK, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAuth, jwtPluginOptions } from '@/server/auth/auth';
import { FAILED_AUTH_LIMIT } from '@/server/http/rate-limit';
import { callApi, callAuth, callProxy, ORIGIN, signUp, tokenFor, type TestUser } from '@/test/app';

// RFC 8725 / ASVS V9 / RFC 6750: every forged token is signed with the app's REAL private key
// unless the attack is precisely not having it, so each refusal is the check under test and not
// a bad signature.

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

let alice: TestUser;
let aliceToken: string;
let signingKey: { alg: string; kid: string; privateKey: KeyObject };
let publicJwk: JWK;

function claims(overrides: Partial<JWTPayload> = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { sub: alice.id, email: alice.email, iat: now, exp: now + 300, iss: ORIGIN, aud: ORIGIN, ...overrides };
}

/** header.payload signed with the app's Ed25519 key, whatever the header says. */
function forge(header: Record<string, unknown>, payload: JWTPayload = claims()): string {
  const input = `${b64({ alg: signingKey.alg, kid: signingKey.kid, typ: 'at+jwt', ...header })}.${b64(payload)}`;
  return `${input}.${cryptoSign(null, Buffer.from(input), signingKey.privateKey).toString('base64url')}`;
}

function withoutClaim(name: keyof JWTPayload): JWTPayload {
  const payload = claims();
  delete payload[name];
  return payload;
}

async function expectRefused(token: string, what: string) {
  const response = await callApi('GET', 'me/tasks', { token });
  expect(response.status, what).toBe(401);
  expect(response.headers.get('www-authenticate'), what).toMatch(/^Bearer/);
  expect(response.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
  return response;
}

beforeAll(async () => {
  alice = await signUp('Alice');
  aliceToken = await tokenFor(alice);
  const context = await (await getAuth()).$context;
  const resolved = (await resolveSigningKey({ context } as unknown as GenericEndpointContext, jwtPluginOptions))!;
  signingKey = { alg: resolved.alg, kid: resolved.kid, privateKey: KeyObject.from(resolved.privateKey as CryptoKey) };
  publicJwk = await exportJWK(createPublicKey(signingKey.privateKey));
  // The forging helper itself is sound: its token with the real header is accepted.
  expect((await callApi('GET', 'me/tasks', { token: forge({}) })).status).toBe(200);
});

describe('algorithm attacks (RFC 8725 §2.1, §3.1)', () => {
  it('alg "none" in any capitalisation, with or without a signature, is refused', async () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      const unsigned = `${b64({ alg, kid: signingKey.kid, typ: 'at+jwt' })}.${b64(claims())}`;
      await expectRefused(`${unsigned}.`, `${alg}, empty signature`);
      await expectRefused(`${unsigned}.${b64('x')}`, `${alg}, junk signature`);
    }
  });

  it('algorithm confusion: HS256 signed with the public key bytes is refused', async () => {
    const secrets = [
      Buffer.from(publicJwk.x!, 'base64url'),
      Buffer.from(publicJwk.x!),
      Buffer.from(JSON.stringify(publicJwk)),
      Buffer.from(createPublicKey(signingKey.privateKey).export({ type: 'spki', format: 'pem' })),
    ];
    for (const secret of secrets) {
      for (const alg of ['HS256', 'HS384', 'HS512']) {
        const input = `${b64({ alg, kid: signingKey.kid, typ: 'at+jwt' })}.${b64(claims())}`;
        const hash = `sha${alg.slice(2)}`;
        await expectRefused(`${input}.${createHmac(hash, secret).update(input).digest('base64url')}`, `${alg} with ${secret.length} key bytes`);
      }
    }
  });

  it('a key used with another algorithm than its own (ES256 / RS256 header on the Ed25519 key) is refused', async () => {
    for (const alg of ['ES256', 'RS256', 'PS256', 'ES512']) await expectRefused(forge({ alg }), alg);
  });
});

describe('key injection (RFC 8725 §3.10): nothing in the header finds a key', () => {
  let hits = 0;
  let server: Server;
  let keyUrl: string;
  const attacker = generateKeyPairSync('ed25519');

  beforeAll(async () => {
    server = createServer((_, response) => {
      hits++;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [{ ...attacker.publicKey.export({ format: 'jwk' }), kid: 'attacker', alg: 'EdDSA' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    keyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  function signedByAttacker(header: Record<string, unknown>): string {
    const input = `${b64({ alg: 'EdDSA', typ: 'at+jwt', ...header })}.${b64(claims())}`;
    return `${input}.${cryptoSign(null, Buffer.from(input), attacker.privateKey).toString('base64url')}`;
  }

  it('an embedded jwk (the attacker’s own key) is refused, with the attacker’s kid or the app’s', async () => {
    const jwk = { ...attacker.publicKey.export({ format: 'jwk' }), alg: 'EdDSA' };
    await expectRefused(signedByAttacker({ kid: 'attacker', jwk }), 'attacker kid');
    await expectRefused(signedByAttacker({ kid: signingKey.kid, jwk }), 'app kid');
    // Even validly signed by the app, a token that carries a jwk header is not trusted.
    await expectRefused(forge({ jwk: publicJwk }), 'app-signed with jwk header');
  });

  it('jku and x5u headers are refused and never fetched', async () => {
    await expectRefused(signedByAttacker({ kid: 'attacker', jku: keyUrl }), 'jku');
    await expectRefused(signedByAttacker({ kid: 'attacker', x5u: keyUrl }), 'x5u');
    await expectRefused(forge({ jku: keyUrl }), 'app-signed with jku');
    await expectRefused(forge({ x5u: keyUrl }), 'app-signed with x5u');
    expect(hits, 'requests made to the attacker’s key URL').toBe(0);
  });

  it('an unknown critical header parameter is refused', async () => {
    await expectRefused(forge({ crit: ['urn:evil:ignore-expiry'], 'urn:evil:ignore-expiry': true }), 'crit');
    await expectRefused(forge({ crit: ['exp'] }), 'crit naming a claim');
  });

  it('a kid that is a path, SQL or 10 KB long is refused with 401, never a 500', async () => {
    for (const kid of ['../../../../etc/passwd', '/dev/random', "' OR '1'='1' --", "x'; DROP TABLE jwks; --", 'k'.repeat(2_000), 'k'.repeat(10_240), '', null, 42, { $ne: null }]) {
      await expectRefused(forge({ kid }), `kid ${JSON.stringify(kid).slice(0, 40)}`);
    }
  });
});

describe('claims (RFC 8725 §3.8–3.10, RFC 9068)', () => {
  it('a token missing any of exp, iat, sub, iss or aud is refused although its signature is good', async () => {
    for (const name of ['exp', 'iat', 'sub', 'iss', 'aud'] as const) await expectRefused(forge({}, withoutClaim(name)), `without ${name}`);
  });

  it('a foreign issuer or audience, an empty or non-string sub is refused', async () => {
    await expectRefused(forge({}, claims({ iss: 'https://evil.example' })), 'iss');
    await expectRefused(forge({}, claims({ aud: 'https://evil.example' })), 'aud');
    await expectRefused(forge({}, claims({ aud: 'better-auth:session' })), 'session cookie audience');
    await expectRefused(forge({}, claims({ sub: '' })), 'empty sub');
    await expectRefused(forge({}, { ...claims(), sub: 42 as unknown as string }), 'numeric sub');
  });

  it('nbf in the future is refused; expiry has a few seconds of leeway and no more', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(forge({}, claims({ nbf: now + 60 })), 'nbf +60 s');
    expect((await callApi('GET', 'me/tasks', { token: forge({}, claims({ exp: now - 2 })) })).status).toBe(200);
    const expired = await expectRefused(forge({}, claims({ exp: now - 30 })), 'expired 30 s ago');
    expect(((await expired.json()) as { detail: string }).detail).toMatch(/expired/i);
  });
});

describe('cross-JWT confusion (RFC 8725 §3.11, §3.12)', () => {
  it('a token without typ at+jwt, or with another typ, is refused although the app’s key signed it', async () => {
    await expectRefused(forge({ typ: undefined }), 'no typ');
    for (const typ of ['JWT', 'jwt', 'better-auth.session-cache+jwt', 'logout+jwt', 'id_token+jwt']) await expectRefused(forge({ typ }), typ);
    expect((await callApi('GET', 'me/tasks', { token: forge({ typ: 'application/at+jwt' }) })).status).toBe(200);
  });

  it('the tokens Better Auth’s jwt plugin would sign by itself are not task API tokens', async () => {
    const auth = await getAuth();
    const headers = new Headers({ cookie: alice.cookie });
    const { token: pluginToken } = await auth.api.getToken({ headers });
    expect(decodeJwt(pluginToken).sub).toBe(alice.id);
    await expectRefused(pluginToken, 'plugin /token output');
    const { token: generic } = await auth.api.signJWT({ body: { payload: claims() } });
    await expectRefused(generic, 'plugin signJWT output');
  });

  it('the session cookie, its signed cache and the session token are refused as Bearer tokens', async () => {
    for (const pair of alice.cookie.split('; ')) {
      const value = decodeURIComponent(pair.slice(pair.indexOf('=') + 1));
      await expectRefused(value, pair.slice(0, pair.indexOf('=')));
      await expectRefused(value.split('.')[0]!, `${pair.slice(0, pair.indexOf('='))}, unsigned part`);
    }
  });

  it('the app’s own tokens say what they are: typ at+jwt, from /api/auth/token and from the proxy', async () => {
    expect(decodeProtectedHeader(aliceToken).typ).toBe('at+jwt');
    const { proxyTokenFor } = await import('@/server/proxy/token');
    const proxied = await proxyTokenFor({ sessionId: 'probe', userId: alice.id, email: alice.email });
    expect(decodeProtectedHeader(proxied).typ).toBe('at+jwt');
  });
});

describe('token transport and size (RFC 6750 §2.3, §5.3)', () => {
  it('?access_token= in the URL is refused, even alongside a good Authorization header', async () => {
    const response = await callApi('GET', `me/tasks?access_token=${aliceToken}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/invalid_request/);
    expect((await callApi('GET', `me/tasks?access_token=${aliceToken}`, { token: aliceToken })).status).toBe(401);
    // ...and through the proxy, where the browser holds no token at all.
    expect((await callProxy('GET', `me/tasks?access_token=${aliceToken}`, { cookie: alice.cookie })).status).toBe(401);
  });

  it('a token over 8 KB is refused before any key lookup', async () => {
    await expectRefused(forge({}, { ...claims(), padding: 'p'.repeat(8 * 1024) }), '8 KB+ payload');
  });

  it('a Bearer scheme with junk (two tokens, a comma list, Basic credentials) is refused', async () => {
    for (const header of [`Bearer ${aliceToken} ${aliceToken}`, `Bearer ${aliceToken},${aliceToken}`, `Basic ${b64('a:b')}`, 'Bearer', `Token ${aliceToken}`]) {
      const response = await callApi('GET', 'me/tasks', { headers: { authorization: header } });
      expect(response.status, header.slice(0, 20)).toBe(401);
    }
  });
});

describe('the published keys (RFC 7517)', () => {
  it('/api/auth/jwks publishes public members only, each key with kid and alg', async () => {
    const { keys } = (await (await callAuth('GET', 'jwks')).json()) as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toHaveProperty('kid');
      expect(key).toHaveProperty('alg');
      for (const secret of ['d', 'k', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'privateKey']) expect(key).not.toHaveProperty(secret);
    }
  });
});

describe('token guessing floods (API4)', () => {
  it(`after ${FAILED_AUTH_LIMIT} refused tokens in a minute an address gets 429 with Retry-After, even with a good token; other addresses are unaffected`, async () => {
    const flooder = { 'x-forwarded-for': '198.51.100.23' };
    for (let i = 0; i < FAILED_AUTH_LIMIT; i++) {
      const forged = forge({ kid: `random-kid-${i}` });
      expect((await callApi('GET', 'me/tasks', { token: forged, headers: flooder })).status).toBe(401);
    }
    const locked = await callApi('GET', 'me/tasks', { token: aliceToken, headers: flooder });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await callApi('GET', 'me/tasks', { token: aliceToken, headers: { 'x-forwarded-for': '198.51.100.24' } })).status).toBe(200);
  });
});
