import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startApp, type Server } from '../../../support/processes';

/**
 * The production build over real HTTP, on a fresh embedded database: two people sign up, use the
 * proxy with their cookies and the task API with tokens from /api/auth/token, and everything is
 * still there after a restart.
 */

interface Person {
  id: string;
  cookie: string;
  token: string;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tasklane-smoke-'));
let port: number;
let app: Server;
const people: Record<'alice' | 'bob', Person> = {} as never;

function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .join('; ');
}

async function signUp(name: string): Promise<Person> {
  const response = await fetch(`${app.origin}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app.origin },
    body: JSON.stringify({ name, email: `${name.toLowerCase()}@example.com`, password: `${name}-long-password` }),
  });
  expect(response.status).toBe(200);
  const { user } = (await response.json()) as { user: { id: string } };
  const cookie = cookieHeader(response);
  const token = await fetch(`${app.origin}/api/auth/token`, { headers: { cookie } });
  expect(token.status).toBe(200);
  return { id: user.id, cookie, token: ((await token.json()) as { token: string }).token };
}

function api(person: Person, method: string, path: string, body?: unknown) {
  return fetch(`${app.origin}/api/${path}`, {
    method,
    headers: { authorization: `Bearer ${person.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

function proxy(person: Person, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${app.origin}/api/proxy/${path}`, {
    method,
    headers: { cookie: person.cookie, origin: app.origin, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
}

beforeAll(async () => {
  port = await freePort();
  app = await startApp({ port, dataDir });
  people.alice = await signUp('Alice');
  people.bob = await signUp('Bob');
});

afterAll(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('production build over HTTP', () => {
  it('serves health, the JWKS and the OpenAPI document, with no X-Powered-By', async () => {
    const health = await fetch(`${app.origin}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(health.headers.get('x-powered-by')).toBeNull();
    const jwks = (await (await fetch(`${app.origin}/api/auth/jwks`)).json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys.every((key) => key.kid && key.d === undefined)).toBe(true);
    const openapi = await fetch(`${app.origin}/api/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(await openapi.json()).toMatchObject({ openapi: '3.1.0', servers: [{ url: app.origin }] });
  });

  it('lets each user work through the proxy with cookies and the task API with a token, isolated', async () => {
    const { alice, bob } = people;
    const viaProxy = await proxy(alice, 'POST', 'me/tasks', { title: 'Alice via proxy' });
    expect(viaProxy.status).toBe(201);
    expect(viaProxy.headers.get('location')).toMatch(/^\/api\/proxy\/me\/tasks\/\d+$/);
    const viaApi = await api(alice, 'POST', 'me/tasks', { title: 'Alice via token' });
    expect(viaApi.status).toBe(201);
    const bobs = await api(bob, 'POST', `${bob.id}/tasks`, { title: 'Bob private' });
    const bobTask = (await bobs.json()) as { id: number };

    const aliceList = await proxy(alice, 'GET', 'me/tasks');
    expect(aliceList.headers.get('x-total-count')).toBe('2');
    expect(((await aliceList.json()) as { title: string }[]).map((t) => t.title)).toEqual(['Alice via token', 'Alice via proxy']);

    for (const [method, path] of [['GET', `me/tasks/${bobTask.id}`], ['DELETE', `me/tasks/${bobTask.id}`], ['PATCH', `me/tasks/${bobTask.id}/complete`]]) {
      expect((await api(alice, method!, path!)).status).toBe(404);
      expect((await proxy(alice, method!, path!)).status).toBe(404);
    }
    expect((await api(alice, 'GET', `${bob.id}/tasks`)).status).toBe(403);
    expect((await api(bob, 'GET', `me/tasks/${bobTask.id}`)).status).toBe(200);

    // A PATCH with no body at all (curl -X PATCH) toggles, directly and through the proxy.
    const toggled = await api(bob, 'PATCH', `me/tasks/${bobTask.id}/complete`);
    expect(toggled.status).toBe(200);
    expect(((await toggled.json()) as { completed: boolean }).completed).toBe(true);
    const back = await proxy(bob, 'PATCH', `me/tasks/${bobTask.id}/complete`);
    expect(((await back.json()) as { completed: boolean }).completed).toBe(false);
  });

  it('refuses a cross-origin write through the proxy and a sign-in from a foreign origin', async () => {
    const response = await proxy(people.alice, 'POST', 'me/tasks', { title: 'csrf' }, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    const signIn = await fetch(`${app.origin}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ email: 'alice@example.com', password: 'Alice-long-password' }),
    });
    expect(signIn.status).toBe(403);
  });

  it('answers hostile input with 4xx problems, never a 500', async () => {
    const { alice } = people;
    const cases: [string, RequestInit][] = [
      ['api/me/tasks', { method: 'POST', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' }, body: '{"title":' }],
      ['api/me/tasks', { method: 'POST', headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' }, body: 'x'.repeat(200_000) }],
      ['api/me/tasks', { headers: { authorization: `Bearer ${'a'.repeat(9000)}` } }],
      ['api/me/tasks?limit=100000&status=%00', { headers: { authorization: `Bearer ${alice.token}` } }],
      ['api/proxy/me%2Ftasks', { headers: { cookie: alice.cookie } }],
      ['api/proxy/me/tasks', { method: 'POST', headers: { cookie: alice.cookie, origin: app.origin, 'content-type': 'text/plain' }, body: 'hi' }],
    ];
    for (const [path, init] of cases) {
      const response = await fetch(`${app.origin}/${path}`, init);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
    }
  });

  it('keeps data, sessions and signing keys across a restart', async () => {
    await app.stop();
    app = await startApp({ port, dataDir });
    const list = await proxy(people.alice, 'GET', 'me/tasks');
    expect(list.status).toBe(200);
    expect(list.headers.get('x-total-count')).toBe('2');
    // A token issued before the restart still verifies: same keys, same secret.
    expect((await api(people.bob, 'GET', 'me/tasks')).status).toBe(200);
  });

  it('signs out: the proxy refuses the cleared cookie', async () => {
    const signOut = await fetch(`${app.origin}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie: people.bob.cookie, origin: app.origin, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(signOut.status).toBe(200);
    const cleared = cookieHeader(signOut);
    expect((await proxy({ ...people.bob, cookie: cleared }, 'GET', 'me/tasks')).status).toBe(401);
  });
});
