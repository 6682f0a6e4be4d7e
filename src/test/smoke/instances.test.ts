/* eslint-disable no-restricted-properties -- starts two instances on the database and Redis under test */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startApp, type Server } from '../../../support/processes';
import { createServerDatabase, migrateServerDatabase } from '@/test/server-database';

/**
 * Two `npm start` instances of the production build behind one public URL, on one PostgreSQL
 * database, as an operator runs them behind a load balancer (README, "More than one instance"):
 * once with the limits in Redis (REDIS_URL), once in PostgreSQL. Whatever one instance counts,
 * mints or ends holds on the other.
 */

const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** A Redis database of its own, emptied first: counters of another run never leak in. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/7';
const SECRET = 'two-instances-share-this-secret-0123456789';
const CRON_SECRET = 'cron-secret-for-the-instances-test';
/** Requests per user per minute: small enough to reach, large enough for a minute of polling both every 2.5 s. */
const QUOTA = 60;
const POLL_MS = 2_500;
/** Better Auth's sign-in limit (src/lib/auth-rules.ts): 3 attempts per 10 s per address. */
const SIGN_IN_MAX = 3;
/** Refused tokens per address per minute (src/server/http/rate-limit.ts). */
const FAILED_AUTH_LIMIT = 60;

interface Person {
  id: string;
  cookie: string;
}

interface Cluster {
  a: Server;
  b: Server;
  /** The one public URL both serve (BETTER_AUTH_URL): browsers send it as Origin. */
  publicUrl: string;
  database: { url: string; drop: () => Promise<void> };
  dataDirs: string[];
}

async function flushRedis(url: string) {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await client.flushdb();
  } finally {
    client.disconnect();
  }
}

async function startCluster(env: Record<string, string>): Promise<Cluster> {
  const database = await createServerDatabase(SERVER_URL, 'tasklane_instances');
  await migrateServerDatabase(database.url);
  const [portA, portB] = [await freePort(), await freePort()];
  const publicUrl = `http://127.0.0.1:${portA}`;
  const dataDirs = [mkdtempSync(path.join(os.tmpdir(), 'tasklane-a-')), mkdtempSync(path.join(os.tmpdir(), 'tasklane-b-'))];
  const shared = {
    DATABASE_URL: database.url,
    BETTER_AUTH_SECRET: SECRET,
    BETTER_AUTH_URL: publicUrl,
    CRON_SECRET,
    TASK_API_RATE_LIMIT: String(QUOTA),
    // The test is the load balancer: X-Forwarded-For names each client's address.
    TRUST_PROXY: '1',
    ...env,
  };
  const [a, b] = await Promise.all([
    startApp({ port: portA, dataDir: dataDirs[0]!, env: shared }),
    startApp({ port: portB, dataDir: dataDirs[1]!, env: shared }),
  ]);
  return { a, b, publicUrl, database, dataDirs };
}

async function stopCluster(cluster: Cluster | undefined) {
  if (!cluster) return;
  await Promise.all([cluster.a.stop(), cluster.b.stop()]);
  await cluster.database.drop();
  for (const dir of cluster.dataDirs) rmSync(dir, { recursive: true, force: true });
}

function cookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .join('; ');
}

let clientCount = 0;
/** A client address of its own, so one test's sign-in attempts never spend another's. */
function newAddress(): string {
  clientCount += 1;
  return `10.20.${Math.floor(clientCount / 250)}.${(clientCount % 250) + 1}`;
}

