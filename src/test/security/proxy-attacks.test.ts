import { beforeAll, describe, expect, it } from 'vitest';
import { taskSchema, type TaskDto } from '@/lib/api/task-schemas';
import { callApi, ORIGIN, signUp, tokenFor, watchTaskApi, type TestUser } from '@/test/app';
import {
  api,
  failOnUnhandledErrors,
  cookieNamed,
  createTask,
  expectNoCors,
  expectProblem,
  NOT_FOUND_PROBLEM,
  proxy,
  proxyAs,
  rawRequest,
  sendToProxy,
  snapshot,
} from './attack-helpers';

// Attacks on the browser's path to the task API (/api/proxy/...): OWASP CSRF cheat sheet, OWASP
// API Security Top 10 (2023). Every request is dispatched as Next would (HEAD and OPTIONS included).

failOnUnhandledErrors();

let alice: TestUser;
let bob: TestUser;
let aliceToken: string;
let bobToken: string;
let aliceTask: TaskDto;
let bobTask: TaskDto;

beforeAll(async () => {
  alice = await signUp('Alice');
  bob = await signUp('Bob');
  aliceToken = await tokenFor(alice);
  bobToken = await tokenFor(bob);
  aliceTask = await createTask(aliceToken, { title: 'alice: pay rent', description: 'before the 5th' });
  await createTask(aliceToken, { title: 'alice: done already', completed: true });
  bobTask = await createTask(bobToken, { title: 'bob: secret plan', description: 'bob only' });
  await createTask(bobToken, { title: 'bob: second', completed: true });
});

/** The state-changing operations the proxy forwards, against Alice's own data. */
function unsafeOperations() {
  return [
    { method: 'POST', path: 'me/tasks', body: { title: 'planted by a foreign page' } },
    { method: 'PUT', path: `me/tasks/${aliceTask.id}`, body: { title: 'overwritten by a foreign page' } },
    { method: 'PATCH', path: `me/tasks/${aliceTask.id}`, body: { completed: true } },
    { method: 'PATCH', path: `me/tasks/${aliceTask.id}/complete`, body: undefined },
    { method: 'DELETE', path: `me/tasks/${aliceTask.id}`, body: undefined },
  ] as const;
}

