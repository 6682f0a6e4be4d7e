import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { taskSchema } from '@/lib/api/task-schemas';
import { getDb } from '@/server/db/client';
import { tasks } from '@/server/db/schema';
import { env } from '@/server/env';
import { signUp, tokenFor, type TestUser } from '@/test/app';
import { api, failOnUnhandledErrors, expectProblem, proxyAs, cursorAfter } from './attack-helpers';

// OWASP API4:2023 (unrestricted resource consumption): body size, JSON depth, page size, cursors,
// field lengths, and the per-user request quota.

const QUOTA = 5;

vi.hoisted(() => {
  // eslint-disable-next-line no-restricted-properties -- env.ts reads the quota once, at import: set it before any app module loads
  process.env.TASK_API_RATE_LIMIT = '5';
});

failOnUnhandledErrors();

beforeAll(() => {
  // The setup file must not load env.ts before the hoisted line above (it migrates on its own connection).
  expect(env.taskApiRateLimit).toBe(QUOTA);
});

interface Actor extends TestUser {
  token: string;
}

async function newActor(name: string): Promise<Actor> {
  const user = await signUp(name);
  return { ...user, token: await tokenFor(user) };
}

/** A user with a fresh quota for every `QUOTA` requests, for the tests that are not about the quota. */
function rotatingActor() {
  let current: Actor | undefined;
  let used = 0;
  return async (): Promise<Actor> => {
    if (!current || used >= QUOTA) {
      current = await newActor('Limits');
      used = 0;
    }
    used++;
    return current;
  };
}

/** Counted in the database, so checking costs no quota. */
async function taskCount(userId: string): Promise<number> {
  const db = await getDb();
  return (await db.select({ id: tasks.id }).from(tasks).where(eq(tasks.userId, userId))).length;
}

/** `{"title":"padded"}` padded with JSON whitespace to exactly `bytes` bytes. */
function jsonOfSize(bytes: number): string {
  const base = '{"title":"padded"';
  return `${base}${' '.repeat(bytes - base.length - 1)}}`;
}

const KB64 = 64 * 1024;

describe('Body size (64 KB)', () => {
  it('Oversized body: exactly 64 KB of valid JSON is accepted, 64 KB + 1 byte → 413 and nothing created', async () => {
    const actor = await newActor('Body');
    const exact = await api('POST', 'me/tasks', { token: actor.token, rawBody: jsonOfSize(KB64), headers: { 'content-type': 'application/json' } });
    expect(exact.status).toBe(201);
    const over = await api('POST', 'me/tasks', { token: actor.token, rawBody: jsonOfSize(KB64 + 1), headers: { 'content-type': 'application/json' } });
    expect((await expectProblem(over, 413)).detail).toMatch(/64 KB/);
    expect(await taskCount(actor.id)).toBe(1);
  });

  it('Oversized body with a lying Content-Length (10, absent/streamed, non-numeric) → 413; a declared 1 TB → 413 before reading', async () => {
    const next = rotatingActor();
    const body = jsonOfSize(70 * 1024);
    const stream = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      });
    const cases: [string, () => { rawBody: BodyInit; headers: Record<string, string> }][] = [
      ['Content-Length: 10', () => ({ rawBody: body, headers: { 'content-type': 'application/json', 'content-length': '10' } })],
      ['no Content-Length (streamed)', () => ({ rawBody: stream(), headers: { 'content-type': 'application/json' } })],
      ['Content-Length: abc', () => ({ rawBody: body, headers: { 'content-type': 'application/json', 'content-length': 'abc' } })],
      ['Content-Length: -1', () => ({ rawBody: body, headers: { 'content-type': 'application/json', 'content-length': '-1' } })],
      ['Content-Length: 1 TB, small body', () => ({ rawBody: '{"title":"x"}', headers: { 'content-type': 'application/json', 'content-length': String(2 ** 40) } })],
    ];
    const users = new Set<string>();
    for (const [what, make] of cases) {
      for (const [method, path] of [
        ['POST', 'me/tasks'],
        ['PATCH', 'me/tasks/1/complete'],
      ] as const) {
        const actor = await next();
        users.add(actor.id);
        const response = await api(method, path, { token: actor.token, ...make() });
        await expectProblem(response, 413, `${method} ${path} ${what}`);
      }
    }
    for (const id of users) expect(await taskCount(id)).toBe(0);
  });

  it('Endless body stream: the reader stops soon after 64 KB (413), it never buffers the whole stream', async () => {
    const actor = await newActor('Stream');
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    const response = await api('POST', 'me/tasks', { token: actor.token, rawBody: endless, headers: { 'content-type': 'application/json' } });
    await expectProblem(response, 413);
    expect(pulled).toBeLessThan(16);
  });

  it('Oversized body through the proxy (declared and streamed) → 413, nothing created', async () => {
    const actor = await newActor('ProxyBody');
    const body = jsonOfSize(KB64 + 1);
    await expectProblem(await proxyAs(actor.cookie, 'POST', 'me/tasks', { rawBody: body, headers: { 'content-type': 'application/json' } }), 413);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body));
        controller.close();
      },
    });
    await expectProblem(await proxyAs(actor.cookie, 'POST', 'me/tasks', { rawBody: streamed, headers: { 'content-type': 'application/json' } }), 413);
    expect(await taskCount(actor.id)).toBe(0);
  });
});