function authPost(cluster: Cluster, server: Server, endpoint: string, body: unknown, address: string, cookie?: string) {
  return fetch(`${server.origin}/api/auth/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: cluster.publicUrl, 'x-forwarded-for': address, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

async function signUp(cluster: Cluster, server: Server, name: string): Promise<Person & { email: string; password: string }> {
  const email = `${name.toLowerCase()}-${clientCount}@example.com`;
  const password = `${name}-long-password`;
  const response = await authPost(cluster, server, 'sign-up/email', { name, email, password }, newAddress());
  expect(response.status, await response.clone().text()).toBe(200);
  const { user } = (await response.json()) as { user: { id: string } };
  return { id: user.id, cookie: cookieOf(response), email, password };
}

function proxyGet(cluster: Cluster, server: Server, person: Person) {
  return fetch(`${server.origin}/api/proxy/me/tasks`, { headers: { cookie: person.cookie, origin: cluster.publicUrl } });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The limits every store must share: run once on Redis, once on PostgreSQL. */
function sharedLimitTests(cluster: () => Cluster) {
  it('counts sign-in attempts from one address once across both: the limit, never twice it, then 429 problems with Retry-After on either', async () => {
    const { a, b } = cluster();
    const address = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 2 * SIGN_IN_MAX; i++) {
      const server = i % 2 === 0 ? a : b;
      const response = await authPost(cluster(), server, 'sign-in/email', { email: 'nobody@example.com', password: 'wrong-password-123' }, address);
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      }
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([...Array<number>(SIGN_IN_MAX).fill(401), ...Array<number>(SIGN_IN_MAX).fill(429)]);
    // Another address is not limited by it.
    const other = await authPost(cluster(), b, 'sign-in/email', { email: 'nobody@example.com', password: 'wrong-password-123' }, newAddress());
    expect(other.status).toBe(401);
  });

  it('counts the task API quota once across both: QUOTA requests alternating between them pass, the next is 429 on either', async () => {
    const { a, b } = cluster();
    const person = await signUp(cluster(), a, 'Quota');
    const token = ((await (await fetch(`${a.origin}/api/auth/token`, { headers: { cookie: person.cookie } })).json()) as { token: string }).token;
    const get = (server: Server) => fetch(`${server.origin}/api/me/tasks`, { headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < QUOTA; i++) {
      const response = await get(i % 2 === 0 ? a : b);
      expect(response.status, `request ${i + 1}`).toBe(200);
      await response.arrayBuffer();
    }
    for (const server of [a, b]) {
      const refused = await get(server);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    }
  });

  it('counts refused tokens from one address once across both: after 60 on either, a good token from it is 429 on both (within a second)', async () => {
    const { a, b } = cluster();
    const person = await signUp(cluster(), a, 'Locked');
    const token = ((await (await fetch(`${a.origin}/api/auth/token`, { headers: { cookie: person.cookie } })).json()) as { token: string }).token;
    const address = newAddress();
    const get = (server: Server, bearer: string) =>
      fetch(`${server.origin}/api/me/tasks`, { headers: { authorization: `Bearer ${bearer}`, 'x-forwarded-for': address } });
    const forged = `${token.slice(0, -6)}AAAAAA`;
    for (let i = 0; i < FAILED_AUTH_LIMIT; i++) {
      const response = await get(i % 2 === 0 ? a : b, forged);
      expect(response.status, `forged token ${i + 1}`).toBe(401);
      await response.arrayBuffer();
    }
    // Each instance trusts its view of an address for a second (src/server/http/rate-limit.ts).
    await sleep(1_100);
    for (const server of [a, b]) {
      const refused = await get(server, token);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    }
  });
}

describe('two instances, limits in Redis (REDIS_URL)', () => {
  let cluster: Cluster | undefined;
  const current = () => cluster!;

  beforeAll(async () => {
    await flushRedis(REDIS_URL);
    cluster = await startCluster({ REDIS_URL });
  }, 120_000);

  afterAll(() => stopCluster(cluster), 60_000);

  sharedLimitTests(current);

  it('verifies on one instance an access token minted on the other, and both serve the same tasks', async () => {
    const { a, b } = current();
    const person = await signUp(current(), a, 'Minted');
    const response = await fetch(`${a.origin}/api/auth/token`, { headers: { cookie: person.cookie } });
    const { token } = (await response.json()) as { token: string };
    const created = await fetch(`${b.origin}/api/me/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'made on B' }),
    });
    expect(created.status).toBe(201);
    const onA = await fetch(`${a.origin}/api/me/tasks`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await onA.json()) as { title: string }[]).map((task) => task.title)).toEqual(['made on B']);
    // B publishes the key A signed with.
    const kid = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string };
    const jwks = (await (await fetch(`${b.origin}/api/auth/jwks`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((key) => key.kid)).toContain(kid.kid);
  });

  it('fires each reminder once while both instances’ timers and a cron call on each claim at the same time', async () => {
    const { a, b } = current();
    const person = await signUp(current(), a, 'Reminded');
    const count = 1_200;
    const client = new pg.Client({ connectionString: current().database.url });
    await client.connect();
    try {
      // Due already: the next claim on either instance takes them.
      await client.query(
        `insert into tasks (user_id, title, remind_at) select $1, 'remind me ' || n, now() - interval '1 minute' from generate_series(1, $2) as n`,
        [person.id, count],
      );
      const cron = (server: Server) =>
        fetch(`${server.origin}/api/cron/reminders`, { method: 'POST', headers: { authorization: `Bearer ${CRON_SECRET}`, 'x-forwarded-for': '10.99.0.1' } }).then(async (response) => {
          expect(response.status).toBe(200);
          return ((await response.json()) as { fired: number }).fired;
        });
      const fired = await Promise.all([cron(a), cron(b), cron(a), cron(b)]);
      // Each call claimed its own share; together, with the timers, every reminder exactly once.
      expect(fired.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(count);
      const deadline = Date.now() + 40_000;
      let total = 0;
      while (Date.now() < deadline) {
        total = Number((await client.query('select count(*) from notifications where user_id = $1', [person.id])).rows[0].count);
        if (total >= count) break;
        await sleep(500);
      }
      expect(total).toBe(count);
      const twice = await client.query('select task_id from notifications where user_id = $1 group by task_id having count(*) > 1', [person.id]);
      expect(twice.rows).toEqual([]);
      const unfired = await client.query('select count(*) from tasks where user_id = $1 and reminded_at is null', [person.id]);
      expect(Number(unfired.rows[0].count)).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('refuses on the other instance, within 60 s, a session signed out on one; no answer after the window is a 200', async () => {
    const { a, b } = current();
    const person = await signUp(current(), a, 'Leaver');
    // Both instances have checked (and cached) the session.
    for (const server of [a, b]) expect((await proxyGet(current(), server, person)).status).toBe(200);
    const signOut = await authPost(current(), a, 'sign-out', {}, newAddress(), person.cookie);
    expect(signOut.status).toBe(200);
    const signedOutAt = Date.now();
    let lastOk = 0;
    let firstRefused = 0;
    // Polled every POLL_MS on both: inside the quota.
    while (Date.now() - signedOutAt < 75_000) {
      for (const server of [b, a]) {
        const startedAt = Date.now();
        const response = await proxyGet(current(), server, person);
        await response.arrayBuffer();
        if (response.status === 200) lastOk = startedAt;
        else {
          expect(response.status).toBe(401);
          firstRefused ||= Date.now();
        }
      }
      if (firstRefused && Date.now() - signedOutAt > 60_000 + POLL_MS) break;
      await sleep(POLL_MS);
    }
    expect(firstRefused).toBeGreaterThan(0);
    expect(firstRefused - signedOutAt).toBeLessThanOrEqual(60_000 + POLL_MS);
    if (lastOk) expect(lastOk - signedOutAt).toBeLessThan(60_000);
  }, 120_000);
});

describe('two instances, limits in PostgreSQL (no REDIS_URL)', () => {
  let cluster: Cluster | undefined;

  beforeAll(async () => {
    cluster = await startCluster({});
  }, 120_000);

  afterAll(() => stopCluster(cluster), 60_000);

  sharedLimitTests(() => cluster!);
});

describe('an instance whose Redis does not answer', () => {
  let app: Server | undefined;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tasklane-noredis-'));

  beforeAll(async () => {
    database = await createServerDatabase(SERVER_URL, 'tasklane_noredis');
    await migrateServerDatabase(database.url);
    const port = await freePort();
    // Nothing listens there: every Redis command fails.
    const redisPort = await freePort();
    app = await startApp({
      port,
      dataDir,
      env: { DATABASE_URL: database.url, BETTER_AUTH_SECRET: SECRET, REDIS_URL: `redis://127.0.0.1:${redisPort}`, TASK_API_RATE_LIMIT: '5', TRUST_PROXY: '1' },
    });
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('still answers at once, and still limits, counting in its own memory; the log says so without the URL', async () => {
    const cluster = { publicUrl: app!.origin } as Cluster;
    const person = await signUp(cluster, app!, 'Unshared');
    const token = ((await (await fetch(`${app!.origin}/api/auth/token`, { headers: { cookie: person.cookie } })).json()) as { token: string }).token;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const startedAt = Date.now();
      const response = await fetch(`${app!.origin}/api/me/tasks`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      statuses.push(response.status);
      // One Redis command waits a second at most, then the memory count decides.
      expect(Date.now() - startedAt).toBeLessThan(5_000);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(app!.output()).toContain('"event":"redis_unavailable"');
  });
});
