import { createHmac, createPublicKey, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { decodeProtectedHeader, type JWK } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { problemSchema } from '@/lib/api/problem';
import { taskSchema, type TaskDto } from '@/lib/api/task-schemas';
import { env } from '@/server/env';
import { callApi, callAuth, callProxy, ORIGIN, signUp, tokenFor, type TestUser } from '@/test/app';
import { failOnUnhandledErrors, createTask, proxy, snapshot, type ListSnapshot, cursorAfter } from './attack-helpers';

// Property-based attacks (fast-check): hostile bodies, queries, paths and tokens thrown at the task
// API's handlers and at the proxy. The only acceptable answers are the contract's statuses, every
// error is a problem, nothing is ever a 500, and Alice never sees anything of Bob's.
// A failure prints fast-check's seed and path: pass them as `{ seed, path }` to fc.assert to replay.

vi.hoisted(() => {
  // eslint-disable-next-line no-restricted-properties -- env.ts reads the quota once, at import: fuzz without the per-user limit
  process.env.TASK_API_RATE_LIMIT = '0';
});

const RUNS = 250;

failOnUnhandledErrors();

let alice: TestUser;
let bob: TestUser;
let aliceToken: string;
let bobToken: string;
let aliceTasks: TaskDto[];
let bobTasks: TaskDto[];
let bobBefore: ListSnapshot;
/** Bob's list and tag: ids and names an attacker may try. */
let bobListId: number;
let bobTag: string;
/** Strings that must never appear in an answer to Alice. */
let bobSecrets: string[];

beforeAll(async () => {
  expect(env.taskApiRateLimit).toBe(0);
  alice = await signUp('Alice');
  bob = await signUp('Bob');
  aliceToken = await tokenFor(alice);
  bobToken = await tokenFor(bob);
  aliceTasks = [await createTask(aliceToken, { title: 'alice one' }), await createTask(aliceToken, { title: 'alice two', completed: true })];
  const marker = () => `bob-secret-${randomBytes(6).toString('hex')}`;
  const listName = marker();
  const listAnswer = await callApi('POST', 'me/lists', { token: bobToken, body: { name: listName } });
  expect(listAnswer.status).toBe(201);
  bobListId = ((await listAnswer.json()) as { id: number }).id;
  bobTag = marker();
  bobTasks = [
    await createTask(bobToken, { title: marker(), description: marker(), list_id: bobListId, tags: [bobTag] }),
    await createTask(bobToken, { title: marker(), completed: true, description: marker(), tags: [bobTag] }),
  ];
  bobSecrets = [bob.id, bob.email, listName, bobTag, ...bobTasks.flatMap((task) => [task.title, task.description!])];
  bobBefore = await snapshot(bobToken);
});

afterEach(async () => {
  // Whatever Alice threw, Bob's tasks are byte-for-byte what they were.
  expect(await snapshot(bobToken)).toEqual(bobBefore);
});

const ALL_STATUSES = [200, 201, 204, 400, 401, 403, 404, 405, 413, 415, 422, 429, 503];

/** The checks every answer to Alice must pass; returns the body text. */
async function checkAnswer(response: Response, allowed: number[], what: string): Promise<string> {
  const text = await response.text();
  const label = `${what} → ${response.status} ${text.slice(0, 200)}`;
  expect(allowed, label).toContain(response.status);
  expect(response.status, label).not.toBe(500);
  const everything = `${text}\n${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}`;
  for (const secret of bobSecrets) expect(everything.includes(secret), `${label}: Bob's data leaked`).toBe(false);
  if (response.status >= 400) {
    expect(response.headers.get('content-type'), label).toMatch(/^application\/problem\+json/);
    const problem = problemSchema.parse(JSON.parse(text));
    expect(problem.status, label).toBe(response.status);
    expect(text, label).not.toMatch(/\n\s+at |node_modules|stack/i);
  } else if (text !== '' && response.headers.get('content-type')?.startsWith('application/json')) {
    // Tasks name their user: every one is Alice's. Lists, tags and bulk counts carry no user id;
    // the secrets check above covers them.
    const body: unknown = JSON.parse(text);
    const items = Array.isArray(body) ? body : [body];
    for (const item of items) if (item && typeof item === 'object' && 'user_id' in item) expect(taskSchema.parse(item).user_id, label).toBe(alice.id);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const nastyUnits = fc.constantFrom(
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\ufeff',
  '\u200b',
  '\u0085',
  '<script>alert(1)</script>',
  "'; DROP TABLE tasks; --",
  '"',
  '\\',
  '%00',
  '${7*7}',
  '{{7*7}}',
  '../',
  '🧪',
  'é',
  ' ',
);
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: nastyUnits, maxLength: 12 }),
  fc.constantFrom('', ' ', 'x'.repeat(255), 'x'.repeat(256), `  ${'y'.repeat(255)}  `, 'd'.repeat(10_001)),
);
const prototypeKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'user_id', 'id', 'created_at', 'userId');
const hugeNumbers = fc.constantFrom('1e400', '-1e400', '9'.repeat(400), '-0', '0.0000000000000000000000001', '9007199254740993', 'NaN', 'Infinity');

