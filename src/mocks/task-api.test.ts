import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TaskDto } from '@/lib/api/task-schemas';
import { describeTaskApiContract, USERS } from '@/test/contract/task-api-contract';
import { MOCK_USER } from '@/lib/build-flags';
import { createTaskApiHandlers, failNext, mockAccessToken } from './task-api';

const ORIGIN = 'http://localhost:3000';
const mock = createTaskApiHandlers({ origin: ORIGIN });
const signedOut = createTaskApiHandlers({ origin: 'http://signed-out.test', sessionUser: null });
const server = setupServer(...mock.handlers, ...signedOut.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

function send(method: string, url: string, init: { body?: unknown; rawBody?: BodyInit; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  let body = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return fetch(new URL(url, ORIGIN), { method, headers, body });
}

describeTaskApiContract('msw handlers (the UI tests’ mock)', async () => {
  const ids = Object.fromEntries(USERS.map((actor) => [actor, `mock-${actor}`]));
  return {
    userId: (actor) => ids[actor]!,
    setTimeZone: async (actor, timeZone) => mock.store.setTimeZone(ids[actor]!, timeZone),
    fireReminders: async () => void mock.store.fireDueReminders(),
    send: (actor, method, path, request = {}) =>
      send(method, `/api/${path}`, {
        ...request,
        headers: { ...(actor === 'anonymous' ? {} : { authorization: `Bearer ${mockAccessToken(ids[actor]!)}` }), ...request.headers },
      }),
  };
});

describe('msw handlers: the proxy paths', () => {
  beforeEach(() => {
    server.resetHandlers();
    mock.store.reset();
  });

  it('act as the signed-in mock user, with Link and Location as proxy paths', async () => {
    const created = await send('POST', '/api/proxy/me/tasks', { body: { title: 'first' } });
    expect(created.status).toBe(201);
    const task = (await created.json()) as TaskDto;
    expect(task.user_id).toBe(MOCK_USER.id);
    expect(created.headers.get('location')).toBe(`/api/proxy/me/tasks/${task.id}`);
    await send('POST', '/api/proxy/me/tasks', { body: { title: 'second' } });

    const page = await send('GET', '/api/proxy/me/tasks?limit=1');
    expect(((await page.json()) as TaskDto[]).map((t) => t.title)).toEqual(['second']);
    expect(page.headers.get('x-total-count')).toBe('2');
    expect(page.headers.get('link')).toMatch(/^<\/api\/proxy\/me\/tasks\?limit=1&cursor=[\w-]+>; rel="next"$/);
  });

  it('answer 401 problem when there is no session', async () => {
    const response = await fetch('http://signed-out.test/api/proxy/me/tasks');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('share the store with the Bearer paths of the same user', async () => {
    mock.store.seed(MOCK_USER.id, [{ title: 'seeded' }]);
    const direct = await send('GET', '/api/me/tasks', { headers: { authorization: `Bearer ${mockAccessToken(MOCK_USER.id)}` } });
    expect(((await direct.json()) as TaskDto[]).map((t) => t.title)).toEqual(['seeded']);
  });
});

describe('failNext', () => {
  beforeEach(() => {
    server.resetHandlers();
    mock.store.reset();
  });

  it('fails the next matching request with a contract problem, then lets requests through', async () => {
    server.use(failNext({ status: 503, method: 'POST', origin: ORIGIN }));
    const failed = await send('POST', '/api/proxy/me/tasks', { body: { title: 'lost?' } });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('5');
    expect(await failed.json()).toMatchObject({ status: 503, title: 'Service Unavailable', detail: expect.any(String) });
    // Nothing was stored by the failed request; the retry goes through.
    expect((await send('GET', '/api/proxy/me/tasks')).headers.get('x-total-count')).toBe('0');
    expect((await send('POST', '/api/proxy/me/tasks', { body: { title: 'lost?' } })).status).toBe(201);
  });

  it('leaves other methods alone and can fail several times', async () => {
    server.use(failNext({ status: 401, method: 'PATCH', times: 2, origin: ORIGIN }));
    expect((await send('GET', '/api/proxy/me/tasks')).status).toBe(200);
    const task = (await (await send('POST', '/api/proxy/me/tasks', { body: { title: 't' } })).json()) as TaskDto;
    expect((await send('PATCH', `/api/proxy/me/tasks/${task.id}/complete`)).status).toBe(401);
    expect((await send('PATCH', `/api/proxy/me/tasks/${task.id}/complete`)).status).toBe(401);
    expect((await send('PATCH', `/api/proxy/me/tasks/${task.id}/complete`)).status).toBe(200);
  });
});