describe('CSRF: unsafe methods through the proxy need same-origin evidence', () => {
  const attacks: [string, Record<string, string>][] = [
    ['Origin: null (sandboxed iframe, data: URL)', { origin: 'null' }],
    ['no Origin, no Referer, no Sec-Fetch-Site', {}],
    ['Origin: https://app.example.evil.example', { origin: 'https://app.example.evil.example' }],
    ['Origin: http://localhost:3000.evil.example (prefix match)', { origin: 'http://localhost:3000.evil.example' }],
    ['Sec-Fetch-Site: cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site without Origin (sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
    ['Sec-Fetch-Site: none without Origin', { 'sec-fetch-site': 'none' }],
    ['a same-origin Referer alone (no Origin)', { referer: `${ORIGIN}/` }],
    ['Referer: http://localhost:3000.evil.example/ without Origin', { referer: 'http://localhost:3000.evil.example/' }],
    ['Origin: https://localhost:3000 (other scheme)', { origin: 'https://localhost:3000' }],
    ['Origin: http://localhost:3001 (other port)', { origin: 'http://localhost:3001' }],
    ['Origin: http://127.0.0.1:3000 (other host name)', { origin: 'http://127.0.0.1:3000' }],
    ['Origin: http://localhost:3000/ (not an origin serialisation)', { origin: `${ORIGIN}/` }],
    ['Origin: a list of two origins', { origin: `${ORIGIN} https://evil.example` }],
    ['Origin: null with Sec-Fetch-Site: same-origin', { origin: 'null', 'sec-fetch-site': 'same-origin' }],
    ['Origin: https://evil.example with Sec-Fetch-Site: same-origin', { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }],
    // Either signal of another origin refuses, even when the other looks like this app's.
    ['the app’s own Origin with Sec-Fetch-Site: cross-site', { origin: ORIGIN, 'sec-fetch-site': 'cross-site' }],
    ['the app’s own Origin with Sec-Fetch-Site: same-site (a sibling subdomain)', { origin: ORIGIN, 'sec-fetch-site': 'same-site' }],
  ];

  for (const [attack, headers] of attacks) {
    it(`CSRF: ${attack} on POST/PUT/PATCH/complete/DELETE → 403, nothing reaches the task API, nothing changes`, async () => {
      const before = await snapshot(aliceToken);
      const watch = await watchTaskApi();
      try {
        for (const { method, path, body } of unsafeOperations()) {
          const response = await proxy(method, path, { cookie: alice.cookie, headers, body });
          const problem = await expectProblem(response, 403, `${method} ${path}`);
          expect(problem.detail).toBe('Cross-origin requests are not allowed.');
          expectNoCors(response, `${method} ${path}`);
        }
        expect(watch.seen).toHaveLength(0);
      } finally {
        watch.restore();
      }
      expect(await snapshot(aliceToken)).toEqual(before);
    });
  }

  it('CSRF control: the same requests with the app’s own Origin succeed (the refusals above are the origin check)', async () => {
    const scratch = await createTask(aliceToken, { title: 'scratch' });
    const created = await proxy('POST', 'me/tasks', { cookie: alice.cookie, headers: { origin: ORIGIN }, body: { title: 'same origin' } });
    expect(created.status).toBe(201);
    expect(taskSchema.parse(await created.json()).user_id).toBe(alice.id);
    for (const [method, path, body, status] of [
      ['PUT', `me/tasks/${scratch.id}`, { title: 'renamed' }, 200],
      ['PATCH', `me/tasks/${scratch.id}`, { description: 'x' }, 200],
      ['PATCH', `me/tasks/${scratch.id}/complete`, undefined, 200],
      ['DELETE', `me/tasks/${scratch.id}`, undefined, 204],
    ] as const) {
      const response = await proxy(method, path, { cookie: alice.cookie, headers: { origin: ORIGIN }, body });
      expect(response.status, `${method} ${path}`).toBe(status);
    }
  });

  it('CSRF control: Sec-Fetch-Site: same-origin without Origin is accepted (a browser that sent no Origin)', async () => {
    const response = await proxy('POST', 'me/tasks', {
      cookie: alice.cookie,
      headers: { 'sec-fetch-site': 'same-origin' },
      body: { title: 'same origin by fetch metadata' },
    });
    expect(response.status).toBe(201);
    expect(taskSchema.parse(await response.json()).user_id).toBe(alice.id);
  });
});

describe('CSRF through simple-request bodies: only application/json is accepted', () => {
  const simpleBodies: [string, () => { rawBody: BodyInit; headers: Record<string, string> }][] = [
    // <form enctype="text/plain"> with name='{"title":"x","a":"' value='"}' sends JSON-looking text.
    ['text/plain carrying JSON', () => ({ rawBody: '{"title":"csrf","a":"="}', headers: { 'content-type': 'text/plain' } })],
    ['application/x-www-form-urlencoded', () => ({ rawBody: new URLSearchParams({ title: 'csrf', completed: 'true' }), headers: {} })],
    [
      'multipart/form-data',
      () => {
        const form = new FormData();
        form.set('title', 'csrf');
        form.set('completed', 'true');
        return { rawBody: form, headers: {} };
      },
    ],
    ['no Content-Type at all', () => ({ rawBody: new TextEncoder().encode('{"title":"csrf"}'), headers: {} })],
    ['text/plain; charset=application/json', () => ({ rawBody: '{"title":"csrf"}', headers: { 'content-type': 'text/plain; charset=application/json' } })],
    ['application/jsonp', () => ({ rawBody: '{"title":"csrf"}', headers: { 'content-type': 'application/jsonp' } })],
  ];

  for (const [kind, make] of simpleBodies) {
    it(`Content-type smuggling: ${kind} on POST/PUT/PATCH/complete (same origin, signed in) → 415, nothing created or changed`, async () => {
      const before = await snapshot(aliceToken);
      for (const [method, path] of [
        ['POST', 'me/tasks'],
        ['PUT', `me/tasks/${aliceTask.id}`],
        ['PATCH', `me/tasks/${aliceTask.id}`],
        ['PATCH', `me/tasks/${aliceTask.id}/complete`],
      ] as const) {
        const { rawBody, headers } = make();
        const response = await proxy(method, path, { cookie: alice.cookie, rawBody, headers: { origin: ORIGIN, ...headers } });
        await expectProblem(response, 415, `${method} ${path} ${kind}`);
      }
      expect(await snapshot(aliceToken)).toEqual(before);
    });
  }
});

describe('No state change on GET, HEAD or OPTIONS', () => {
  it('Verb tunnelling: GET with ?completed=true, ?_method=DELETE, ?title= and X-HTTP-Method-Override: DELETE → 200, nothing changes', async () => {
    const before = await snapshot(aliceToken);
    for (const path of [
      'me/tasks?completed=true&_method=DELETE&title=pwned',
      `me/tasks/${aliceTask.id}?_method=DELETE`,
      `me/tasks/${aliceTask.id}?completed=true&title=pwned&method=PATCH`,
    ]) {
      const response = await proxy('GET', path, {
        cookie: alice.cookie,
        headers: { origin: 'https://evil.example', 'x-http-method-override': 'DELETE', 'x-http-method': 'DELETE', 'x-method-override': 'PATCH' },
      });
      expect(response.status, path).toBe(200);
    }
    expect(await snapshot(aliceToken)).toEqual(before);
  });

  it('Verb tunnelling: GET on /complete (an <img src> toggle) → 405 with Allow: PATCH, nothing changes', async () => {
    const before = await snapshot(aliceToken);
    const response = await proxy('GET', `me/tasks/${aliceTask.id}/complete`, { cookie: alice.cookie, headers: { origin: 'https://evil.example' } });
    await expectProblem(response, 405);
    expect(response.headers.get('allow')).toBe('PATCH');
    expect(await snapshot(aliceToken)).toEqual(before);
  });

  it('GET carrying a JSON body (as a raw HTTP client can send one) → the body is ignored, nothing created', async () => {
    const before = await snapshot(aliceToken);
    // Fetch's Request refuses a GET with a body; this is one that got past a lenient HTTP stack.
    const request = rawRequest('POST', '/api/proxy/me/tasks', {
      cookie: alice.cookie,
      headers: { origin: 'https://evil.example' },
      body: { title: 'smuggled in a GET body' },
    });
    Object.defineProperty(request, 'method', { value: 'GET' });
    const response = await sendToProxy(request);
    expect(response.status).toBe(200);
    expect(await snapshot(aliceToken)).toEqual(before);
  });

  it('HEAD from a foreign origin on the list and an item → 200, nothing changes', async () => {
    const before = await snapshot(aliceToken);
    for (const path of ['me/tasks?_method=DELETE', `me/tasks/${aliceTask.id}?completed=true`]) {
      const response = await proxy('HEAD', path, { cookie: alice.cookie, headers: { origin: 'https://evil.example', 'x-http-method-override': 'DELETE' } });
      expect(response.status, path).toBe(200);
      expectNoCors(response, path);
    }
    expect(await snapshot(aliceToken)).toEqual(before);
  });

  it('CORS preflight: OPTIONS with a foreign Origin and Access-Control-Request-Method: DELETE → no CORS grant, nothing forwarded, nothing changes', async () => {
    const before = await snapshot(aliceToken);
    const watch = await watchTaskApi();
    try {
      for (const path of ['me/tasks', `me/tasks/${aliceTask.id}`, `me/tasks/${aliceTask.id}/complete`, '../auth/token']) {
        const response = await proxy('OPTIONS', path, {
          cookie: alice.cookie,
          headers: {
            origin: 'https://evil.example',
            'access-control-request-method': 'DELETE',
            'access-control-request-headers': 'content-type, authorization',
          },
        });
        expect(response.status, path).toBeLessThan(300);
        expectNoCors(response, path);
      }
      expect(watch.seen).toHaveLength(0);
    } finally {
      watch.restore();
    }
    expect(await snapshot(aliceToken)).toEqual(before);
  });
});

describe('Path handling: only task API paths are forwarded', () => {
  const paths = [
    '..',
    '../auth/token',
    '%2e%2e/auth/token',
    '%2E%2E/',
    '%2E%2E/%2E%2E/api/auth/token',
    'me/tasks/%2e%2e/%2e%2e/auth/token',
    'me%2ftasks',
    'me%2Ftasks%2F1',
    'me/tasks%2F1%2Fcomplete',
    'me%5ctasks',
    'me%5Ctasks%5C1',
    'me//tasks',
    'me/tasks//1',
    '/me/tasks',
    '//evil.example/me/tasks',
    '@evil.example/tasks',
    'me@evil.example/tasks',
    'http://evil.example/api/me/tasks',
    'http:%2F%2Fevil.example/me/tasks',
    'https:/evil.example/me/tasks',
    'me/tasks/../../auth/token',
    'me/../auth/jwks',
    'me/tasks/1/../../../auth/get-session',
    'health',
    'openapi.json',
    'auth/get-session',
    'auth/token',
    'auth/jwks',
    'proxy/me/tasks',
    'me/tasks%00',
    'me/tasks/1%00',
    '%00/tasks',
    'me%00/tasks',
    'me/tasks/1/complete/extra',
    'me/tasks/1/delete',
    'me/notes',
    'me',
    '',
    'me/tasks/',
    'me/TASKS',
    'me/tasks;jsessionid=1',
    'me/tasks/1;x',
    'me:80/tasks',
    '%6De/tasks',
    'me/tasks/%31',
    'me/tasks/1%23',
    'me/tasks/%3F',
    'me/tasks/%20',
  ];

  for (const method of ['GET', 'POST'] as const) {
    it(`Path traversal and smuggling (${method}): ${paths.length} non-task-API paths → the proxy’s 404, nothing forwarded, nothing created`, async () => {
      const before = await snapshot(aliceToken);
      const watch = await watchTaskApi();
      try {
        for (const path of paths) {
          const response = await proxy(method, path, {
            cookie: alice.cookie,
            headers: { origin: ORIGIN },
            ...(method === 'POST' ? { body: { title: `via ${path}` } } : {}),
          });
          const text = await response.text();
          expect(response.status, `${method} /api/proxy/${path}: ${text}`).toBe(404);
          expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
          expect(JSON.parse(text), path).toEqual(NOT_FOUND_PROBLEM);
          expect(text, path).not.toMatch(/token|keys|session/i);
          expectNoCors(response, path);
        }
        expect(watch.seen.map((request) => request.url)).toEqual([]);
      } finally {
        watch.restore();
      }
      expect(await snapshot(aliceToken)).toEqual(before);
    });
  }

  it('Path control: the same session reaches the task API on a plain task path (the 404s above are the path check)', async () => {
    const response = await proxyAs(alice.cookie, 'GET', `me/tasks/${aliceTask.id}`);
    expect(response.status).toBe(200);
    expect(taskSchema.parse(await response.json()).id).toBe(aliceTask.id);
  });
});

describe('Header smuggling: the session cookie alone decides who the request acts as', () => {
  it('Authorization: Bearer <Bob’s valid token> alongside Alice’s cookie → acts as Alice, Bob’s data untouched', async () => {
    const bobBefore = await snapshot(bobToken);
    const headers = { origin: ORIGIN, authorization: `Bearer ${bobToken}` };

    const created = await proxy('POST', 'me/tasks', { cookie: alice.cookie, headers, body: { title: 'whose is this' } });
    expect(created.status).toBe(201);
    expect(taskSchema.parse(await created.json()).user_id).toBe(alice.id);

    const list = await proxy('GET', 'me/tasks', { cookie: alice.cookie, headers });
    const tasks = taskSchema.array().parse(await list.json());
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((task) => task.user_id === alice.id)).toBe(true);

    for (const [method, path, body] of [
      ['GET', `me/tasks/${bobTask.id}`, undefined],
      ['PATCH', `me/tasks/${bobTask.id}`, { title: 'pwned' }],
      ['DELETE', `me/tasks/${bobTask.id}`, undefined],
    ] as const) {
      const response = await proxy(method, path, { cookie: alice.cookie, headers, body });
      expect(await expectProblem(response, 404, `${method} ${path}`)).toEqual(NOT_FOUND_PROBLEM);
    }
    expect(await snapshot(bobToken)).toEqual(bobBefore);
  });

  it('Bearer token instead of a session: Bob’s valid token with no cookie → 401, the proxy does not accept Authorization', async () => {
    const bobBefore = await snapshot(bobToken);
    for (const [method, path, body] of [
      ['GET', 'me/tasks', undefined],
      ['POST', 'me/tasks', { title: 'via bearer' }],
      ['DELETE', `me/tasks/${bobTask.id}`, undefined],
    ] as const) {
      const response = await proxy(method, path, { headers: { origin: ORIGIN, authorization: `Bearer ${bobToken}` }, body });
      await expectProblem(response, 401, `${method} ${path}`);
    }
    expect(await snapshot(bobToken)).toEqual(bobBefore);
  });

  it('Identity headers (X-User-Id, X-Forwarded-*, X-Original-URL, X-Rewrite-URL, X-Tasklane-Request-Id) → acts as Alice, none reaches the task API', async () => {
    const bobBefore = await snapshot(bobToken);
    const smuggled = {
      'x-user-id': bob.id,
      'x-forwarded-for': '10.0.0.1',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      'x-real-ip': '10.0.0.2',
      'x-original-url': `/api/${bob.id}/tasks`,
      'x-rewrite-url': `/api/${bob.id}/tasks`,
      'x-tasklane-request-id': '00000000-0000-4000-8000-000000000000',
      forwarded: 'for=10.0.0.3;host=evil.example',
    };
    const watch = await watchTaskApi();
    let created: Response;
    let list: Response;
    try {
      created = await proxy('POST', 'me/tasks', { cookie: alice.cookie, headers: { origin: ORIGIN, ...smuggled }, body: { title: 'x-user-id' } });
      list = await proxy('GET', 'me/tasks', { cookie: alice.cookie, headers: { origin: ORIGIN, ...smuggled } });
    } finally {
      watch.restore();
    }
    expect(created.status).toBe(201);
    expect(taskSchema.parse(await created.json()).user_id).toBe(alice.id);
    expect(taskSchema.array().parse(await list.json()).every((task) => task.user_id === alice.id)).toBe(true);
    expect(list.headers.get('x-request-id')).not.toBe(smuggled['x-tasklane-request-id']);

    expect(watch.seen).toHaveLength(2);
    for (const forwarded of watch.seen) {
      const names = [...forwarded.headers.keys()];
      expect(names.every((name) => ['authorization', 'content-type', 'accept', 'x-tasklane-request-id'].includes(name)), names.join()).toBe(true);
      expect(forwarded.headers.get('x-tasklane-request-id')).not.toBe(smuggled['x-tasklane-request-id']);
      expect(new URL(forwarded.url).pathname).toBe('/api/me/tasks');
    }
    expect(await snapshot(bobToken)).toEqual(bobBefore);
  });

  it('CVE-2025-29927 style: x-middleware-subrequest: middleware:×5 neither skips the session check nor reaches the task API', async () => {
    const header = { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' };
    const bobBefore = await snapshot(bobToken);
    const watch = await watchTaskApi();
    try {
      for (const path of ['me/tasks', `${bob.id}/tasks`, `me/tasks/${bobTask.id}`]) {
        await expectProblem(await proxy('GET', path, { headers: { origin: ORIGIN, ...header } }), 401, path);
      }
      expect(watch.seen).toHaveLength(0);
      const own = await proxy('GET', 'me/tasks', { cookie: alice.cookie, headers: { origin: ORIGIN, ...header } });
      expect(own.status).toBe(200);
      expect(watch.seen).toHaveLength(1);
      expect(watch.seen[0]!.headers.get('x-middleware-subrequest')).toBeNull();
      await expectProblem(await proxy('GET', `me/tasks/${bobTask.id}`, { cookie: alice.cookie, headers: { origin: ORIGIN, ...header } }), 404);
    } finally {
      watch.restore();
    }
    // And straight at the task API: no token is still no token.
    for (const path of ['me/tasks', `${bob.id}/tasks`]) {
      await expectProblem(await api('GET', path, { headers: header }), 401, path);
    }
    expect(await snapshot(bobToken)).toEqual(bobBefore);
  });

  it('Method override: X-HTTP-Method-Override / X-HTTP-Method / X-Method-Override: DELETE → the method sent is the method applied', async () => {
    const headers = { origin: ORIGIN, 'x-http-method-override': 'DELETE', 'x-http-method': 'DELETE', 'x-method-override': 'DELETE' };
    const keep = await createTask(aliceToken, { title: 'must survive' });
    const read = await proxy('GET', `me/tasks/${keep.id}`, { cookie: alice.cookie, headers });
    expect(read.status).toBe(200);
    const patched = await proxy('PATCH', `me/tasks/${keep.id}`, { cookie: alice.cookie, headers, body: { description: 'patched' } });
    expect(patched.status).toBe(200);
    const created = await proxy('POST', 'me/tasks', { cookie: alice.cookie, headers, body: { title: 'created, not deleted' } });
    expect(created.status).toBe(201);
    const after = await callApi('GET', `me/tasks/${keep.id}`, { token: aliceToken });
    expect(after.status).toBe(200);
    expect(taskSchema.parse(await after.json()).description).toBe('patched');
  });

  it('Cookie mixing: Alice’s session_token with Bob’s session_data (cookie cache) → acts as Alice, never Bob', async () => {
    const aliceSession = cookieNamed(alice.cookie, 'session_token');
    const bobCache = cookieNamed(bob.cookie, 'session_data');
    expect(aliceSession).toBeDefined();
    expect(bobCache).toBeDefined();
    const bobBefore = await snapshot(bobToken);

    const list = await proxy('GET', 'me/tasks', { cookie: `${aliceSession}; ${bobCache}`, headers: { origin: ORIGIN } });
    expect(list.status).toBe(200);
    const tasks = taskSchema.array().parse(await list.json());
    expect(tasks.every((task) => task.user_id === alice.id)).toBe(true);
    const del = await proxy('DELETE', `me/tasks/${bobTask.id}`, { cookie: `${aliceSession}; ${bobCache}`, headers: { origin: ORIGIN } });
    await expectProblem(del, 404);

    // Bob's cookie cache alone, without his session token: no session.
    await expectProblem(await proxy('GET', 'me/tasks', { cookie: bobCache!, headers: { origin: ORIGIN } }), 401);
    expect(await snapshot(bobToken)).toEqual(bobBefore);
  });
});

describe('Methods', () => {
  it('Method tampering through the proxy: DELETE/PUT/PATCH on the collection, POST on an item, GET/PUT/POST/DELETE on /complete → 405 with Allow, nothing changes', async () => {
    const before = await snapshot(aliceToken);
    const cases = [
      ['DELETE', 'me/tasks', ['GET', 'POST']],
      ['PUT', 'me/tasks', ['GET', 'POST']],
      ['PATCH', 'me/tasks', ['GET', 'POST']],
      ['POST', `me/tasks/${aliceTask.id}`, ['DELETE', 'GET', 'PATCH', 'PUT']],
      ['GET', `me/tasks/${aliceTask.id}/complete`, ['PATCH']],
      ['PUT', `me/tasks/${aliceTask.id}/complete`, ['PATCH']],
      ['POST', `me/tasks/${aliceTask.id}/complete`, ['PATCH']],
      ['DELETE', `me/tasks/${aliceTask.id}/complete`, ['PATCH']],
    ] as const;
    for (const [method, path, allow] of cases) {
      const response = await proxyAs(alice.cookie, method, path, method === 'GET' || method === 'DELETE' ? {} : { body: { title: 'x', completed: true } });
      await expectProblem(response, 405, `${method} ${path}`);
      expect(
        response.headers
          .get('allow')
          ?.split(',')
          .map((m) => m.trim())
          .filter((m) => m !== 'HEAD' && m !== 'OPTIONS')
          .sort(),
        `${method} ${path}`,
      ).toEqual([...allow]);
    }
    expect(await snapshot(aliceToken)).toEqual(before);
  });

  it('Method tampering on the task API itself (as Next dispatches it): DELETE on the collection, POST on an item, GET on /complete → 405 problem with Allow', async () => {
    const before = await snapshot(aliceToken);
    for (const [method, path, allow] of [
      ['DELETE', 'me/tasks', ['GET', 'POST']],
      ['POST', `me/tasks/${aliceTask.id}`, ['DELETE', 'GET', 'PATCH', 'PUT']],
      ['GET', `me/tasks/${aliceTask.id}/complete`, ['PATCH']],
    ] as const) {
      const response = await api(method, path, { token: aliceToken, ...(method === 'POST' ? { body: { title: 'x' } } : {}) });
      expect(response.status, `${method} ${path}`).toBe(405);
      // RFC 9110 §15.5.6: a 405 MUST carry Allow; the contract: every error is a problem.
      expect(response.headers.get('allow'), `${method} ${path}: Allow`).not.toBeNull();
      expect(
        response.headers
          .get('allow')!
          .split(',')
          .map((m) => m.trim())
          .filter((m) => m !== 'HEAD' && m !== 'OPTIONS')
          .sort(),
      ).toEqual([...allow]);
      await expectProblem(response, 405, `${method} ${path}`);
    }
    expect(await snapshot(aliceToken)).toEqual(before);
  });
});

describe('CORS: no grant to foreign origins', () => {
  it('CORS: a foreign Origin (and Origin: null) on proxy and task API answers of every kind gets no Access-Control-Allow-Origin, never * with credentials', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://localhost:3000.evil.example']) {
      const responses: [string, Response][] = [
        ['proxy GET list', await proxy('GET', 'me/tasks', { cookie: alice.cookie, headers: { origin } })],
        ['proxy GET item', await proxy('GET', `me/tasks/${aliceTask.id}`, { cookie: alice.cookie, headers: { origin } })],
        ['proxy GET Bob’s item (404)', await proxy('GET', `me/tasks/${bobTask.id}`, { cookie: alice.cookie, headers: { origin } })],
        ['proxy GET without session (401)', await proxy('GET', 'me/tasks', { headers: { origin } })],
        ['proxy POST (403)', await proxy('POST', 'me/tasks', { cookie: alice.cookie, headers: { origin }, body: { title: 'x' } })],
        ['proxy DELETE collection (405)', await proxy('DELETE', 'me/tasks', { cookie: alice.cookie, headers: { origin } })],
        ['proxy non-task path (404)', await proxy('GET', 'auth/token', { cookie: alice.cookie, headers: { origin } })],
        [
          'proxy preflight',
          await proxy('OPTIONS', 'me/tasks', {
            headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
          }),
        ],
        ['API GET list', await api('GET', 'me/tasks', { token: aliceToken, headers: { origin } })],
        ['API POST', await api('POST', 'me/tasks', { token: aliceToken, headers: { origin }, body: { title: `cors ${origin}` } })],
        ['API without token (401)', await api('GET', 'me/tasks', { headers: { origin } })],
        ['API other user’s path (403)', await api('GET', `${bob.id}/tasks`, { token: aliceToken, headers: { origin } })],
        [
          'API preflight',
          await api('OPTIONS', 'me/tasks', {
            headers: { origin, 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' },
          }),
        ],
      ];
      for (const [what, response] of responses) {
        expectNoCors(response, `${origin} ${what}`);
        expect(response.headers.get('vary') ?? '', what).not.toMatch(/\*/);
      }
    }
  });
});
