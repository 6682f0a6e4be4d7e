/* eslint-disable no-restricted-properties -- this test chooses the database the app opens */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServerDatabase } from '@/test/server-database';
import { Relay } from '../../../support/relay';

/**
 * The database goes away and comes back. The app sits behind a TCP relay the test controls, in
 * front of the PostgreSQL server TEST_DATABASE_URL names; without one, the relay leads nowhere and
 * only the outage half can be shown.
 */

const serverUrl = process.env.TEST_DATABASE_URL;

let relay: Relay;
let dropDatabase = async () => {};

beforeAll(async () => {
  // Without a server the relay leads nowhere, to a database that does not exist.
  let appUrl = new URL('postgres://postgres@127.0.0.1/tasklane');
  let target: { host: string; port: number } | undefined;
  if (serverUrl) {
    const server = new URL(serverUrl);
    target = { host: server.hostname, port: Number(server.port || 5432) };
    const database = await createServerDatabase(serverUrl, 'tasklane_outage');
    appUrl = new URL(database.url);
    dropDatabase = database.drop;
  }
  relay = new Relay(target);
  await relay.listen();
  // The app talks to the relay, which talks to the server.
  appUrl.hostname = '127.0.0.1';
  appUrl.port = String(relay.port);
  process.env.DATABASE_URL = appUrl.toString();
  if (serverUrl) {
    const { getDb } = await import('@/server/db/client');
    const { migrateServerDb } = await import('@/server/db/migrate');
    await migrateServerDb(await getDb());
  }
});

afterAll(async () => {
  const { closeDb } = await import('@/server/db/client');
  relay.restore();
  await closeDb();
  relay.close();
  await dropDatabase();
});

async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = await response.text();
  expect(body).not.toMatch(/ECONNREFUSED|at .*\.ts|127\.0\.0\.1/);
}

describe('when the database does not answer', () => {
  it('health, the task API and the proxy answer 503 with Retry-After, and recover by themselves', async () => {
    const { GET: health } = await import('@/app/api/health/route');
    const { callApi, callProxy, signUp, tokenFor } = await import('@/test/app');

    let user: Awaited<ReturnType<typeof signUp>> | undefined;
    let token: string | undefined;
    if (serverUrl) {
      expect((await health()).status).toBe(200);
      user = await signUp('Olive');
      token = await tokenFor(user);
      expect((await callApi('POST', 'me/tasks', { token, body: { title: 'before the outage' } })).status).toBe(201);
    }

    relay.down();
    const logged: string[] = [];
    const capture = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
    const spies = [vi.spyOn(console, 'log').mockImplementation(capture), vi.spyOn(console, 'error').mockImplementation(capture)];
    try {
      await expectUnavailable(await health());
      await expectUnavailable(await callApi('POST', 'me/tasks', { token: token ?? 'eyJhbGciOiJFZERTQSIsImtpZCI6Im5vbmUiLCJ0eXAiOiJhdCtqd3QifQ.e30.c2ln', body: { title: 'during the outage' } }));
      if (user) await expectUnavailable(await callProxy('GET', 'me/tasks', { cookie: user.cookie }));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    // One JSON line per failure, naming the cause but quoting none of the request's data.
    const events = logged.map((line) => JSON.parse(line) as { event: string; error: string });
    expect(events.map((e) => e.event)).toContain('database_unavailable');
    expect(logged.join('\n')).not.toMatch(/during the outage|Failed query|params:/);
    if (user) expect(logged.join('\n')).not.toContain(user.id);

    if (!serverUrl) return;
    relay.restore();
    expect((await health()).status).toBe(200);
    const list = await callApi('GET', 'me/tasks', { token });
    expect(list.status).toBe(200);
    // Nothing half-written: the outage's write is not there, the earlier one is.
    expect(((await list.json()) as { title: string }[]).map((t) => t.title)).toEqual(['before the outage']);
  });
});