/** A JSON text: random values, task-shaped records with hostile fields, prototype keys, huge numbers. */
const hostileJsonText = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.object().map((value) => JSON.stringify(value) ?? 'null'),
  fc
    .record(
      {
        title: fc.oneof(hostileString, fc.jsonValue()),
        description: fc.oneof(hostileString, fc.constant(null), fc.jsonValue()),
        completed: fc.oneof(fc.boolean(), fc.constantFrom('true', 1, 0, null, [], {})),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc
    .tuple(fc.record({ title: hostileString, completed: fc.boolean() }, { requiredKeys: [] }), prototypeKeys, fc.jsonValue())
    .map(([value, key, extra]) => `${JSON.stringify(value).slice(0, -1)}${Object.keys(value).length ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(extra)}}`),
  fc.tuple(fc.constantFrom('title', 'description', 'completed'), hugeNumbers).map(([key, number]) => `{"${key}":${number}}`),
);

/** Text the API must store and return exactly: any well-formed Unicode without NUL, markup and quotes included. */
const storableString = fc
  .string({ unit: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), nastyUnits), minLength: 1, maxLength: 60 })
  .filter((text) => text.isWellFormed() && !text.includes('\u0000') && text.trim() !== '');
const storableJsonText = fc
  .record({ title: storableString, description: fc.oneof(storableString, fc.constant(null)), completed: fc.boolean() }, { requiredKeys: ['title'] })
  .map((value) => JSON.stringify(value));

const anyBody = fc.oneof(
  { weight: 2, arbitrary: storableJsonText.map((text) => ({ rawBody: text as BodyInit, contentType: 'application/json' as string | undefined })) },
  { weight: 4, arbitrary: hostileJsonText.map((text) => ({ rawBody: text as BodyInit, contentType: 'application/json' as string | undefined })) },
  {
    weight: 1,
    arbitrary: fc.record({
      rawBody: fc.oneof(
        fc.string({ unit: 'binary', maxLength: 60 }).map((text): BodyInit => text),
        fc.uint8Array({ maxLength: 60 }).map((bytes): BodyInit => bytes),
        hostileJsonText.map((text): BodyInit => text),
      ),
      contentType: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'APPLICATION/JSON',
        'application/json;;;',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/jsonx',
        undefined,
      ),
    }),
  },
);

// ---------------------------------------------------------------------------------------------

