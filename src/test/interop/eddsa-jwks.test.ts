/* eslint-disable no-restricted-properties -- this file points the app at the fixture before it loads */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll } from 'vitest';
import { freePort } from '../../../support/processes';

// Seed 003: PyJWT's PyJWKClient, EdDSA, the keys from /api/auth/jwks (the default ACCESS_TOKEN_ALG).
const port = await freePort();
process.env.BACKEND_URL = `http://127.0.0.1:${port}`;
const { describeSeedService } = await import('./seed-service');
const { callAuth } = await import('@/test/app');

// The app's own /api/auth/jwks, served over HTTP for the fixture to fetch.
const jwksServer = createServer((request, response) => {
  void callAuth('GET', 'jwks').then(async (answer) => {
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
});
await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise((resolve) => jwksServer.close(resolve)));

describeSeedService('EdDSA through the JWKS, PyJWT (seed 003)', {
  style: 'pyjwt-jwks',
  port,
  issuer: 'http://localhost:3000',
  audience: 'http://localhost:3000',
  jwksUrl: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/api/auth/jwks`,
  // Another key under the app's own kid: the signature, not the kid, decides.
  foreignToken: async (user) => {
    const { tokenFor } = await import('@/test/app');
    const { kid } = decodeProtectedHeader(await tokenFor(user));
    const { privateKey } = await generateKeyPair('EdDSA');
    return new SignJWT({ sub: user.id, email: user.email })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .setIssuer('http://localhost:3000')
      .setAudience('http://localhost:3000')
      .sign(privateKey);
  },
});