describe('JSON depth', () => {
  it('Deeply nested JSON: 100k `[` → 413; 32k-deep arrays, 10k-deep objects, a deep title → 4xx problems (never 500), nothing created', async () => {
    const next = rotatingActor();
    const deep = 32_000;
    const cases: [string, string, number][] = [
      ['100k [', '['.repeat(100_000), 413],
      ['32k-deep array', `${'['.repeat(deep)}${']'.repeat(deep)}`, 422],
      ['32k unterminated [', '['.repeat(deep), 400],
      ['10k-deep object', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, 422],
      ['deep title', `{"title":${'['.repeat(deep - 10)}${']'.repeat(deep - 10)}}`, 422],
      ['deep unknown field', `{"title":"x","extra":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`, 422],
    ];
    const users = new Set<string>();
    for (const [what, rawBody, status] of cases) {
      for (const [method, path] of [
        ['POST', 'me/tasks'],
        ['PUT', 'me/tasks/1'],
        ['PATCH', 'me/tasks/1/complete'],
      ] as const) {
        const actor = await next();
        users.add(actor.id);
        const response = await api(method, path, { token: actor.token, rawBody, headers: { 'content-type': 'application/json' } });
        // PUT on an id the user lacks still validates the body first (422), or is 404: both refuse.
        const expected = method === 'PUT' && status === 422 ? [404, 422] : [status];
        expect(expected, `${what} ${method} ${path} → ${response.status}`).toContain(response.status);
        await expectProblem(response, response.status, what);
      }
    }
    const actor = await newActor('DeepProxy');
    await expectProblem(
      await proxyAs(actor.cookie, 'POST', 'me/tasks', { rawBody: `${'['.repeat(deep)}${']'.repeat(deep)}`, headers: { 'content-type': 'application/json' } }),
      422,
    );
    users.add(actor.id);
    for (const id of users) expect(await taskCount(id)).toBe(0);
  });
});