describe('Fuzzing bodies', () => {
  it('Hostile JSON bodies (random JSON, prototype keys, NUL/surrogates/huge numbers) at create/update/complete, directly and through the proxy → contract statuses only, never Bob’s data', async () => {
    const writes = (): [string, string][] => [
      ['POST', 'me/tasks'],
      ['PUT', `me/tasks/${aliceTasks[0]!.id}`],
      ['PATCH', `me/tasks/${aliceTasks[0]!.id}`],
      ['PATCH', `me/tasks/${aliceTasks[1]!.id}/complete`],
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(3), fc.constantFrom('direct', 'proxy'), anyBody, async (target, via, { rawBody, contentType }) => {
        const [method, path] = writes()[target]!;
        const headers = contentType ? { 'content-type': contentType } : undefined;
        const response =
          via === 'direct'
            ? await callApi(method, path, { token: aliceToken, rawBody, headers })
            : await callProxy(method, path, { cookie: alice.cookie, rawBody, headers });
        const text = await checkAnswer(response, [200, 201, 400, 413, 415, 422], `${via} ${method} ${path}`);
        if (response.status < 300 && typeof rawBody === 'string' && rawBody.trim() !== '') {
          // Accepted text comes back exactly as sent (trimmed title): data, never transformed.
          const sent = JSON.parse(rawBody) as { title?: unknown; description?: unknown };
          const task = taskSchema.parse(JSON.parse(text));
          if (typeof sent.title === 'string') expect(task.title).toBe(sent.title.trim());
          if (typeof sent.description === 'string' || sent.description === null) expect(task.description).toBe(sent.description);
        }
      }),
      { numRuns: 2 * RUNS },
    );
  });

  it('Hostile JSON bodies at Bob’s task ids (me/{B task}, {B}/tasks/{B task}) → refused (403/404/4xx), never applied', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('PUT', 'PATCH', 'DELETE', 'COMPLETE'),
        fc.nat(1),
        fc.boolean(),
        fc.constantFrom('direct', 'proxy'),
        fc.oneof(anyBody, fc.constant({ rawBody: '{"title":"pwned","completed":true}' as BodyInit, contentType: 'application/json' as string | undefined })),
        async (operation, which, bobsPath, via, { rawBody, contentType }) => {
          const id = bobTasks[which]!.id;
          const user = bobsPath ? bob.id : 'me';
          const method = operation === 'COMPLETE' ? 'PATCH' : operation;
          const path = operation === 'COMPLETE' ? `${user}/tasks/${id}/complete` : `${user}/tasks/${id}`;
          const options = operation === 'DELETE' ? {} : { rawBody, headers: contentType ? { 'content-type': contentType } : undefined };
          const response =
            via === 'direct'
              ? await callApi(method, path, { token: aliceToken, ...options })
              : await callProxy(method, path, { cookie: alice.cookie, ...options });
          await checkAnswer(response, bobsPath ? [403] : [400, 404, 413, 415, 422], `${via} ${method} ${path}`);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('Fuzzing bulk changes', () => {
  const anyId = () => fc.oneof(fc.constantFrom('<alice-task>', '<bob-task>', '<bob-other>'), fc.integer(), fc.double(), fc.string({ maxLength: 5 }), fc.constant(null));
  const bulkBody = fc.record(
    {
      ids: fc.oneof(fc.array(anyId(), { maxLength: 6 }), fc.jsonValue()),
      filter: fc.oneof(
        fc.record(
          {
            status: fc.constantFrom('all', 'pending', 'completed', 'done'),
            q: hostileString,
            tag: fc.oneof(fc.array(fc.oneof(hostileString, fc.constant('<bob-tag>')), { maxLength: 3 }), fc.jsonValue()),
            list: fc.oneof(fc.constantFrom('inbox', '<bob-list>'), fc.integer(), hostileString),
            due: fc.constantFrom('overdue', 'today', 'week', 'later'),
            priority: fc.array(fc.constantFrom('none', 'low', 'high', 'urgent'), { maxLength: 3 }),
            user_id: fc.constant('<bob>'),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue(),
      ),
      action: fc.oneof(fc.constantFrom('complete', 'reopen', 'delete', 'move', 'add_tag', 'remove_tag', 'set_priority'), hostileString),
      list_id: fc.oneof(fc.constantFrom('<bob-list>', null), fc.integer(), hostileString),
      tag: fc.oneof(fc.constant('<bob-tag>'), hostileString),
      priority: fc.constantFrom('none', 'low', 'medium', 'high', 'urgent'),
      user_id: fc.constant('<bob>'),
    },
    { requiredKeys: [] },
  );

  it('Random bulk changes (Bob’s task ids, list, tag and user id among Alice’s and junk), directly and through the proxy → 200 or a 4xx problem; only Alice’s tasks counted; Bob unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(bulkBody, fc.constantFrom('direct', 'proxy'), async (body, via) => {
        // Never let a random change empty Alice's own data for the rest of the suite.
        fc.pre(body.action !== 'delete');
        const text = JSON.stringify(body)
          .replaceAll('"<alice-task>"', String(aliceTasks[0]!.id))
          .replaceAll('"<bob-task>"', String(bobTasks[0]!.id))
          .replaceAll('"<bob-other>"', String(bobTasks[1]!.id))
          .replaceAll('"<bob-list>"', String(bobListId))
          .replaceAll('<bob-tag>', bobTag)
          .replaceAll('<bob>', bob.id);
        const options = { rawBody: text, headers: { 'content-type': 'application/json' } };
        const response = via === 'direct' ? await callApi('POST', 'me/tasks/bulk', { token: aliceToken, ...options }) : await callProxy('POST', 'me/tasks/bulk', { cookie: alice.cookie, ...options });
        const answer = await checkAnswer(response, [200, 422], `${via} bulk ${text.slice(0, 200)}`);
        if (response.status === 200) expect((JSON.parse(answer) as { affected: number }).affected).toBeLessThanOrEqual(aliceTasks.length);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('Fuzzing queries', () => {
  const queryKeys = fc.constantFrom(
    'status',
    'limit',
    'cursor',
    'q',
    'priority',
    'tag',
    'list',
    'due',
    'due_from',
    'due_to',
    'sort',
    'order',
    'user_id',
    'userId',
    '__proto__',
    'constructor',
    'completed',
    '_method',
    'status[]',
    'limit[]',
  );
  const queryValues = fc.oneof(
    hostileString,
    fc.integer().map(String),
    fc.constantFrom('all', 'pending', 'completed', 'ALL', '1', '200', '201', '0', '-1', '1e3', '', 'null'),
    fc.constantFrom('inbox', 'overdue', 'today', 'week', 'none', 'scheduled', 'high,low', 'none,', 'due', 'title', 'priority', 'updated', 'created', 'asc', 'desc', '2026-02-29', '2024-02-29', '9999-12-31', '%', '_', '\\'),
    fc.constantFrom('<bob-list>', '<bob-tag>'),
    fc.nat({ max: 2 ** 53 }).map((id) => cursorAfter(Math.max(1, id))),
    // Cursors of other sorts, with keys of every kind (the server casts them: none may reach SQL unchecked).
    fc
      .tuple(fc.constantFrom('due', 'title', 'priority', 'updated'), fc.array(fc.oneof(hostileString, fc.constantFrom('infinity', '-infinity', '24:00:00', '2026-12-03', 'high')), { maxLength: 3 }), fc.nat())
      .map(([sort, keys, id]) => Buffer.from(JSON.stringify({ h: sort, k: keys, i: id })).toString('base64url')),
    fc.constant(''),
  );
  const query = fc.oneof(
    fc.array(fc.tuple(queryKeys, queryValues), { maxLength: 5 }).map((pairs) => new URLSearchParams(pairs).toString()),
    fc.webQueryParameters(),
    fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((raw) => raw.replace(/#/g, '%23')),
  );

  it('Random query strings (every filter, sort and cursor, Bob’s list and tag, junk, percent-encoding) on the list, directly and through the proxy → 200 with Alice’s tasks only, or 422', async () => {
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom('direct', 'proxy'), async (rawSearch, via) => {
        const search = rawSearch.replaceAll('%3Cbob-list%3E', String(bobListId)).replaceAll('%3Cbob-tag%3E', encodeURIComponent(bobTag));
        const path = `me/tasks?${search}`;
        const response = via === 'direct' ? await callApi('GET', path, { token: aliceToken }) : await callProxy('GET', path, { cookie: alice.cookie });
        await checkAnswer(response, [200, 422], `${via} GET ${path}`);
      }),
      { numRuns: 2 * RUNS },
    );
  });
});

describe('Fuzzing paths', () => {
  const taskIdSegment = fc.oneof(
    fc.constantFrom('0', '-1', '1e3', '0x1', ' 1', '01', '١', '９', '9007199254740993', '99999999999999999999', 'null', 'NaN', 'complete', 'tasks'),
    fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String),
    fc.string({ minLength: 1, maxLength: 20 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }),
  );

  it('Random user and task id segments straight at the task API (percent-encoded, as Next decodes them) → 403 unless me/Alice, otherwise 404 unless Alice’s task', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant('me'), fc.constantFrom('ME', 'Me', 'me ', 'null', 'undefined', '*', '%'), fc.constant('<alice>'), fc.constant('<bob>'), fc.string({ minLength: 1, maxLength: 30 })),
        fc.oneof(taskIdSegment, fc.constantFrom('<bob-task>', '<alice-task>')),
        fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'COMPLETE'),
        async (rawUser, rawTask, operation) => {
          const user = rawUser === '<alice>' ? alice.id : rawUser === '<bob>' ? bob.id : rawUser;
          const task = rawTask === '<bob-task>' ? String(bobTasks[0]!.id) : rawTask === '<alice-task>' ? String(aliceTasks[1]!.id) : rawTask;
          fc.pre(user.isWellFormed() && task.isWellFormed());
          // Next routes `.`/`..` segments away before any handler runs.
          fc.pre(![user, task].some((segment) => /^(\.|%2e){1,2}$/i.test(segment)));
          const method = operation === 'COMPLETE' ? 'PATCH' : operation;
          const path = `${encodeURIComponent(user)}/tasks/${encodeURIComponent(task)}${operation === 'COMPLETE' ? '/complete' : ''}`;
          const body = method === 'PUT' || method === 'PATCH' ? (operation === 'COMPLETE' ? undefined : { description: 'fuzzed' }) : undefined;
          const response = await callApi(method, path, { token: aliceToken, body });
          const own = user === 'me' || user === alice.id;
          // A random number may be one of Alice's own tasks (200/204, checked to be hers); Bob's are 404.
          const bobs = bobTasks.some((bobTask) => String(bobTask.id) === task);
          const allowed = !own ? [403] : bobs ? [404] : [200, 204, 404];
          await checkAnswer(response, allowed, `${method} /api/${path}`);
        },
      ),
      { numRuns: 2 * RUNS },
    );
  });

  const proxySegment = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('me', 'tasks', 'complete', 'bulk', 'lists', 'tags', '<alice>', '<bob>', '<bob-task>', '<alice-task>', '<bob-list>', '<bob-tag>') },
    {
      weight: 2,
      arbitrary: fc.constantFrom('..', '.', '%2e%2e', '%2E%2E', '%2f', '%2F', '%5c', '', '@evil.example', 'http:', 'evil.example', '%00', 'auth', 'token', 'jwks', 'health', 'openapi.json', 'get-session', 'proxy', '%', '%zz', ';', '?x=1', '#frag', '\\'),
    },
    { weight: 1, arbitrary: fc.webSegment() },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 8 }) },
  );

  /** Mostly task-API-shaped paths (me/tasks/{id}[/complete]) with one segment swapped for junk, or left intact. */
  const shapedProxyPath = fc
    .tuple(
      fc.constantFrom('me', '<alice>', '<bob>'),
      fc.constantFrom(
        ['tasks'],
        ['tasks', '<alice-task>'],
        ['tasks', '<bob-task>'],
        ['tasks', '<alice-task>', 'complete'],
        ['tasks', '<bob-task>', 'complete'],
        ['tasks', 'bulk'],
        ['lists'],
        ['lists', '<bob-list>'],
        ['tags'],
        ['tags', '<bob-tag>'],
      ),
      fc.option(fc.tuple(fc.nat(3), proxySegment), { nil: undefined, freq: 2 }),
    )
    .map(([user, rest, mutation]) => {
      const segments: string[] = [user, ...rest];
      if (mutation) segments.splice(Math.min(mutation[0], segments.length), mutation[0] % 2, mutation[1]);
      return segments;
    });

  it('Random proxy paths (traversal, encoded slashes, @host, NUL, junk) × methods × origins → contract statuses only; only Alice’s data; non-task paths never reach the task API as another user', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.array(proxySegment, { maxLength: 6 }), shapedProxyPath),
        fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.constantFrom(ORIGIN, 'null', 'https://evil.example', undefined),
        fc.oneof(
          fc.constant(undefined),
          fc.constant({ title: 'fuzzed through the proxy', completed: true }),
          fc.constant({ name: 'fuzzed list' }),
          fc.constant({ ids: [1, 2, 3], action: 'delete' }),
          fc.jsonValue(),
        ),
        async (segments, method, origin, body) => {
          const path = segments
            .map((segment) =>
              segment === '<alice>'
                ? alice.id
                : segment === '<bob>'
                  ? bob.id
                  : segment === '<bob-task>'
                    ? String(bobTasks[1]!.id)
                    : segment === '<alice-task>'
                      ? String(aliceTasks[0]!.id)
                      : segment === '<bob-list>'
                        ? String(bobListId)
                        : segment === '<bob-tag>'
                          ? encodeURIComponent(bobTag)
                          : segment,
            )
            .join('/');
          let response: Response;
          try {
            response = await proxy(method, path, {
              cookie: alice.cookie,
              headers: origin ? { origin } : {},
              body: method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? undefined : body,
            });
          } catch (error) {
            // Only a URL the fetch API itself cannot build is skipped (never the proxy's own throw).
            if (error instanceof TypeError && /URL|Request/i.test(error.message)) return fc.pre(false);
            throw error;
          }
          if (method === 'OPTIONS') {
            // Next's automatic OPTIONS: an empty 204 with Allow, and no CORS grant.
            expect(response.status).toBe(204);
            expect(response.headers.get('access-control-allow-origin')).toBeNull();
            return;
          }
          await checkAnswer(response, [200, 201, 204, 400, 403, 404, 405, 409, 413, 415, 422], `${method} /api/proxy/${path} origin=${origin}`);
        },
      ),
      { numRuns: 2 * RUNS },
    );
  });
});

