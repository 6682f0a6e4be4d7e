/* eslint-disable no-restricted-properties -- this file configures the app's tokens before it loads */
import { SignJWT } from 'jose';
import { freePort } from '../../../support/processes';

// Seed 002: PyJWT, HS256, its own issuer and audience ("better-auth", "fastapi-backend"), and here
// a secret of its own (ACCESS_TOKEN_SECRET) rather than BETTER_AUTH_SECRET.
const SECRET = 'a-secret-shared-with-the-task-service-only';
const port = await freePort();
process.env.ACCESS_TOKEN_ALG = 'HS256';
process.env.ACCESS_TOKEN_SECRET = SECRET;
process.env.ACCESS_TOKEN_ISSUER = 'better-auth';
process.env.ACCESS_TOKEN_AUDIENCE = 'fastapi-backend';
process.env.BACKEND_URL = `http://127.0.0.1:${port}`;
const { describeSeedService } = await import('./seed-service');

describeSeedService('HS256, PyJWT with issuer and audience (seed 002)', {
  style: 'pyjwt-hs256',
  port,
  secret: SECRET,
  issuer: 'better-auth',
  audience: 'fastapi-backend',
  // Signed with BETTER_AUTH_SECRET: the session secret is not the one this service shares.
  foreignToken: (user) =>
    new SignJWT({ sub: user.id, email: user.email })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .setIssuer('better-auth')
      .setAudience('fastapi-backend')
      .sign(new TextEncoder().encode(process.env.BETTER_AUTH_SECRET)),
});
