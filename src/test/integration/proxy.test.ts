import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { TaskDto } from '@/lib/api/task-schemas';
import { callApi, callAuth, callProxy, signUp, tokenFor, watchTaskApi, type TestUser } from '@/test/app';
import { describeTaskApiContract, USERS } from '@/test/contract/task-api-contract';

// The browser's path: session cookie → /api/proxy → short-lived JWT → the task API's handler.

// The same contract holds through the proxy (a browser never holds a token: actors are cookies).
describeTaskApiContract('through the proxy with session cookies', async () => {
  const users = Object.fromEntries(await Promise.all(USERS.map(async (actor) => [actor, await signUp(`User ${actor}`)] as const)));
  return {
    userId: (actor) => users[actor]!.id,
    fireReminders: async () => void (await (await import('@/server/reminders')).fireDueReminders()),
    setTimeZone: async (actor, timezone) => {
      const response = await callAuth('POST', 'update-user', { cookie: users[actor]!.cookie, body: { timezone } });
      expect(response.status).toBe(200);
    },
    send: async (actor, method, path, request = {}) => {
      if (actor === 'anonymous') {
        // There is no Bearer token through the proxy, whatever the browser sends: what the contract
        // calls "no/invalid token" is "no session" here, and the proxy answers 401 for it.
        const response = await callProxy(method, path, request);
        expect(response.status).toBe(401);
        // Hand the contract a response with the API's 401 headers so its shared assertions run.
        const headers = new Headers(response.headers);
        const auth = request.headers?.authorization;
        headers.set('www-authenticate', auth && /^Bearer ./i.test(auth) ? 'Bearer error="invalid_token"' : 'Bearer');
        return new Response(response.body, { status: response.status, headers });
      }
      const response = await callProxy(method, path, { ...request, cookie: users[actor]!.cookie });
      // Links and Locations come back as proxy paths; the contract speaks of /api/... paths.
      const headers = new Headers(response.headers);
      for (const name of ['link', 'location']) {
        const value = headers.get(name);
        if (value !== null) {
          expect(value).toContain('/api/proxy/');
          headers.set(name, value.replaceAll('/api/proxy/', '/api/'));
        }
      }
      return new Response(response.status === 204 ? null : response.body, { status: response.status, headers });
    },
  };
});

describe('the proxy', () => {
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    alice = await signUp('Alice');
    bob = await signUp('Bob');
  });

  it('answers 401 without a session, and with a forged or signed-out session cookie', async () => {
    for (const cookie of [undefined, 'better-auth.session_token=forged.value', 'better-auth.session_data=eyJmYWtlIjp0cnVlfQ']) {
      const response = await callProxy('GET', 'me/tasks', cookie ? { cookie } : {});
      expect(response.status, String(cookie)).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('creates through the session, visible to the same user’s Bearer token and not to another’s', async () => {
    const response = await callProxy('POST', 'me/tasks', { cookie: alice.cookie, body: { title: 'via proxy' } });
    expect(response.status).toBe(201);
    const task = (await response.json()) as TaskDto;
    expect(task.user_id).toBe(alice.id);
    expect(response.headers.get('location')).toBe(`/api/proxy/me/tasks/${task.id}`);

    const direct = await callApi('GET', `me/tasks/${task.id}`, { token: await tokenFor(alice) });
    expect(direct.status).toBe(200);
    expect((await callApi('GET', `me/tasks/${task.id}`, { token: await tokenFor(bob) })).status).toBe(404);
    expect((await callProxy('GET', `me/tasks/${task.id}`, { cookie: bob.cookie })).status).toBe(404);
  });

  it('acts as the session’s user whatever Authorization, X-User-Id or X-Forwarded-* the browser sends', async () => {
    const bobToken = await tokenFor(bob);
    const response = await callProxy('POST', 'me/tasks', {
      cookie: alice.cookie,
      body: { title: 'who am I' },
      headers: { authorization: `Bearer ${bobToken}`, 'x-user-id': bob.id, 'x-forwarded-for': '10.0.0.1', 'x-forwarded-host': 'evil.example' },
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as TaskDto).user_id).toBe(alice.id);
  });

  it('hands the task API a short-lived Bearer token and never the browser’s cookies or Authorization', async () => {
    // What reaches the task API's gate: the Request its handler reads the Bearer token from.
    const { seen, restore } = await watchTaskApi();
    try {
      const response = await callProxy('GET', 'me/tasks?status=pending', {
        cookie: alice.cookie,
        headers: { authorization: 'Bearer browser-sent-this', 'x-user-id': bob.id },
      });
      expect(response.status).toBe(200);
    } finally {
      restore();
    }
    expect(seen).toHaveLength(1);
    const forwarded = seen[0]!;
    expect(new URL(forwarded.url).pathname + new URL(forwarded.url).search).toBe('/api/me/tasks?status=pending');
    expect(forwarded.headers.get('cookie')).toBeNull();
    expect(forwarded.headers.get('x-user-id')).toBeNull();
    const token = forwarded.headers.get('authorization')!.replace(/^Bearer /, '');
    expect(token).not.toBe('browser-sent-this');
    const claims = decodeJwt(token);
    expect(claims.sub).toBe(alice.id);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(60);
  });

  it('refuses unsafe methods from another origin, a null origin, or with no origin evidence (403)', async () => {
    const cases: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://localhost:3000.evil.example' },
      { origin: '', 'sec-fetch-site': 'cross-site' },
      { origin: '' },
    ];
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const headers of cases) {
        const request = new Request(`http://localhost:3000/api/proxy/me/tasks${method === 'POST' ? '' : '/1'}`, {
          method,
          headers: { cookie: alice.cookie, 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ title: 'csrf' }),
        });
        if (headers.origin === '') request.headers.delete('origin');
        const proxy = await import('@/app/api/proxy/[...path]/route');
        const response = await proxy[method as 'POST'](request);
        expect(response.status, `${method} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    const list = await callProxy('GET', 'me/tasks', { cookie: alice.cookie });
    expect(((await list.json()) as TaskDto[]).some((t) => t.title === 'csrf')).toBe(false);
  });

  it('accepts a same-origin unsafe request shown by Sec-Fetch-Site when the browser sent no Origin', async () => {
    const proxy = await import('@/app/api/proxy/[...path]/route');
    const response = await proxy.POST(
      new Request('http://localhost:3000/api/proxy/me/tasks', {
        method: 'POST',
        headers: { cookie: alice.cookie, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
        body: JSON.stringify({ title: 'same origin' }),
      }),
    );
    expect(response.status).toBe(201);
  });

  it('forwards only task API paths: everything else is 404 and reaches no handler', async () => {
    const proxy = await import('@/app/api/proxy/[...path]/route');
    for (const path of [
      'auth/token',
      '../auth/token',
      '%2e%2e/auth/token',
      'me%2Ftasks',
      'me/tasks/1/complete/extra',
      'me//tasks',
      'me/tasks/..',
      '@evil.example/tasks',
      'http:%2F%2Fevil.example/tasks',
      'health',
      'me/notes',
      'me',
    ]) {
      const response = await proxy.GET(new Request(`http://localhost:3000/api/proxy/${path}`, { headers: { cookie: alice.cookie } }));
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers 405 for a method the task route does not have', async () => {
    const response = await callProxy('DELETE', 'me/tasks', { cookie: alice.cookie });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
  });

  it('passes back X-Total-Count and a Link rewritten to the proxy path', async () => {
    for (let i = 0; i < 3; i++) await callProxy('POST', 'me/tasks', { cookie: bob.cookie, body: { title: `bob ${i}` } });
    const response = await callProxy('GET', 'me/tasks?limit=2', { cookie: bob.cookie });
    expect(response.headers.get('x-total-count')).toBe('3');
    expect(response.headers.get('link')).toMatch(/^<\/api\/proxy\/me\/tasks\?limit=2&cursor=[A-Za-z0-9_-]+>; rel="next"$/);
    expect(response.headers.get('set-cookie') ?? '').not.toMatch(/session_token=;/);
  });

  it('stops working after sign-out once the cookie is cleared', async () => {
    const carol = await signUp('Carol');
    expect((await callProxy('GET', 'me/tasks', { cookie: carol.cookie })).status).toBe(200);
    const { callAuth, cookiesFrom } = await import('@/test/app');
    const signOut = await callAuth('POST', 'sign-out', { cookie: carol.cookie });
    expect(signOut.status).toBe(200);
    // The browser now holds what sign-out left it: no session cookie.
    expect(cookiesFrom(signOut)).not.toMatch(/session_token=[^;]+/);
    expect((await callProxy('GET', 'me/tasks', { cookie: cookiesFrom(signOut) })).status).toBe(401);
  });
});

