/* eslint-disable no-restricted-properties -- this file configures the app's tokens before it loads */
import { SignJWT } from 'jose';
import { freePort } from '../../../support/processes';

// Seeds 000 and 004: python-jose, HS256 with the shared BETTER_AUTH_SECRET, the app's URL as
// issuer and audience (the defaults on both sides).
const port = await freePort();
process.env.ACCESS_TOKEN_ALG = 'HS256';
process.env.BACKEND_URL = `http://127.0.0.1:${port}`;
const { describeSeedService } = await import('./seed-service');

describeSeedService('HS256, python-jose (seeds 000 and 004)', {
  style: 'jose-hs256',
  port,
  secret: process.env.BETTER_AUTH_SECRET,
  issuer: 'http://localhost:3000',
  audience: 'http://localhost:3000',
  foreignToken: (user) =>
    new SignJWT({ sub: user.id, email: user.email })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .setIssuer('http://localhost:3000')
      .setAudience('http://localhost:3000')
      .sign(new TextEncoder().encode('another-secret-that-is-long-enough-0123')),
});
