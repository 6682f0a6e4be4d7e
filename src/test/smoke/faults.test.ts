/* eslint-disable no-restricted-properties -- starts npm start on the PostgreSQL server under test */
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startApp, type Server } from '../../../support/processes';
import { Relay } from '../../../support/relay';
import { createServerDatabase, migrateServerDatabase } from '@/test/server-database';

/**
 * Faults under load, on `npm start` of the production build and a real PostgreSQL server: the
 * database going away and coming back while 20 clients read and write, and SIGTERM with 30
 * requests in flight. What was acknowledged is there afterwards, and nothing is half-written.
 */

const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECRET = 'faults-test-secret-0123456789-abcdefghij';
const CLIENTS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Client {
  id: string;
  cookie: string;
  token: string;
  listId: number;
  /** Titles of the tasks it created and got a 201 for, by task id. */
  acked: Map<number, string>;
  /** Titles it sent in a PATCH whose answer it never got as 2xx, by task id: they may or may not be there. */
  unsure: Map<number, Set<string>>;
}

interface Answer {
  client: number;
  startedAt: number;
  endedAt: number;
  status: number;
  retryAfter: string | null;
}

let database: { url: string; drop: () => Promise<void> };
const dataDirs: string[] = [];
let app: Server | undefined;

beforeAll(async () => {
  database = await createServerDatabase(SERVER_URL, 'tasklane_faults');
  await migrateServerDatabase(database.url);
}, 60_000);

afterEach(async () => {
  await app?.stop();
  app = undefined;
});

afterAll(async () => {
  await database?.drop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function start(databaseUrl: string): Promise<Server> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tasklane-faults-'));
  dataDirs.push(dataDir);
  // No quota: 20 clients as fast as they can go would spend it; TRUST_PROXY lets each sign up from its own address.
  return startApp({ port: await freePort(), dataDir, env: { DATABASE_URL: databaseUrl, BETTER_AUTH_SECRET: SECRET, TASK_API_RATE_LIMIT: '0', TRUST_PROXY: '1' } });
}

function cookieOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .join('; ');
}