describe('the proxy’s session check', () => {
  async function countingSessionChecks() {
    const { getAuth } = await import('@/server/auth/auth');
    return vi.spyOn((await getAuth()).api, 'getSession');
  }

  it('checks a cookie pair once, then trusts it until its cookie cache expires, and not a moment longer', async () => {
    const dave = await signUp('Dave');
    expect(dave.cookie).toMatch(/session_data=/);
    const checks = await countingSessionChecks();
    try {
      for (let i = 0; i < 3; i++) expect((await callProxy('GET', 'me/tasks', { cookie: dave.cookie })).status).toBe(200);
      expect(checks).toHaveBeenCalledTimes(1);
    } finally {
      checks.mockRestore();
    }
    // Revoked in the database (a copied cookie after sign-out): the signed cookie cache vouches for
    // it until it expires, as Better Auth's own check would, and then it is refused.
    const { getDb } = await import('@/server/db/client');
    const { sessions } = await import('@/server/db/schema');
    const { eq } = await import('drizzle-orm');
    await (await getDb()).delete(sessions).where(eq(sessions.userId, dave.id));
    expect((await callProxy('GET', 'me/tasks', { cookie: dave.cookie })).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      expect((await callProxy('GET', 'me/tasks', { cookie: dave.cookie })).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('remembers nothing checked without a cookie cache, nor a cache bound to another session', async () => {
    const erin = await signUp('Erin');
    const tokenOnly = erin.cookie
      .split('; ')
      .filter((pair) => pair.includes('session_token='))
      .join('; ');
    const checks = await countingSessionChecks();
    try {
      for (let i = 0; i < 3; i++) expect((await callProxy('GET', 'me/tasks', { cookie: tokenOnly })).status).toBe(200);
      expect(checks).toHaveBeenCalledTimes(3);
    } finally {
      checks.mockRestore();
    }
    // Another session's (validly signed) cookie cache beside Erin's token: Better Auth sees it is
    // bound to another token, drops it and reads Erin's session row.
    const frank = await signUp('Frank');
    const mixed = `${tokenOnly}; ${frank.cookie.split('; ').find((pair) => pair.includes('session_data='))}`;
    const first = await callProxy('POST', 'me/tasks', { cookie: mixed, body: { title: 'whose?' } });
    expect(first.status).toBe(201);
    expect(((await first.json()) as TaskDto).user_id).toBe(erin.id);
    expect(first.headers.getSetCookie().join()).toMatch(/session_data=/);
  });
});