describe('Page size and cursors', () => {
  it('Page size abuse: limit = 0, -1, 201, 1e9, abc, 1.5, empty, +5, 0x10, 1e2, 10000, 20 digits, NaN, Infinity → 422 naming limit (no clamping, per the contract)', async () => {
    const next = rotatingActor();
    for (const limit of ['0', '-1', '201', '1e9', 'abc', '1.5', '', '+5', ' 5', '0x10', '1e2', '10000', '99999999999999999999', 'NaN', 'Infinity', '5;select']) {
      const actor = await next();
      const response = await api('GET', `me/tasks?limit=${encodeURIComponent(limit)}`, { token: actor.token });
      const problem = await expectProblem(response, 422, `limit=${JSON.stringify(limit)}`);
      expect(problem.errors?.map((error) => error.path)).toEqual(['limit']);
    }
  });

  it('Page size control: limit 1 and 200 are accepted', async () => {
    const actor = await newActor('Limit');
    for (const limit of ['1', '200']) {
      const response = await api('GET', `me/tasks?limit=${limit}`, { token: actor.token });
      expect(response.status, limit).toBe(200);
    }
  });

  it('Cursor abuse: a 100k-character cursor, junk, forged ids (0, -1, beyond 2^53), an empty cursor → 422; nothing else is answered', async () => {
    const next = rotatingActor();
    const forge = (text: string) => btoa(text).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    for (const cursor of [
      'A'.repeat(100_000),
      '!!!',
      '',
      '../../etc/passwd',
      "' OR 1=1 --",
      forge('t:0'),
      forge('t:-1'),
      forge('t:1e3'),
      forge('t:99999999999999999'),
      forge('t:9007199254740993'),
      forge('x:1'),
      forge('t:1 OR 1=1'),
    ]) {
      const actor = await next();
      const response = await api('GET', `me/tasks?cursor=${encodeURIComponent(cursor)}`, { token: actor.token });
      const problem = await expectProblem(response, 422, `cursor=${cursor.slice(0, 40)}`);
      expect(problem.errors?.map((error) => error.path)).toEqual(['cursor']);
      expect(JSON.stringify(problem)).not.toContain(cursor.length > 3 ? cursor.slice(0, 100) : '\u0000');
    }
  });

  it('Cursor as an object reference: a cursor built from another user’s task id only bounds the caller’s own list', async () => {
    const victim = await newActor('Victim');
    const attacker = await newActor('Attacker');
    const victimTask = taskSchema.parse(await (await api('POST', 'me/tasks', { token: victim.token, body: { title: 'victim: cursor target' } })).json());
    await api('POST', 'me/tasks', { token: attacker.token, body: { title: 'attacker: own' } });
    const response = await api('GET', `me/tasks?cursor=${cursorAfter(victimTask.id + 1)}`, { token: attacker.token });
    expect(response.status).toBe(200);
    const page = taskSchema.array().parse(await response.json());
    expect(page.every((task) => task.user_id === attacker.id)).toBe(true);
    expect(page.map((task) => task.id)).not.toContain(victimTask.id);
  });
});

describe('Field lengths', () => {
  it('Oversized fields: a 256-character title and a 10,001-character description → 422 naming each, nothing created (255 and 10,000 pass)', async () => {
    const actor = await newActor('Fields');
    const response = await api('POST', 'me/tasks', { token: actor.token, body: { title: 't'.repeat(256), description: 'd'.repeat(10_001) } });
    const problem = await expectProblem(response, 422);
    expect(problem.errors?.map((error) => error.path).sort()).toEqual(['description', 'title']);
    const update = await api('PATCH', 'me/tasks/1', { token: actor.token, body: { title: 't'.repeat(256) } });
    expect((await expectProblem(update, 422)).errors?.map((error) => error.path)).toEqual(['title']);
    expect(await taskCount(actor.id)).toBe(0);

    const control = await api('POST', 'me/tasks', { token: actor.token, body: { title: 't'.repeat(255), description: 'd'.repeat(10_000) } });
    expect(control.status).toBe(201);
    expect(await taskCount(actor.id)).toBe(1);
  });
});