describe('Fuzzing tokens', () => {
  let realKid: string;
  let publicJwk: JWK;
  let aliceSignature: string;
  let bobSignature: string;

  beforeAll(async () => {
    realKid = decodeProtectedHeader(aliceToken).kid!;
    const jwks = (await (await callAuth('GET', 'jwks')).json()) as { keys: JWK[] };
    publicJwk = jwks.keys.find((key) => key.kid === realKid)!;
    expect(publicJwk).toBeDefined();
    aliceSignature = aliceToken.split('.')[2]!;
    bobSignature = bobToken.split('.')[2]!;
  });

  const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

  function tokenArbitrary() {
    const now = Math.floor(Date.now() / 1000);
    const header = fc.record(
      {
        alg: fc.constantFrom('none', 'None', 'NONE', 'nOnE', 'HS256', 'HS384', 'HS512', 'RS256', 'ES256', 'ES512', 'PS256', 'EdDSA', 'Ed25519', '', 'RSA-OAEP'),
        kid: fc.oneof(
          fc.constant('<kid>'),
          fc.constantFrom('../../../../etc/passwd', "' OR '1'='1", "x'; DROP TABLE jwks; --", 'k'.repeat(10_000), '', 'null', '0', '/dev/null'),
          fc.string({ maxLength: 40 }),
          fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/),
        ),
        typ: fc.constantFrom('at+jwt', 'application/at+jwt', 'AT+JWT', 'JWT', 'jwt', ''),
        jku: fc.constant('http://127.0.0.1:9/jwks.json'),
        x5u: fc.constant('http://127.0.0.1:9/cert.pem'),
        jwk: fc.constant('<jwk>'),
        crit: fc.constantFrom(['exp'], ['x-unknown'], []),
        b64: fc.constant(false),
        cty: fc.constantFrom('JWT', 'at+jwt'),
      },
      { requiredKeys: ['alg'] },
    );
    const payload = fc.record(
      {
        sub: fc.oneof(fc.constantFrom('<bob>', '<alice>', '', 'me'), fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null)),
        exp: fc.oneof(fc.constant(now + 600), fc.constant(now - 600), fc.integer(), fc.double(), fc.constant('9999999999')),
        iat: fc.oneof(fc.constant(now), fc.constant(now + 10_000), fc.integer()),
        nbf: fc.oneof(fc.constant(now + 10_000), fc.constant(now - 10)),
        iss: fc.constantFrom(ORIGIN, 'https://evil.example', '', `${ORIGIN}/`),
        aud: fc.constantFrom(ORIGIN, 'https://evil.example', '<array>'),
        email: fc.constantFrom('<bob-email>', 'x@example.com'),
      },
      { requiredKeys: [] },
    );
    const signing = fc.oneof(
      fc.constantFrom('empty', 'alice', 'bob', 'hmac-jwk-json', 'hmac-x', 'hmac-pem'),
      fc.uint8Array({ maxLength: 96 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
    );
    const structured = fc.tuple(header, payload, signing).map(([h, p, s]) => {
      const head: Record<string, unknown> = { ...h, ...(h.kid === '<kid>' ? { kid: realKid } : {}), ...(h.jwk ? { jwk: publicJwk } : {}) };
      const body: Record<string, unknown> = {
        ...p,
        ...(p.sub === '<bob>' ? { sub: bob.id } : p.sub === '<alice>' ? { sub: alice.id } : {}),
        ...(p.aud === '<array>' ? { aud: [ORIGIN, 'https://evil.example'] } : {}),
        ...(p.email === '<bob-email>' ? { email: bob.email } : {}),
      };
      const input = `${b64(head)}.${b64(body)}`;
      const hmac = (key: Buffer | string) => createHmac('sha256', key).update(input).digest('base64url');
      const signature =
        s === 'empty'
          ? ''
          : s === 'alice'
            ? aliceSignature
            : s === 'bob'
              ? bobSignature
              : s === 'hmac-jwk-json'
                ? hmac(JSON.stringify(publicJwk))
                : s === 'hmac-x'
                  ? hmac(Buffer.from(publicJwk.x!, 'base64url'))
                  : s === 'hmac-pem'
                    ? hmac(createPublicKey({ key: publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString())
                    : s;
      return `${input}.${signature}`;
    });
    const bytes = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64url'));
    const randomParts = fc.tuple(bytes, bytes, bytes).map((parts) => parts.join('.'));
    // Alice's real token, tampered: payload swapped for Bob's, or a part dropped, or junk appended.
    const tampered = fc.constantFrom('swap-payload', 'drop-signature', 'two-parts', 'append', 'bob-header').map((kind) => {
      const [h, p, s] = aliceToken.split('.') as [string, string, string];
      const [, bp] = bobToken.split('.') as [string, string, string];
      if (kind === 'swap-payload') return `${h}.${bp}.${s}`;
      if (kind === 'drop-signature') return `${h}.${p}.`;
      if (kind === 'two-parts') return `${h}.${p}`;
      if (kind === 'append') return `${h}.${p}.${s}x`;
      return `${bobToken.split('.')[0]}.${bp}.${s}`;
    });
    const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)), maxLength: 80 });
    return fc.oneof({ weight: 4, arbitrary: structured }, { weight: 1, arbitrary: randomParts }, { weight: 1, arbitrary: tampered }, { weight: 1, arbitrary: latin1 });
  }

  it('Forged tokens (alg none/HS256 confusion/embedded jwk/jku/x5u/crit, hostile kid, Bob’s sub, tampered real tokens, random parts) → 401 with WWW-Authenticate, no outbound request, never Bob’s data', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      await fc.assert(
        fc.asyncProperty(
          tokenArbitrary(),
          fc.constantFrom('Bearer ', 'bearer ', 'BEARER ', 'Bearer  ', 'Basic ', 'Token ', ''),
          fc.constantFrom('GET me/tasks', 'GET {B}/tasks', 'POST me/tasks', 'GET me/tasks/{B task}', 'DELETE me/tasks/{B task}'),
          async (token, scheme, route) => {
            const [method, template] = route.split(' ') as [string, string];
            const path = template.replace('{B}', bob.id).replace('{B task}', String(bobTasks[0]!.id));
            let response: Response;
            try {
              response = await callApi(method, path, {
                headers: { authorization: `${scheme}${token}` },
                ...(method === 'POST' ? { body: { title: 'as whoever the token says' } } : {}),
              });
            } catch (error) {
              // Only header values fetch refuses to carry (control characters) are skipped.
              if (error instanceof TypeError && /header/i.test(error.message)) return fc.pre(false);
              throw error;
            }
            await checkAnswer(response, [401], `${method} ${template} with ${scheme}${token.slice(0, 80)}`);
            expect(response.headers.get('www-authenticate')).toMatch(/^Bearer( |$)/);
          },
        ),
        { numRuns: 2 * RUNS },
      );
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it('Token in the URL: ?access_token=<Alice’s real token> (with random extra query) and no Authorization header → 401, nothing listed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.webQueryParameters(), fc.constantFrom('access_token', 'ACCESS_TOKEN', 'access_token[]'), async (extra, key) => {
        const path = `me/tasks?${extra ? `${extra}&` : ''}${key}=${aliceToken}`;
        const response = await callApi('GET', path, {});
        await checkAnswer(response, [401], `GET ${path.slice(0, 80)}`);
      }),
      { numRuns: 50 },
    );
  });
});

