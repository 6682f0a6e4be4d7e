import { beforeAll, describe, expect, it } from 'vitest';
import { taskSchema } from '@/lib/api/task-schemas';
import { callApi, callProxy, signUp, tokenFor, type TestUser } from '@/test/app';

/**
 * Idempotency-Key across requests that race (a client retrying before its first answer came):
 * the key is claimed in the database, so one request runs and the others are told to wait (409)
 * or get its answer. On PGlite (`npm test`) and PostgreSQL (`npm run test:pg`).
 */

let user: TestUser;
let token: string;

beforeAll(async () => {
  user = await signUp('Ida');
  token = await tokenFor(user);
});

const titled = async (title: string) =>
  taskSchema
    .array()
    .parse(await (await callApi('GET', `me/tasks?q=${encodeURIComponent(title)}&limit=200`, { token })).json())
    .filter((task) => task.title === title);

describe('Idempotency-Key', () => {
  it('creates one task when eight requests with one key race, each answered 201 (replayed) or 409', async () => {
    const request = { token, headers: { 'idempotency-key': 'race-key-1' }, body: { title: 'raced create' } };
    const answers = await Promise.all(Array.from({ length: 8 }, () => callApi('POST', 'me/tasks', request)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((answer) => answer.status === 201 && answer.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await titled('raced create')).toHaveLength(1);
    // Once answered, a retry gets that answer.
    const later = await callApi('POST', 'me/tasks', request);
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBe('true');
  });

  it('goes through the proxy: a browser retry after a lost answer never makes two tasks', async () => {
    const request = { cookie: user.cookie, headers: { 'idempotency-key': 'browser-retry-1' }, body: { title: 'made from the browser' } };
    const first = await callProxy('POST', 'me/tasks', request);
    const retry = await callProxy('POST', 'me/tasks', request);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await titled('made from the browser')).toHaveLength(1);
  });

  it('keeps a refusal (4xx) as the answer to replay, like any other', async () => {
    const request = { token, headers: { 'idempotency-key': 'freed-key' }, body: { title: 'after a failure', list_id: 999_999 } };
    expect((await callApi('POST', 'me/tasks', request)).status).toBe(422);
    const replayed = await callApi('POST', 'me/tasks', request);
    expect(replayed.status).toBe(422);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