describe(`Per-user rate limit (TASK_API_RATE_LIMIT=${QUOTA})`, () => {
  it('Request flood: A’s 6th request in a minute → 429 problem with a numeric Retry-After; B keeps getting 200 meanwhile; A’s refused POST creates nothing', async () => {
    const a = await newActor('Flooder');
    const b = await newActor('Bystander');
    for (let i = 0; i < QUOTA; i++) {
      expect((await api('GET', 'me/tasks', { token: a.token })).status, `A request ${i + 1}`).toBe(200);
    }
    const refused = await api('GET', 'me/tasks', { token: a.token });
    const problem = await expectProblem(refused, 429);
    const retryAfter = refused.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    expect(problem.detail).toMatch(/retry/i);

    const post = await api('POST', 'me/tasks', { token: a.token, body: { title: 'over quota' } });
    await expectProblem(post, 429);
    expect(await taskCount(a.id)).toBe(0);

    for (let i = 0; i < QUOTA; i++) {
      expect((await api('GET', 'me/tasks', { token: b.token })).status, `B request ${i + 1}`).toBe(200);
    }
    await expectProblem(await api('GET', 'me/tasks', { token: a.token }), 429);
  });

  it('Request flood through the proxy: the 6th → 429 with Retry-After passed back; another user’s session is unaffected', async () => {
    const a = await newActor('ProxyFlooder');
    const b = await newActor('ProxyBystander');
    for (let i = 0; i < QUOTA; i++) {
      expect((await proxyAs(a.cookie, 'GET', 'me/tasks')).status, `A request ${i + 1}`).toBe(200);
    }
    const refused = await proxyAs(a.cookie, 'POST', 'me/tasks', { body: { title: 'over quota via proxy' } });
    await expectProblem(refused, 429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await taskCount(a.id)).toBe(0);
    expect((await proxyAs(b.cookie, 'GET', 'me/tasks')).status).toBe(200);
  });

  it('Quota evasion across instances: another instance (a fresh limiter in a new process) sees the same count on a server database; only the embedded one counts per process', async () => {
    const { limiterStore, resetLimiters } = await import('@/server/http/limiter');
    const a = await newActor('Hopper');
    for (let i = 0; i < QUOTA; i++) expect((await api('GET', 'me/tasks', { token: a.token })).status).toBe(200);
    await expectProblem(await api('GET', 'me/tasks', { token: a.token }), 429);
    // What a second instance starts with: no limiter of its own yet, only the shared store.
    resetLimiters();
    const next = await api('GET', 'me/tasks', { token: a.token });
    const { env } = await import('@/server/env');
    if (env.database.kind !== 'pglite') {
      expect(limiterStore()).toBe('database');
      await expectProblem(next, 429);
    } else {
      expect(limiterStore()).toBe('memory');
      expect(next.status).toBe(200);
    }
  });

  it('Quota evasion: switching between the proxy and a Bearer token does not reset the count (one quota per user)', async () => {
    const a = await newActor('Switcher');
    for (let i = 0; i < 3; i++) expect((await api('GET', 'me/tasks', { token: a.token })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await proxyAs(a.cookie, 'GET', 'me/tasks')).status).toBe(200);
    await expectProblem(await api('GET', 'me/tasks', { token: a.token }), 429);
    await expectProblem(await proxyAs(a.cookie, 'GET', 'me/tasks'), 429);
  });

  it('Quota exhaustion of a victim: forged tokens claiming B’s sub and A’s requests on B’s path do not spend B’s quota', async () => {
    const attacker = await newActor('Drainer');
    const victim = await newActor('Drained');
    const [header, payload, signature] = victim.token.split('.') as [string, string, string];
    const forged = `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    for (let i = 0; i < 3 * QUOTA; i++) {
      await expectProblem(await api('GET', 'me/tasks', { token: forged }), 401);
      await expectProblem(await api('GET', `${victim.id}/tasks`, { token: attacker.token }), 403);
    }
    for (let i = 0; i < QUOTA; i++) {
      expect((await api('GET', 'me/tasks', { token: victim.token })).status, `victim request ${i + 1}`).toBe(200);
    }
  });
});