async function newClient(server: Server, n: number, prefix: string): Promise<Client> {
  const response = await fetch(`${server.origin}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.origin, 'x-forwarded-for': `10.30.${n}.1` },
    body: JSON.stringify({ name: `${prefix} ${n}`, email: `${prefix}-${n}@example.com`, password: `${prefix}-long-password-${n}` }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  const { user } = (await response.json()) as { user: { id: string } };
  const cookie = cookieOf(response);
  const { token } = (await (await fetch(`${server.origin}/api/auth/token`, { headers: { cookie } })).json()) as { token: string };
  const list = await fetch(`${server.origin}/api/me/lists`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Faults' }),
  });
  expect(list.status).toBe(201);
  const { id: listId } = (await list.json()) as { id: number };
  return { id: user.id, cookie, token, listId, acked: new Map(), unsure: new Map() };
}

/**
 * One request of a client: half the clients through the proxy with their cookie, half with a
 * Bearer token. Never waits more than 15 s (a hang counts as status 0 and fails the test).
 */
async function send(server: Server, client: Client, n: number, method: string, route: string, body?: unknown): Promise<{ answer: Answer; json: unknown }> {
  const viaProxy = n % 2 === 0;
  const headers: Record<string, string> = viaProxy ? { cookie: client.cookie, origin: server.origin } : { authorization: `Bearer ${client.token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const startedAt = Date.now();
  try {
    const response = await fetch(`${server.origin}/api/${viaProxy ? 'proxy/' : ''}me/${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    const answer = { client: n, startedAt, endedAt: Date.now(), status: response.status, retryAfter: response.headers.get('retry-after') };
    return { answer, json: response.ok && text ? JSON.parse(text) : undefined };
  } catch {
    return { answer: { client: n, startedAt, endedAt: Date.now(), status: 0, retryAfter: null }, json: undefined };
  }
}

/** Mixed reads and writes until `until()` says stop: create (with a list and a tag), list, rename. */
async function drive(server: Server, client: Client, n: number, answers: Answer[], until: () => boolean) {
  for (let step = 0; step < 5_000 && !until(); step++) {
    const ids = [...client.acked.keys()];
    const kind = ids.length === 0 ? 0 : step % 3;
    if (kind === 0) {
      const title = `c${n} task ${step}`;
      const { answer, json } = await send(server, client, n, 'POST', 'tasks', { title, list_id: client.listId, tags: ['fault'], description: 'written under faults' });
      answers.push(answer);
      if (answer.status === 201) client.acked.set((json as { id: number }).id, title);
    } else if (kind === 1) {
      answers.push((await send(server, client, n, 'GET', 'tasks?limit=20')).answer);
    } else {
      const id = ids[step % ids.length]!;
      const title = `c${n} renamed ${step}`;
      const { answer } = await send(server, client, n, 'PATCH', `tasks/${id}`, { title });
      answers.push(answer);
      if (answer.status === 200) {
        client.acked.set(id, title);
        client.unsure.delete(id);
      } else {
        client.unsure.set(id, (client.unsure.get(id) ?? new Set()).add(title));
      }
    }
    // A client that is refused waits a moment, as the web app does (never longer than Retry-After).
    if (answers.at(-1)!.status >= 500) await sleep(200);
  }
}

/** Every acknowledged write is in the database, every task whole: its tag, its list's counts. */
async function expectNothingLost(clients: Client[]) {
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  try {
    for (const client of clients) {
      const rows = (await db.query<{ id: string; title: string; list_id: string | null; tags: string[] }>(
        `select t.id, t.title, t.list_id, coalesce(array_agg(tags.name) filter (where tags.name is not null), '{}') as tags
         from tasks t left join task_tags tt on tt.user_id = t.user_id and tt.task_id = t.id left join tags on tags.user_id = tt.user_id and tags.id = tt.tag_id
         where t.user_id = $1 group by t.user_id, t.id`,
        [client.id],
      )).rows;
      const byId = new Map(rows.map((row) => [Number(row.id), row]));
      for (const [id, title] of client.acked) {
        const row = byId.get(id);
        expect(row, `client ${client.id}: acknowledged task ${id} is missing`).toBeDefined();
        const allowed = new Set([title, ...(client.unsure.get(id) ?? [])]);
        expect(allowed.has(row!.title), `task ${id}: "${row!.title}" is neither the acknowledged title "${title}" nor one sent after it`).toBe(true);
      }
      // A create answered 503 may still have committed; whatever is there is whole.
      for (const row of rows) {
        expect(Number(row.list_id)).toBe(client.listId);
        expect(row.tags).toEqual(['fault']);
      }
      const list = (await db.query<{ task_count: number; open_count: number }>('select task_count, open_count from lists where id = $1', [client.listId])).rows[0]!;
      expect(list).toEqual({ task_count: rows.length, open_count: rows.length });
    }
  } finally {
    await db.end();
  }
}

/** How the database goes away: stopped (connections refused and reset), or unreachable (nothing answers, nothing closes). */
const FAULTS = [
  { name: 'stopped', cut: (relay: Relay) => relay.down() },
  { name: 'unreachable (every packet dropped)', cut: (relay: Relay) => relay.stall() },
];

describe.each(FAULTS)('the database $name under load (20 clients, mixed reads and writes)', ({ name, cut }) => {
  it('answers 503 with Retry-After within 5 s, never hangs past 10 s, is back to 2xx within 30 s of the restart without restarting the app, and lost no acknowledged write', async () => {
    const server = new URL(SERVER_URL);
    const relay = new Relay({ host: server.hostname, port: Number(server.port || 5432) });
    await relay.listen();
    const appUrl = new URL(database.url);
    appUrl.hostname = '127.0.0.1';
    appUrl.port = String(relay.port);
    app = await start(appUrl.toString());
    try {
      const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, n) => newClient(app!, n, `outage-${FAULTS.findIndex((f) => f.name === name)}`)));
      const answers: Answer[] = [];
      let stop = false;
      const load = clients.map((client, n) => drive(app!, client, n, answers, () => stop));

      await sleep(3_000);
      const downAt = Date.now();
      cut(relay);
      await sleep(15_000);
      const restoredAt = Date.now();
      relay.restore();
      // Until a write and a read are 2xx again, then 3 s more of load.
      let recoveredAt = 0;
      while (Date.now() - restoredAt < 35_000) {
        const since = answers.filter((answer) => answer.startedAt >= restoredAt);
        if (since.some((a) => a.status === 201) && since.some((a) => a.status === 200)) {
          recoveredAt = Date.now();
          break;
        }
        await sleep(100);
      }
      await sleep(3_000);
      stop = true;
      await Promise.all(load);

      const before = answers.filter((a) => a.endedAt < downAt);
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((a) => a.status >= 200 && a.status < 300), JSON.stringify(before.filter((a) => a.status >= 300))).toBe(true);
      // Started 5 s into the outage and answered before the restart: every one a 503 with Retry-After.
      // (One still waiting for a connection at the restart may get it and succeed.)
      const during = answers.filter((a) => a.startedAt >= downAt + 5_000 && a.endedAt < restoredAt);
      // Unreachable, an answer waits for the app's timeouts (5 s to connect, 4 s for a query): fewer.
      expect(during.length).toBeGreaterThanOrEqual(CLIENTS / 2);
      const wrong = during.filter((a) => a.status !== 503 || !/^\d+$/.test(a.retryAfter ?? ''));
      expect(wrong, JSON.stringify(wrong.slice(0, 5))).toEqual([]);
      // No answer ever took more than 10 s, and none was anything but 2xx or 503 (no hang, no 500).
      const slow = answers.filter((a) => a.endedAt - a.startedAt > 10_000 || a.status === 0);
      expect(slow, JSON.stringify(slow.slice(0, 5))).toEqual([]);
      expect(answers.filter((a) => !(a.status < 300 || a.status === 503))).toEqual([]);
      expect(recoveredAt, 'no 2xx within 30 s of the restart').toBeGreaterThan(0);
      expect(recoveredAt - restoredAt).toBeLessThanOrEqual(30_000);
      // After the recovery, 2xx only.
      const after = answers.filter((a) => a.startedAt >= recoveredAt);
      expect(after.filter((a) => a.status >= 300)).toEqual([]);

      await expectNothingLost(clients);
      const longest = Math.max(...answers.map((a) => a.endedAt - a.startedAt));
      const first503 = Math.min(...answers.filter((a) => a.status === 503).map((a) => a.endedAt)) - downAt;
      console.log(
        `database ${name}: ${answers.length} answers, ${answers.filter((a) => a.status === 503).length} of them 503; first 503 ${first503} ms after the stop; ` +
          `2xx again ${recoveredAt - restoredAt} ms after the restart; longest answer ${longest} ms; acknowledged creates ${clients.reduce((n, c) => n + c.acked.size, 0)}`,
      );
    } finally {
      relay.close();
    }
  }, 120_000);
});

/** A request sent by hand, so a response cut mid-way shows as such (`complete` false, or an error after the headers). */
function slowCreate(origin: string, token: string, title: string, release: Promise<void>) {
  const { hostname, port } = new URL(origin);
  const body = JSON.stringify({ title, tags: ['fault'] });
  return new Promise<{ status: number; headers: IncomingHttpHeaders; text: string; complete: boolean } | { refused: string }>((resolve) => {
    const req = request(
      { host: hostname, port, method: 'POST', path: '/api/me/tasks', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text, complete: res.complete }));
        res.on('error', (error) => resolve({ refused: `cut after the headers: ${error.message}` }));
      },
    );
    req.on('error', (error) => resolve({ refused: error.message }));
    // The head and half the body now; the rest once the signal has been sent.
    req.write(body.slice(0, 12));
    void release.then(() => req.end(body.slice(12)));
  });
}

describe('SIGTERM with 30 requests in flight', () => {
  it('finishes every accepted request, refuses new connections, exits 0 within 30 s, and every 201 is in the database', async () => {
    app = await start(database.url);
    const [client] = await Promise.all([newClient(app, 200, 'sigterm')]);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const inFlight = Array.from({ length: 30 }, (_, i) => slowCreate(app!.origin, client!.token, `in flight ${i}`, released));
    await sleep(500);
    const signalledAt = Date.now();
    process.kill(app.pid, 'SIGTERM');
    await sleep(500);
    // A new connection after the signal is refused before anything is accepted.
    const late = await slowCreate(app.origin, client!.token, 'too late', Promise.resolve());
    expect(late).toHaveProperty('refused');
    release();
    const results = await Promise.all(inFlight);
    for (const [i, result] of results.entries()) {
      expect(result, `request ${i}`).not.toHaveProperty('refused');
      const answer = result as { status: number; text: string; complete: boolean; headers: IncomingHttpHeaders };
      expect(answer.status, answer.text).toBe(201);
      expect(answer.complete).toBe(true);
      expect((JSON.parse(answer.text) as { title: string }).title).toBe(`in flight ${i}`);
      expect(answer.headers.connection).toBe('close');
    }
    expect(await app.exited()).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(30_000);
    expect(app.output()).toContain('database closed');

    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      const titles = (await db.query<{ title: string }>('select title from tasks where user_id = $1 order by id', [client!.id])).rows.map((row) => row.title);
      expect(titles.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `in flight ${i}`).sort());
    } finally {
      await db.end();
    }
  }, 90_000);
});
