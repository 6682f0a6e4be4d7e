import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as queries from '@/server/tasks/find';
import { callApi, callAuth, callProxy, signUp, tokenFor, type TestUser } from '@/test/app';
import { captureLogs } from './attack-helpers';

// ASVS V16 (errors and logging) and V4/V13 response headers, through the real handlers.

vi.hoisted(() => {
  // eslint-disable-next-line no-restricted-properties -- a small quota for this file, set before env.ts loads
  process.env.TASK_API_RATE_LIMIT = '8';
});

vi.mock('@/server/tasks/find', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/server/tasks/find')>();
  return { ...original, listTasks: vi.fn(original.listTasks) };
});

interface LogLine {
  event: string;
  level: string;
  requestId?: string;
  path?: string;
  ip?: string;
  userId?: string;
  status?: number;
}

/** Everything the app writes to the console while `action` runs. */
async function captureLogsOf(action: () => Promise<void>): Promise<string[]> {
  const logs = captureLogs();
  try {
    await action();
  } finally {
    logs.restore();
  }
  return logs.lines;
}

const parsed = (lines: string[]) => lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine);

let alice: TestUser;
let aliceToken: string;
beforeAll(async () => {
  alice = await signUp('Alice');
  aliceToken = await tokenFor(alice);
});
afterEach(() => {
  vi.mocked(queries.listTasks).mockReset();
  vi.mocked(queries.listTasks).mockImplementation((...args) => vi.importActual<typeof queries>('@/server/tasks/find').then((real) => real.listTasks(...args)));
});

describe('a handler that throws', () => {
  it('answers one generic 500 problem with a request id and no stack, logs it once, and the next request is served', async () => {
    vi.mocked(queries.listTasks).mockRejectedValueOnce(new Error('boom: internal detail at /srv/app/queries.ts:42'));
    let response!: Response;
    const lines = await captureLogsOf(async () => {
      response = await callApi('GET', 'me/tasks', { token: aliceToken });
    });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const body = await response.text();
    expect(body).toContain(requestId);
    expect(body).not.toMatch(/boom|internal detail|\.ts:|at \w+ \(|stack/i);
    const errors = parsed(lines).filter((line) => line.event === 'unhandled_error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.requestId).toBe(requestId);

    expect((await callApi('GET', 'me/tasks', { token: aliceToken })).status).toBe(200);
  });
});

describe('API responses', () => {
  it('are never cached and say their charset: successes, problems and the proxy', async () => {
    const created = await callApi('POST', 'me/tasks', { token: aliceToken, body: { title: 'cache probe' } });
    const responses = [
      created,
      await callApi('GET', 'me/tasks', { token: aliceToken }),
      await callApi('GET', 'me/tasks/999999', { token: aliceToken }),
      await callApi('GET', 'me/tasks'),
      await callProxy('GET', 'me/tasks', { cookie: alice.cookie }),
      await callProxy('GET', 'me/tasks'),
    ];
    for (const response of responses) {
      expect(response.headers.get('cache-control'), String(response.status)).toBe('no-store');
      expect(response.headers.get('content-type'), String(response.status)).toMatch(/^application\/(problem\+)?json(; charset=utf-8)?$/);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('security logging', () => {
  it('logs failed sign-ins, refused tokens, identity mismatches and rate-limit hits as JSON lines with request id, path, ip and user', async () => {
    const mallory = await signUp('Mallory');
    const malloryToken = await tokenFor(mallory);
    const ip = '203.0.113.7';
    const statuses: number[] = [];
    const lines = await captureLogsOf(async () => {
      await callAuth('POST', 'sign-in/email', { body: { email: alice.email, password: 'guess-number-one' }, headers: { 'x-forwarded-for': ip } });
      statuses.push((await callApi('GET', 'me/tasks', { token: `${aliceToken}x`, headers: { 'x-forwarded-for': ip } })).status);
      statuses.push((await callApi('GET', `${alice.id}/tasks`, { token: malloryToken, headers: { 'x-forwarded-for': ip } })).status);
      statuses.push((await callProxy('GET', 'me/tasks', { headers: { 'x-forwarded-for': ip } })).status);
      for (let i = 0; i < 10; i++) statuses.push((await callApi('GET', 'me/tasks', { token: malloryToken, headers: { 'x-forwarded-for': ip } })).status);
    });
    expect(statuses.slice(0, 3)).toEqual([401, 403, 401]);
    expect(statuses).toContain(429);

    const events = parsed(lines);
    const byEvent = (name: string) => events.filter((event) => event.event === name);
    expect(byEvent('sign_in_failed')).toEqual([expect.objectContaining({ ip, path: '/api/auth/sign-in/email', status: 401, requestId: expect.any(String) })]);
    expect(byEvent('api_unauthorized')[0]).toMatchObject({ ip, path: '/api/me/tasks', status: 401, requestId: expect.any(String) });
    expect(byEvent('api_forbidden')[0]).toMatchObject({ ip, userId: mallory.id, status: 403 });
    expect(byEvent('proxy_unauthorized')[0]).toMatchObject({ ip, path: '/api/proxy/me/tasks', status: 401 });
    expect(byEvent('api_rate_limited')[0]).toMatchObject({ ip, userId: mallory.id, status: 429 });
  });

  it('never writes a password, token, cookie or secret, whatever the request carried', async () => {
    const secrets = [alice.password, aliceToken, ...alice.cookie.split('; ').map((pair) => pair.split('=')[1]!)];
    const lines = await captureLogsOf(async () => {
      await callAuth('POST', 'sign-in/email', { body: { email: alice.email, password: `${alice.password}-wrong` } });
      await callAuth('POST', 'sign-in/email', { body: { email: 'nobody@example.com', password: alice.password } });
      await callAuth('POST', 'sign-up/email', { body: { name: 'x', email: alice.email, password: alice.password } });
      await callApi('GET', 'me/tasks', { token: aliceToken.slice(0, -2) });
      await callApi('GET', `me/tasks?access_token=${aliceToken}`);
      await callProxy('GET', 'me/tasks', { cookie: `${alice.cookie}x`, headers: { authorization: `Bearer ${aliceToken}` } });
      await callProxy('POST', 'me/tasks', { cookie: alice.cookie, headers: { origin: 'https://evil.example' }, body: { title: 'x' } });
    });
    expect(lines.length).toBeGreaterThan(0);
    const written = lines.join('\n');
    for (const secret of secrets) expect(written).not.toContain(secret);
    expect(written).not.toContain(alice.password);
    // eslint-disable-next-line no-restricted-properties -- the secret the tests run with
    expect(written).not.toContain(process.env.BETTER_AUTH_SECRET!);
  });
});
