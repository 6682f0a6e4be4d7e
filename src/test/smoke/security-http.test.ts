import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startApp, type Server } from '../../../support/processes';

/**
 * The attacks that need the real server: raw HTTP methods and paths, the client address the
 * rate limiter sees, cookies and response headers as a browser receives them. Against `npm start`
 * (server.mjs) of the production build, where Better Auth's rate limiter is on.
 */

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** node:http, because fetch refuses TRACE and normalises the paths under test. */
function raw(app: Server, method: string, rawPath: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  const { hostname, port } = new URL(app.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path: rawPath, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const dataDirs: string[] = [];
async function start(env: Record<string, string> = {}): Promise<Server> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tasklane-attack-'));
  dataDirs.push(dataDir);
  return startApp({ port: await freePort(), dataDir, env });
}

let app: Server;
beforeAll(async () => {
  app = await start();
});
afterAll(async () => {
  await app?.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function signInAttempt(rawPath: string, headers: Record<string, string> = {}) {
  return raw(
    app,
    'POST',
    rawPath,
    { 'content-type': 'application/json', origin: app.origin, ...headers },
    JSON.stringify({ email: 'victim@example.com', password: 'guess-the-password' }),
  );
}

describe('methods', () => {
  it('TRACE gets 405 with Allow (cross-site tracing), never an echo of the request or a 500', async () => {
    for (const target of ['/api/me/tasks', '/api/proxy/me/tasks', '/api/auth/get-session', '/']) {
      const response = await raw(app, 'TRACE', target, { cookie: 'better-auth.session_token=secret-cookie-value' });
      expect(response.status, target).toBe(405);
      expect(response.headers.allow).toBeTruthy();
      expect(response.body).not.toContain('secret-cookie-value');
    }
    // Node's HTTP parser itself refuses methods it does not know (TRACK) with a bare 400.
    const track = await raw(app, 'TRACK', '/api/me/tasks', { cookie: 'better-auth.session_token=secret-cookie-value' });
    expect(track.status).toBe(400);
    expect(track.body).not.toContain('secret-cookie-value');
  });
});

describe('sign-in brute force (Better Auth rate limiter, production)', () => {
  it('the 4th attempt in 10 s is 429 with Retry-After; a spoofed X-Forwarded-For or a path variant does not escape it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await signInAttempt('/api/auth/sign-in/email', { 'x-forwarded-for': `198.51.100.${i}` })).status);
    expect(statuses).toEqual([401, 401, 401]);

    const limited = await signInAttempt('/api/auth/sign-in/email', { 'x-forwarded-for': '198.51.100.99' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(10);
    // A problem like every other 429 of the app, with the wait in words.
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(limited.body)).toMatchObject({ status: 429, title: 'Too Many Requests', detail: expect.stringMatching(/retry in \d+ s/i) });

    const spoofs: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.5' },
      { 'x-forwarded-for': '203.0.113.6, 127.0.0.1' },
      { 'x-real-ip': '203.0.113.7' },
      { forwarded: 'for=203.0.113.8' },
      { 'cf-connecting-ip': '203.0.113.9', 'true-client-ip': '203.0.113.9', 'x-client-ip': '203.0.113.9' },
    ];
    for (const headers of spoofs) {
      expect((await signInAttempt('/api/auth/sign-in/email', headers)).status, JSON.stringify(headers)).toBe(429);
    }
    // Path variants either meet the same bucket (429) or never reach sign-in (a redirect or 404):
    // none of them may check a password (200 or 401).
    for (const variant of ['//api/auth/sign-in/email', '/api//auth/sign-in/email', '/api/auth//sign-in/email', '/api/auth/sign-in/email/', '/api/auth/sign-in/email?x=1', '/api/auth/./sign-in/email', '/api/auth/sign-in/../sign-in/email', '/api/auth/sign-in%2Femail', '/api/auth/Sign-In/Email', '/api/auth/sign-in/email%20']) {
      const response = await signInAttempt(variant);
      expect([200, 401], `${variant} → ${response.status}`).not.toContain(response.status);
      expect(response.status, variant).toBeLessThan(500);
    }
  });
});

describe('cookies and headers as a browser receives them', () => {
  it('session cookies are HttpOnly and SameSite=Lax; with an https origin also Secure with the __Secure- prefix', async () => {
    const signUp = await raw(
      app,
      'POST',
      '/api/auth/sign-up/email',
      { 'content-type': 'application/json', origin: app.origin },
      JSON.stringify({ name: 'Ada', email: 'ada@example.com', password: 'a-long-unusual-passphrase' }),
    );
    expect(signUp.status).toBe(200);
    const cookies = signUp.headers['set-cookie'] ?? [];
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
    }

    const https = await start({ BETTER_AUTH_URL: 'https://tasklane.example' });
    try {
      const secure = await raw(
        https,
        'POST',
        '/api/auth/sign-up/email',
        { 'content-type': 'application/json', origin: 'https://tasklane.example' },
        JSON.stringify({ name: 'Ada', email: 'ada@example.com', password: 'a-long-unusual-passphrase' }),
      );
      expect(secure.status).toBe(200);
      for (const cookie of secure.headers['set-cookie'] ?? []) {
        expect(cookie).toMatch(/^__Secure-/);
        expect(cookie).toMatch(/; Secure/i);
        expect(cookie).toMatch(/HttpOnly/i);
      }
    } finally {
      await https.stop();
    }
  });

  it('no X-Powered-By, and no CORS grant to a foreign origin, on pages, the API, the proxy and auth', async () => {
    for (const target of ['/', '/api/health', '/api/me/tasks', '/api/proxy/me/tasks', '/api/auth/get-session', '/api/auth/jwks']) {
      for (const method of ['GET', 'OPTIONS']) {
        const response = await raw(app, method, target, {
          origin: 'https://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        });
        expect(response.headers['x-powered-by'], target).toBeUndefined();
        expect(response.headers['access-control-allow-origin'], `${method} ${target}`).toBeUndefined();
        expect(response.headers['access-control-allow-credentials'], `${method} ${target}`).toBeUndefined();
        expect(response.status, `${method} ${target}`).toBeLessThan(500);
      }
    }
  });

  it('HEAD and OPTIONS on the API and the proxy are answered as the attack suite’s in-process dispatch assumes', async () => {
    // src/test/security/attack-helpers.ts answers HEAD with GET's status and no body, and OPTIONS
    // with an empty 204 and Allow: this is the production server doing the same.
    for (const [target, allow] of [
      ['/api/me/tasks', 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT'],
      ['/api/me/tasks/1/complete', 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT'],
      ['/api/proxy/me/tasks', 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT'],
    ] as const) {
      const options = await raw(app, 'OPTIONS', target, { origin: 'https://evil.example' });
      expect(options.status, target).toBe(204);
      expect(options.headers.allow, target).toBe(allow);
      expect(options.body, target).toBe('');
      const head = await raw(app, 'HEAD', target);
      const get = await raw(app, 'GET', target);
      expect(head.status, target).toBe(get.status);
      expect(head.body, target).toBe('');
    }
  });

  it('API answers are not cacheable, are typed JSON over real HTTP, and are never sniffed as another type', async () => {
    for (const target of ['/api/me/tasks', '/api/proxy/me/tasks', '/api/health', '/api/auth/get-session', '/api/auth/jwks', '/api/openapi.json', '/api/nowhere']) {
      const response = await raw(app, 'GET', target);
      if (!target.startsWith('/api/auth') && target !== '/api/openapi.json') expect(response.headers['cache-control'], target).toMatch(/no-store/);
      if (target !== '/api/nowhere') expect(response.headers['content-type'], target).toMatch(/^application\/(problem\+)?json/);
      expect(response.headers['x-content-type-options'], target).toBe('nosniff');
    }
  });

  it('a path that is not valid percent-encoding is a 400 problem, never a 500', async () => {
    for (const target of ['/api/me/tasks/%ff', '/api/%ff/tasks', '/api/proxy/me/tasks/%E0%A4%A', '/api/me/lists/%ff', '/api/me/tags/%ff', '/api/proxy/me/tags/%C0%AF', '/api/auth/%ff', '/tasks/%ff', '/%E0%A4%A']) {
      const response = await raw(app, 'GET', target, { authorization: 'Bearer x' });
      expect(response.status, `${target}: ${response.body.slice(0, 200)}`).toBe(400);
      expect(response.headers['content-type'], target).toMatch(/^application\/problem\+json/);
      expect(response.headers['x-content-type-options'], target).toBe('nosniff');
      expect(JSON.parse(response.body), target).toMatchObject({ status: 400, detail: expect.stringMatching(/percent-encoding/) });
    }
    // Encoded but valid, even when odd: the ordinary answers.
    expect((await raw(app, 'GET', '/api/me/tasks/%C3%A9t%C3%A9', { authorization: 'Bearer x' })).status).toBe(401);
  });
});

describe('rotating BETTER_AUTH_SECRET as the README says', () => {
  it('with BETTER_AUTH_SECRETS="1:<new>" and the old secret kept, stored keys still sign and tokens still verify; browsers sign in once more', async () => {
    const oldSecret = 'old-secret-0123456789-0123456789-abcdef';
    const newSecret = 'new-secret-9876543210-9876543210-fedcba';
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tasklane-rotate-'));
    dataDirs.push(dataDir);
    const port = await freePort();
    const credentials = JSON.stringify({ name: 'Rita', email: 'rita@example.com', password: 'rotate-me-carefully' });
    const json = (server: Server) => ({ 'content-type': 'application/json', origin: server.origin });
    const cookieOf = (response: RawResponse) => (response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

    let before = await startApp({ port, dataDir, env: { BETTER_AUTH_SECRET: oldSecret } });
    let oldCookie: string;
    let oldToken: string;
    try {
      const signUp = await raw(before, 'POST', '/api/auth/sign-up/email', json(before), credentials);
      expect(signUp.status).toBe(200);
      oldCookie = cookieOf(signUp);
      oldToken = (JSON.parse((await raw(before, 'GET', '/api/auth/token', { cookie: oldCookie })).body) as { token: string }).token;
      expect((await raw(before, 'POST', '/api/me/tasks', { 'content-type': 'application/json', authorization: `Bearer ${oldToken}` }, '{"title":"kept"}')).status).toBe(201);
    } finally {
      await before.stop();
    }

    before = await startApp({ port, dataDir, env: { BETTER_AUTH_SECRET: oldSecret, BETTER_AUTH_SECRETS: `1:${newSecret}` } });
    try {
      // API clients: a token signed before the rotation still verifies (the key pair is unchanged).
      expect((await raw(before, 'GET', '/api/me/tasks', { authorization: `Bearer ${oldToken!}` })).status).toBe(200);
      // Browsers: the old cookie was signed with the old secret, so it ends; signing in works.
      expect((await raw(before, 'GET', '/api/proxy/me/tasks', { cookie: oldCookie! })).status).toBe(401);
      const signIn = await raw(before, 'POST', '/api/auth/sign-in/email', json(before), credentials);
      expect(signIn.status).toBe(200);
      const cookie = cookieOf(signIn);
      // The stored private key (encrypted under the old secret) still decrypts and signs.
      const fresh = await raw(before, 'GET', '/api/auth/token', { cookie });
      expect(fresh.status).toBe(200);
      const list = await raw(before, 'GET', '/api/proxy/me/tasks', { cookie });
      expect(list.status).toBe(200);
      expect(JSON.parse(list.body)).toEqual([expect.objectContaining({ title: 'kept' })]);
    } finally {
      await before.stop();
    }
  });
});

describe('page headers (ASVS V3.4)', () => {
  it('every script the page carries has the response’s CSP nonce; /tasks and the landing page carry the full policy', async () => {
    for (const target of ['/', '/sign-in', '/sign-up', '/tasks']) {
      const response = await raw(app, 'GET', target);
      const csp = String(response.headers['content-security-policy'] ?? '');
      for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp, target).toContain(directive);
      expect(response.headers['x-content-type-options'], target).toBe('nosniff');
      expect(response.headers['referrer-policy'], target).toMatch(/strict-origin|no-referrer|same-origin/);
      if (response.status !== 200) continue; // /tasks signed out: a redirect
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, target).toBeTruthy();
      const scripts = [...response.body.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      expect(scripts.length, target).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, target).toContain(`nonce="${nonce}"`);
    }
  });

  it('HSTS (a year, subdomains) behind a trusted TLS proxy, and never over plain http or for a spoofed header', async () => {
    expect((await raw(app, 'GET', '/sign-in', { 'x-forwarded-proto': 'https' })).headers['strict-transport-security']).toBeUndefined();
    const behindProxy = await start({ TRUST_PROXY: '1' });
    try {
      const hsts = String((await raw(behindProxy, 'GET', '/sign-in', { 'x-forwarded-proto': 'https' })).headers['strict-transport-security']);
      expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31_536_000);
      expect(hsts).toMatch(/includeSubDomains/);
      expect((await raw(behindProxy, 'GET', '/sign-in')).headers['strict-transport-security']).toBeUndefined();
    } finally {
      await behindProxy.stop();
    }
  });
});