describe('Fuzzing regressions (counterexamples found by the properties above, kept as examples)', () => {
  it('Text that could not come back exactly: a description or title that begins with U+FEFF is refused (422), not silently altered', async () => {
    // PGlite's reader drops a leading byte-order mark (TextDecoder without ignoreBOM); the API
    // refuses it on every database rather than store what it cannot return.
    const before = await (await callApi('GET', 'me/tasks', { token: aliceToken })).json();
    for (const body of [{ title: 'bom', description: '\ufeff!' }, { title: 'bom', description: '\ufeff' }, { title: '\ufeffbom', description: '\ufeffx' }]) {
      const direct = await callApi('POST', 'me/tasks', { token: aliceToken, body });
      expect(direct.status, JSON.stringify(body)).toBe(422);
      const viaProxy = await callProxy('POST', 'me/tasks', { cookie: alice.cookie, body });
      expect(viaProxy.status, JSON.stringify(body)).toBe(422);
    }
    const created = await createTask(aliceToken, { title: 'bom inside', description: 'x\ufeff' });
    expect(created.description).toBe('x\ufeff');
    const stored = taskSchema.parse(await (await callApi('GET', `me/tasks/${created.id}`, { token: aliceToken })).json());
    expect(stored.description).toBe('x\ufeff');
    await callApi('DELETE', `me/tasks/${created.id}`, { token: aliceToken });
    expect(await (await callApi('GET', 'me/tasks', { token: aliceToken })).json()).toEqual(before);
  });
});

describe('Fuzzing: every status seen is a contract status', () => {
  it('Sanity: the statuses allowed above are a subset of the contract’s', () => {
    for (const status of [200, 201, 204, 400, 401, 403, 404, 405, 413, 415, 422]) expect(ALL_STATUSES).toContain(status);
  });
});
