// `npm run bench [-- --db embedded --db postgres://postgres@127.0.0.1:5432/tasklane_bench]`
//
// Load benchmarks of the production build (`npm run build` first: this script builds nothing). For
// each --db it prepares a fresh database, starts `npm start` on a loopback port against it, drives
// it with autocannon (50 connections, after a warm-up) and prints one table per database, the
// ratios the performance targets are stated in, and bench/results.json. Then, once, the FastAPI
// fixture of interop/fastapi called directly and behind the proxy (backend-direct, backend-proxy;
// skipped when its Python packages are missing). Last, the soak (bench/soak.ts): two npm start on
// one PostgreSQL database (`<first postgres --db>_soak`, else tasklane_bench_soak on 127.0.0.1;
// skipped when that server is down), 50 users of mixed CRUD for --soak-seconds (60). `--only app`,
// `--only backend` or `--only soak` runs one part; `--only reminders` runs, on each --db, only
// notifications, notifications-unread and reminders-fire (which `app` includes), on a database
// seeded without the bulk-clear users.
// Exits 1 on any error answer, a wrong count or a lost write; missed targets are reported, not
// fatal (timings on a shared machine are noisy). The method and the latest results:
// docs/decisions/0007-how-performance-is-measured.md and 0008-performance-results-and-accepted-misses.md.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { compareText } from '../src/lib/api/text';
import { addDays, zonedNow } from '../src/lib/dates';
import {
  benchEmail,
  checkBulkClear,
  checkMixed,
  checkReminders,
  databaseEnv,
  dropDatabase,
  interopTarget,
  prepareDatabase,
  prepareSessionOnly,
  seedInteropTasks,
  siblingTarget,
  soakTarget,
  targetFor,
  unreachable,
  BIG_TASKS,
  CLEAR_ACTIVE,
  CLEAR_COMPLETED,
  BIG_UNREAD_NOTIFICATIONS,
  FIRE_REMINDERS,
  FIRE_ROUNDS,
  MIXED_USERS,
  type BenchUser,
  type ClearCheck,
  type DatabaseTarget,
  type FindingExpectations,
  type MixedCheck,
  type PostgresTarget,
  type Seed,
} from './database';
import { fire, measure, measureAmount, mixedRequests, MIX, type Measured, type MixedUser, type Scenario } from './load';
import { pidOf } from './processes';
import { runSoak, soakFailures, soakTable, SOAK_USERS, type SoakRun } from './soak';
import { fastApiAvailable, startFastApi } from '../support/fastapi';
import { freePort, startServer, type Server } from '../support/processes';

const root = process.cwd();
const { values: args } = parseArgs({
  options: {
    db: { type: 'string', multiple: true, default: ['embedded'] },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
    'soak-seconds': { type: 'string', default: '60' },
  },
});
/** What `--only` may name: the scenarios run on each --db, the reminder ones alone, the FastAPI pair, or the soak. */
const PARTS = ['app', 'reminders', 'backend', 'soak'];
if (args.only !== undefined && !PARTS.includes(args.only)) {
  console.error(`--only takes ${PARTS.join(' or ')}, not "${args.only}"`);
  process.exit(1);
}
const runsPart = (part: string) => args.only === undefined || args.only === part;
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds);
const SOAK_SECONDS = Number(args['soak-seconds']);
/** Every scenario but mixed: a warm-up, then ROUNDS interleaved rounds adding up to DURATION. */
const PLAN = { warmupSeconds: WARMUP, seconds: DURATION, rounds: ROUNDS };
/** Load over every endpoint before the first scenario, so it does not pay for the server's cold start alone. */
const SERVER_WARMUP_SECONDS = 5;
/** Seconds the mixed scenario aims for (it runs a fixed number of requests per user). */
const MIXED_SECONDS = DURATION * 1.5;
/** What the app instances are started with, so reminders-fire can call POST /api/cron/reminders. */
const CRON_SECRET = randomBytes(24).toString('base64url');

function requireBuild(): void {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) {
    console.error('No production build in .next/: run `npm run build` first (the bench measures the build you have, and builds nothing).');
    process.exit(1);
  }
  const built = statSync(buildId).mtimeMs;
  const newer = (dir: string): string | undefined => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      const found = entry.isDirectory() ? newer(file) : statSync(file).mtimeMs > built ? file : undefined;
      if (found) return found;
    }
    return undefined;
  };
  const changed = newer(path.join(root, 'src'));
  if (changed) console.warn(`Warning: ${path.relative(root, changed)} is newer than the build: run \`npm run build\` to measure it.\n`);
}

// ---------------------------------------------------------------------------------------------
// Sessions without sign-ups: the bench wrote the session rows, and signs their tokens the way
// Better Auth signs its session cookie (better-call's signCookieValue: HMAC-SHA256 with the
// secret, standard base64, then URL-encoded). get-session proves it, and sets the signed cookie
// cache (`session_data`) that spares the proxy a database read for 60 s.

function sessionTokenCookie(user: BenchUser, secret: string): string {
  const signature = createHmac('sha256', secret).update(user.sessionToken).digest('base64');
  return `better-auth.session_token=${encodeURIComponent(`${user.sessionToken}.${signature}`)}`;
}

async function signIn(origin: string, user: BenchUser, secret: string): Promise<string> {
  const cookie = sessionTokenCookie(user, secret);
  const response = await fetch(`${origin}/api/auth/get-session`, { headers: { cookie } });
  const body = (await response.json()) as { user?: { id?: string } } | null;
  if (response.status !== 200 || body?.user?.id !== user.id) {
    throw new Error(`get-session with the bench's cookie for ${user.id} answered ${response.status} ${JSON.stringify(body)}`);
  }
  const cache = response.headers
    .getSetCookie()
    .map((set) => set.split(';')[0]!)
    .filter((pair) => pair.startsWith('better-auth.session_data'));
  if (cache.length === 0) throw new Error('get-session set no better-auth.session_data cookie: is the cookie cache off?');
  return [cookie, ...cache].join('; ');
}

async function accessToken(origin: string, user: BenchUser, secret: string): Promise<string> {
  const response = await fetch(`${origin}/api/auth/token`, { headers: { cookie: sessionTokenCookie(user, secret) } });
  if (response.status !== 200) throw new Error(`/api/auth/token for ${user.id} answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * Waits until the server has worked off what a load left in flight: two answers from its health
 * URL in a row under 50 ms (the app's `select 1` queues behind the backlog's statements, the
 * FastAPI fixture's handler behind its thread pool's), 30 s at most.
 */
async function settled(healthUrl: string): Promise<void> {
  const deadline = performance.now() + 30_000;
  for (let fast = 0; fast < 2 && performance.now() < deadline; ) {
    const started = performance.now();
    await (await fetch(healthUrl)).arrayBuffer();
    fast = performance.now() - started < 50 ? fast + 1 : 0;
  }
}

/** One request before the load, so a scenario never measures fast 401s or empty pages. */
async function expectPage(url: string, headers: Record<string, string>, expected: { rows: number; total: number }): Promise<string | undefined> {
  const response = await fetch(url, { headers });
  const body = (await response.json()) as unknown;
  const total = Number(response.headers.get('x-total-count'));
  if (response.status !== 200 || !Array.isArray(body) || body.length !== expected.rows || total !== expected.total) {
    throw new Error(`GET ${url}: ${response.status}, ${Array.isArray(body) ? body.length : JSON.stringify(body)} rows, X-Total-Count ${total}; expected ${expected.rows} rows of ${expected.total}`);
  }
  return /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
}

// ---------------------------------------------------------------------------------------------
// "Finding tasks" on the 100,000-task user: each query's first page and its third (two Links on),
// checked before the load: 200, full pages, the X-Total-Count the seeding counted in SQL, every row
// matching the filter, and the three pages in the query's order with no task twice.

interface TaskJson {
  id: number;
  title: string;
  description: string | null;
  tags: string[];
  due_date: string | null;
  due_time: string | null;
}

interface FindingQuery {
  name: string;
  path: string;
  total: number;
  /** Why this row does not belong in the answer, if it does not. */
  reject: (task: TaskJson) => string | undefined;
  /** Negative when `a` comes before `b` in the query's order. */
  compare: (a: TaskJson, b: TaskJson) => number;
}

const byIdDesc = (a: TaskJson, b: TaskJson) => b.id - a.id;

function findingQueries(finding: FindingExpectations): FindingQuery[] {
  const today = zonedNow('UTC').date;
  const weekEnd = addDays(today, 6);
  const words = finding.search.q.toLowerCase().split(' ');
  return [
    {
      name: 'search',
      path: `/api/me/tasks?limit=20&q=${encodeURIComponent(finding.search.q)}`,
      total: finding.search.total,
      reject: (task) => {
        const text = `${task.title} ${task.description ?? ''}`.toLowerCase();
        return words.every((word) => text.includes(word)) ? undefined : `"${task.title}" lacks a word of "${finding.search.q}"`;
      },
      compare: byIdDesc,
    },
    {
      name: 'tag-due',
      path: `/api/me/tasks?limit=20&tag=${finding.tagWeek.tag}&due=week`,
      total: finding.tagWeek.total,
      reject: (task) =>
        task.tags.some((tag) => tag.toLowerCase() === finding.tagWeek.tag) && task.due_date !== null && task.due_date >= today && task.due_date <= weekEnd
          ? undefined
          : `task ${task.id} (tags ${task.tags.join(',')}, due ${task.due_date}) is not ${finding.tagWeek.tag} due ${today}..${weekEnd}`,
      compare: byIdDesc,
    },
    {
      name: 'sort-due',
      path: '/api/me/tasks?limit=20&sort=due',
      total: BIG_TASKS,
      reject: () => undefined,
      // Date, then time (untimed last in its day), no date last; ties by id descending.
      compare: (a, b) =>
        compareText(a.due_date ?? '9999-99-99', b.due_date ?? '9999-99-99') || compareText(a.due_time ?? '24:00', b.due_time ?? '24:00') || b.id - a.id,
    },
    {
      name: 'sort-title',
      path: '/api/me/tasks?limit=20&sort=title',
      total: BIG_TASKS,
      reject: () => undefined,
      compare: (a, b) => compareText(a.title.toLowerCase(), b.title.toLowerCase()) || b.id - a.id,
    },
  ];
}

/** The URLs of the query's first and third pages, after checking pages 1 to 3. */
async function walkFinding(origin: string, headers: Record<string, string>, query: FindingQuery): Promise<{ first: string; third: string }> {
  const seen: TaskJson[] = [];
  const urls: string[] = [query.path];
  for (let page = 1; page <= 3; page++) {
    const url = `${origin}${urls.at(-1)}`;
    const response = await fetch(url, { headers });
    const body = (await response.json()) as unknown;
    const total = Number(response.headers.get('x-total-count'));
    const fail = (what: string) => new Error(`${query.name}, page ${page}: GET ${url}: ${what}`);
    if (response.status !== 200 || !Array.isArray(body)) throw fail(`${response.status} ${JSON.stringify(body).slice(0, 300)}`);
    if (body.length !== 20 || total !== query.total) throw fail(`${body.length} rows, X-Total-Count ${total}; expected 20 rows of ${query.total}`);
    for (const task of body as TaskJson[]) {
      const rejected = query.reject(task);
      if (rejected) throw fail(rejected);
      const previous = seen.at(-1);
      if (previous && query.compare(previous, task) >= 0) throw fail(`task ${task.id} comes after task ${previous.id}, out of the query's order`);
      seen.push(task);
    }
    const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    if (page < 3) {
      if (!next) throw fail('no Link rel="next"');
      urls.push(next);
    }
  }
  return { first: urls[0]!, third: urls[2]! };
}

// ---------------------------------------------------------------------------------------------
// bulk-clear: one "clear completed" (`POST /tasks/bulk` {filter: {status: completed}, action:
// delete}) of CLEAR_COMPLETED tasks, the wall time of that one request, once per seeded user.

interface BulkClear {
  /** Each run's wall time, in run order. */
  ms: number[];
  medianMs: number;
  check: ClearCheck;
}

async function bulkClear(origin: string, users: BenchUser[], secret: string): Promise<number[]> {
  const times: number[] = [];
  for (const user of users) {
    const headers = { authorization: `Bearer ${await accessToken(origin, user, secret)}`, 'content-type': 'application/json' };
    const post = (body: object) => fetch(`${origin}/api/me/tasks/bulk`, { method: 'POST', headers, body: JSON.stringify(body) });
    // Warm the route on this user without changing anything: task 1 is another user's, so it matches nothing.
    const warm = await post({ ids: [1], action: 'set_priority', priority: 'none' });
    if (warm.status !== 200) throw new Error(`bulk-clear warm-up for ${user.id}: ${warm.status} ${await warm.text()}`);
    const started = performance.now();
    const response = await post({ filter: { status: 'completed' }, action: 'delete' });
    const body = await response.text();
    const ms = performance.now() - started;
    const affected = (JSON.parse(body) as { affected?: number }).affected;
    if (response.status !== 200 || affected !== CLEAR_COMPLETED) {
      throw new Error(`bulk-clear of ${user.id}: ${response.status} ${body}; expected 200 {"affected": ${CLEAR_COMPLETED}}`);
    }
    // The counters as the API reads them; the rows themselves are checked once the server is stopped.
    for (const [query, expected] of [['status=completed', 0], ['status=all', CLEAR_ACTIVE]] as const) {
      const list = await fetch(`${origin}/api/me/tasks?limit=1&${query}`, { headers });
      const total = Number(list.headers.get('x-total-count'));
      if (list.status !== 200 || total !== expected) throw new Error(`after bulk-clear of ${user.id}: ?${query} answered ${list.status}, X-Total-Count ${total}; expected ${expected}`);
    }
    times.push(ms);
    console.log(`   bulk-clear    ${user.id}: ${CLEAR_COMPLETED.toLocaleString('en')} completed tasks deleted in ${ms.toFixed(0)} ms`);
  }
  return times;
}

// ---------------------------------------------------------------------------------------------
// notifications and notifications-unread: GET /notifications of the 100,000-task user (its newest
// 200 of 300) and ?unread=true (its 50 unread), in interleaved rounds. reminders-fire: 1,000
// reminders armed among its 100,000 tasks (PATCH remind_at to a past instant, as a client would),
// then the one `POST /api/cron/reminders` that fires them, timed; FIRE_ROUNDS rounds, each on
// other tasks.
//
// `npm start` fires due reminders itself every 30 s (server/reminders.ts's timer): a tick between
// the arming and the POST would fire some of them, and the POST would answer fewer than 1,000.
// So each round runs just after a tick the bench has seen: a sentinel task of another user is
// armed, due at once, and the bench polls that user's notifications until the timer has fired it.
// The next tick is then 30 s away; a round (arming included) takes a few seconds.

/** server/reminders.ts's REMINDER_PERIOD_MS (the bench does not load the app's modules). */
const REMINDER_TIMER_MS = 30_000;
/** A round starts only with this much of the timer's period left (or 1.5 × the last round's time, if more); else after the next tick. */
const ROUND_ROOM_MS = 15_000;
/** Concurrent PATCHes while arming a round's reminders. */
const ARMING_CONNECTIONS = 8;

/** lib/api/notification-schemas.ts's NOTIFICATIONS_MAX: GET /notifications answers the newest this many. */
const NOTIFICATIONS_PAGE = 200;

interface NotificationJson {
  id: number;
  read_at: string | null;
}

/** One request before the load: 200, `rows` notifications, newest first, only unread ones with ?unread=true. */
async function expectNotifications(url: string, headers: Record<string, string>, rows: number, unread: boolean): Promise<void> {
  const response = await fetch(url, { headers });
  const body = (await response.json()) as unknown;
  const list = Array.isArray(body) ? (body as NotificationJson[]) : [];
  const wrong =
    response.status !== 200 || !Array.isArray(body) ? `${response.status} ${JSON.stringify(body).slice(0, 300)}`
    : list.length !== rows ? `${list.length} notifications; expected ${rows}`
    : list.some((each, i) => i > 0 && each.id >= list[i - 1]!.id) ? 'not newest first'
    : unread && list.some((each) => each.read_at !== null) ? 'a read notification among ?unread=true'
    : undefined;
  if (wrong) throw new Error(`GET ${url}: ${wrong}`);
}

/** The notification scenarios' load options, checked first. */
async function notificationScenarios(origin: string, pid: number, headers: Record<string, string>, seeded: number): Promise<Scenario[]> {
  const all = `${origin}/api/me/notifications`;
  const unread = `${all}?unread=true`;
  await expectNotifications(all, headers, Math.min(seeded, NOTIFICATIONS_PAGE), false);
  await expectNotifications(unread, headers, BIG_UNREAD_NOTIFICATIONS, true);
  return [
    { scenario: 'notifications', pid, options: { url: all, connections: CONNECTIONS, headers } },
    { scenario: 'notifications-unread', pid, options: { url: unread, connections: CONNECTIONS, headers } },
  ];
}

interface RemindersFire {
  /** Each round's POST, in round order: FIRE_REMINDERS fired each (ms per 1,000 when it is 1,000). */
  ms: number[];
  medianMs: number;
  /** Each round's arming (FIRE_REMINDERS PATCHes), for context. */
  armingMs: number[];
  /** Ticks of the server's timer the bench waited for. */
  ticks: number;
  /** After the server stopped: every armed reminder fired once, with one notification (database.ts's checkReminders). */
  problems: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function inParallel<T>(items: T[], connections: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < items.length) await each(items[next++]!);
    }),
  );
}

/**
 * Arms the sentinel (a reminder due at once) and waits until the server's timer has fired it: the
 * moment of a tick, within the polling interval. Answers when it saw it.
 */
async function timerTick(origin: string, headers: Record<string, string>, sentinel: number): Promise<number> {
  const count = async () => ((await (await fetch(`${origin}/api/me/notifications`, { headers })).json()) as unknown[]).length;
  const before = await count();
  const armed = await fetch(`${origin}/api/me/tasks/${sentinel}`, {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ remind_at: new Date(Date.now() - 1_000).toISOString() }),
  });
  if (armed.status !== 200) throw new Error(`arming the timer's sentinel: ${armed.status} ${await armed.text()}`);
  const deadline = performance.now() + REMINDER_TIMER_MS + 10_000;
  while (performance.now() < deadline) {
    await sleep(25);
    if ((await count()) > before) return performance.now();
  }
  throw new Error(`the server's reminder timer did not fire the sentinel within ${(REMINDER_TIMER_MS + 10_000) / 1000} s`);
}

async function remindersFire(origin: string, seed: Seed, secret: string): Promise<{ run: Omit<RemindersFire, 'problems'>; armed: number[] }> {
  const big = { authorization: `Bearer ${await accessToken(origin, seed.big, secret)}`, 'content-type': 'application/json' };
  const other = { authorization: `Bearer ${await accessToken(origin, seed.creator, secret)}` };
  const post = async () => {
    const response = await fetch(`${origin}/api/cron/reminders`, { method: 'POST', headers: { authorization: `Bearer ${CRON_SECRET}` } });
    const body = await response.text();
    let fired: unknown;
    try {
      fired = (JSON.parse(body) as { fired?: unknown }).fired;
    } catch {
      // not JSON: reported by the caller
    }
    return { status: response.status, body, fired };
  };
  // The route's first call loads it: not in a round. Nothing is due yet.
  const warm = await post();
  if (warm.status !== 200 || warm.fired !== 0) throw new Error(`reminders-fire warm-up: POST /api/cron/reminders answered ${warm.status} ${warm.body}; expected 200 {"fired": 0}`);
  const created = await fetch(`${origin}/api/me/tasks`, {
    method: 'POST',
    headers: { ...other, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'The bench’s reminder timer sentinel' }),
  });
  if (created.status !== 201) throw new Error(`creating the timer's sentinel: ${created.status} ${await created.text()}`);
  const sentinel = ((await created.json()) as { id: number }).id;

  const ms: number[] = [];
  const armingMs: number[] = [];
  const armed: number[] = [];
  let ticks = 0;
  let tick = -Infinity;
  let room = ROUND_ROOM_MS;
  for (let round = 0; round < FIRE_ROUNDS; round++) {
    if (performance.now() - tick > REMINDER_TIMER_MS - room) {
      tick = await timerTick(origin, other, sentinel);
      ticks++;
    }
    const roundStarted = performance.now();
    const ids = seed.reminders.armable.slice(round * FIRE_REMINDERS, (round + 1) * FIRE_REMINDERS);
    if (ids.length !== FIRE_REMINDERS) throw new Error(`reminders-fire: ${ids.length} tasks to arm in round ${round + 1}, ${FIRE_REMINDERS} expected`);
    // Due over the last 1,000 s, one a second: the claim fires them in remind_at order.
    const base = Date.now() - 60_000;
    const arming = performance.now();
    await inParallel(
      ids.map((id, i) => ({ id, at: new Date(base - i * 1_000).toISOString() })),
      ARMING_CONNECTIONS,
      async ({ id, at }) => {
        const response = await fetch(`${origin}/api/me/tasks/${id}`, { method: 'PATCH', headers: big, body: JSON.stringify({ remind_at: at }) });
        if (response.status !== 200) throw new Error(`reminders-fire: arming task ${id}: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
      },
    );
    armingMs.push(performance.now() - arming);
    armed.push(...ids);
    const started = performance.now();
    const first = await post();
    const took = performance.now() - started;
    const second = await post();
    const late = performance.now() - tick > REMINDER_TIMER_MS - 500 ? ' (the round ran into the timer’s next tick: it may have fired some)' : '';
    if (first.status !== 200 || first.fired !== FIRE_REMINDERS) {
      throw new Error(`reminders-fire, round ${round + 1}: POST /api/cron/reminders answered ${first.status} ${first.body}; expected 200 {"fired": ${FIRE_REMINDERS}}${late}`);
    }
    if (second.status !== 200 || second.fired !== 0) {
      throw new Error(`reminders-fire, round ${round + 1}: the second POST answered ${second.status} ${second.body}; expected 200 {"fired": 0}`);
    }
    ms.push(took);
    room = Math.max(ROUND_ROOM_MS, 1.5 * (performance.now() - roundStarted));
    console.log(
      `   reminders-fire round ${round + 1}: ${FIRE_REMINDERS.toLocaleString('en')} due reminders among ${BIG_TASKS.toLocaleString('en')} tasks fired by one POST in ${took.toFixed(0)} ms ` +
        `(armed by ${FIRE_REMINDERS} PATCHes in ${armingMs.at(-1)!.toFixed(0)} ms; then {"fired": 0})`,
    );
  }
  return { run: { ms, medianMs: median(ms), armingMs, ticks }, armed };
}

// ---------------------------------------------------------------------------------------------

interface DatabaseRun {
  database: string;
  seedSeconds: number;
  /** The median of `startups`. */
  startupMs: number;
  startups: number[];
  scenarios: Measured[];
  mixed: { check: MixedCheck; anomalies: string[]; operations: Record<keyof typeof MIX, number> };
  bulkClear: BulkClear;
  remindersFire: RemindersFire;
}

/** `--only reminders`: the notification scenarios and reminders-fire alone, on one start of the app. */
interface RemindersRun {
  database: string;
  seedSeconds: number;
  startupMs: number;
  scenarios: Measured[];
  remindersFire: RemindersFire;
}

/** The finding scenarios: each query's first page, and its third (`-p3`). */
const FINDING_SCENARIOS = ['search', 'tag-due', 'sort-due', 'sort-title'].flatMap((name) => [name, `${name}-p3`]);

/** The order of the table, whatever order the scenarios ran in. */
const SCENARIO_ORDER = ['bearer-list', 'proxy-list', 'health', 'proxy-create', 'list-100k', ...FINDING_SCENARIOS, 'notifications', 'notifications-unread', 'mixed', 'ceiling'];

/**
 * This process's environment with `extra`: the bench decides the database and the task service
 * (and its tokens), so an inherited one never wins.
 */
function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name === 'DATABASE_URL' || name === 'JWT_AUDIENCE' || name.startsWith('BACKEND_') || name.startsWith('ACCESS_TOKEN_')) delete env[name];
  }
  return { ...env, ...extra };
}

/**
 * `npm start` of the build on 127.0.0.1:`port` against `target`, with the bench's secret and
 * `extra` settings, as the startup target is stated; with --profile, node itself (NODE_OPTIONS may
 * not carry --cpu-prof), so the profile in `profileDir` is the server's alone.
 */
function startTasklane(target: DatabaseTarget, port: number, secret: string, profileDir: string, extra: Record<string, string> = {}): Promise<Server> {
  return startServer({
    ...(args.profile
      ? { command: process.execPath, args: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, 'server.mjs'] }
      : { command: 'npm', args: ['start'] }),
    port,
    readyPath: '/api/health',
    env: serverEnv({
      ...databaseEnv(target),
      NODE_ENV: 'production',
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
      BETTER_AUTH_SECRET: secret,
      // 50 connections of one user are far past the per-user quota by design: measure the app,
      // not the limiter's 429s.
      TASK_API_RATE_LIMIT: '0',
      NEXT_TELEMETRY_DISABLED: '1',
      // Production needs SMTP_URL for email reminders and account mail; the bench measures the app without mail.
      MAIL_REMINDERS: 'off',
      MAIL_ACCOUNTS: 'off',
      CRON_SECRET,
      ...extra,
    }),
  });
}

function logScenario(each: Measured): void {
  console.log(
    `   ${each.scenario.padEnd(14)} ${each.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${each.p50Ms} ms  p99 ${each.p99Ms} ms  errors ${each.errors}  RSS ${each.serverRssMb.toFixed(0)} MB`,
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function runOn(target: DatabaseTarget): Promise<DatabaseRun> {
  const secret = randomBytes(32).toString('base64url');
  console.log(`\n== ${target.label}: preparing the database`);
  const { seed, seconds: seedSeconds } = await prepareDatabase(target);
  const { finding } = seed;
  console.log(
    `   migrated and seeded in ${seedSeconds.toFixed(1)} s (users, sessions, ${seed.big.id}'s 100,000 tasks in one statement: ` +
      `${finding.lists} lists, ${finding.tags} tags on ${finding.taskTags} links, ${finding.dated} with a due date; ` +
      `q="${finding.search.q}" matches ${finding.search.total} (${((finding.search.total / BIG_TASKS) * 100).toFixed(2)} %), ` +
      `tag ${finding.tagWeek.tag} due this week ${finding.tagWeek.total}; ${seed.clear.length} bulk-clear users of ${CLEAR_COMPLETED + CLEAR_ACTIVE} tasks)`,
  );
  logReminderSeed(seed);

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const startApp = () => startTasklane(target, port, secret, path.join(root, 'bench', 'profiles', target.kind));
  const ceilingPort = await freePort();
  const ceilingUrl = `http://127.0.0.1:${ceilingPort}/?user=${seed.list.id}`;
  const startCeiling = async () => {
    const server = await startServer({
      command: process.execPath,
      args: ['--import', 'tsx', path.join('bench', 'ceiling-server.ts')],
      port: ceilingPort,
      readyPath: '/',
      env: serverEnv({ ...databaseEnv(target), NODE_ENV: 'production', PORT: String(ceilingPort), BETTER_AUTH_SECRET: secret, MAIL_REMINDERS: 'off', MAIL_ACCOUNTS: 'off' }),
    });
    await expectPage(ceilingUrl, {}, { rows: 20, total: 20 });
    return server;
  };

  // Startup: the median of three starts on the migrated database (one start on a shared machine is
  // a coin toss); the last one keeps running for the scenarios.
  const startups: number[] = [];
  let app = await startApp();
  startups.push(app.startupMs);
  for (let i = 1; i < (args.profile ? 1 : 3); i++) {
    await app.stop();
    app = await startApp();
    startups.push(app.startupMs);
  }
  const startupMs = median(startups);
  console.log(`   ${args.profile ? 'npm start (profiling)' : 'npm start'} → first 200 on /api/health: ${startups.map((ms) => ms.toFixed(0)).join(', ')} ms`);

  // The app's scenarios each start on a server that has finished the previous one's requests.
  const plan = { ...PLAN, settle: () => settled(`${origin}/api/health`) };
  const scenarios: Measured[] = [];
  const report = (...measured: Measured[]) => {
    for (const each of measured) {
      scenarios.push(each);
      logScenario(each);
    }
  };
  // On PostgreSQL the ceiling server runs beside the app and its rounds alternate with
  // bearer-list's, so the ratio meets one machine state. PGlite allows one process per data
  // directory: there it runs alone after the app.
  let ceiling: Server | undefined;
  let mixed: DatabaseRun['mixed'];
  let clearTimes: number[] = [];
  let fired: Awaited<ReturnType<typeof remindersFire>>;
  try {
    if (target.kind === 'postgres') ceiling = await startCeiling();
    const bearer = { authorization: `Bearer ${await accessToken(origin, seed.list, secret)}` };
    await expectPage(`${origin}/api/me/tasks`, bearer, { rows: 20, total: 20 });
    // The same page size as bearer-list (20), so the ratio isolates the user's 100,000 tasks.
    const bigHeaders = { authorization: `Bearer ${await accessToken(origin, seed.big, secret)}` };
    const firstPage = '/api/me/tasks?limit=20';
    const nextPage = await expectPage(`${origin}${firstPage}`, bigHeaders, { rows: 20, total: 100_000 });
    if (!nextPage) throw new Error('the first page of 100,000 tasks has no Link rel="next"');
    await expectPage(`${origin}${nextPage}`, bigHeaders, { rows: 20, total: 100_000 });
    const findingPages = [];
    for (const query of findingQueries(seed.finding)) {
      const { first, third } = await walkFinding(origin, bigHeaders, query);
      findingPages.push({ scenario: query.name, path: first }, { scenario: `${query.name}-p3`, path: third });
    }

    let cookie = await signIn(origin, seed.list, secret);
    await expectPage(`${origin}/api/proxy/me/tasks`, { cookie }, { rows: 20, total: 20 });
    await fire({
      url: origin,
      connections: CONNECTIONS,
      duration: SERVER_WARMUP_SECONDS,
      requests: [
        { path: '/api/me/tasks', headers: bearer },
        { path: '/api/proxy/me/tasks', headers: { cookie } },
        { path: firstPage, headers: bigHeaders },
        { path: nextPage, headers: bigHeaders },
        { path: '/api/health' },
      ],
    });
    await settled(`${origin}/api/health`);

    // Each proxy scenario starts with a fresh cookie cache (60 s) and ends well within it.
    cookie = await signIn(origin, seed.list, secret);
    report(
      ...(await measure(
        [
          { scenario: 'bearer-list', pid: app.pid, options: { url: `${origin}/api/me/tasks`, connections: CONNECTIONS, headers: bearer } },
          { scenario: 'proxy-list', pid: app.pid, options: { url: `${origin}/api/proxy/me/tasks`, connections: CONNECTIONS, headers: { cookie } } },
          ...(ceiling ? [{ scenario: 'ceiling', pid: ceiling.pid, options: { url: ceilingUrl, connections: CONNECTIONS } }] : []),
        ],
        plan,
      )),
    );
    await ceiling?.stop();
    // Not a target: what npm start answers with no auth and a `select 1`, the framework's floor.
    report(...(await measure([{ scenario: 'health', pid: app.pid, options: { url: `${origin}/api/health`, connections: CONNECTIONS } }], plan)));

    cookie = await signIn(origin, seed.creator, secret);
    const create = {
      url: `${origin}/api/proxy/me/tasks`,
      connections: CONNECTIONS,
      method: 'POST' as const,
      headers: { cookie, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Created by the bench', description: 'Through the proxy, with a session cookie' }),
    };
    report(...(await measure([{ scenario: 'proxy-create', pid: app.pid, options: create }], plan)));

    const big = { url: origin, connections: CONNECTIONS, headers: bigHeaders, requests: [{ path: firstPage }, { path: nextPage }] };
    report(...(await measure([{ scenario: 'list-100k', pid: app.pid, options: big }], plan)));

    // The finding scenarios in interleaved rounds, so they meet the same machine states.
    report(
      ...(await measure(
        findingPages.map(({ scenario, path: page }) => ({
          scenario,
          pid: app.pid,
          options: { url: `${origin}${page}`, connections: CONNECTIONS, headers: bigHeaders },
        })),
        plan,
      )),
    );

    // The bell's list, all and unread only, in interleaved rounds.
    report(...(await measure(await notificationScenarios(origin, app.pid, bigHeaders, seed.reminders.notifications), plan)));

    // Mixed: one connection per user, a fixed number of requests each (none cut off mid-flight, so
    // the bench knows what every user should have), sized from proxy-list to last ~MIXED_SECONDS.
    const users: MixedUser[] = [];
    for (const user of seed.mixed) {
      users.push({ user, cookie: await signIn(origin, user, secret), created: 0, deleted: 0, operations: { list: 0, create: 0, toggle: 0, delete: 0 }, anomalies: [] });
    }
    const proxyRate = scenarios.find((s) => s.scenario === 'proxy-list')!.reqPerSec;
    const perConnection = Math.max(20, Math.min(2_000, Math.round((proxyRate * MIXED_SECONDS) / MIXED_USERS)));
    let next = 0;
    const setupClient = (client: { setRequests: (requests: never[]) => void }) => {
      client.setRequests(mixedRequests(users[next++ % users.length]!, origin) as never[]);
    };
    report(
      await measureAmount(
        { scenario: 'mixed', pid: app.pid, options: { url: origin, connections: MIXED_USERS, perConnection, setupClient: setupClient as never } },
        10,
      ),
    );
    const operations = { list: 0, create: 0, toggle: 0, delete: 0 };
    for (const user of users) for (const key of Object.keys(operations) as (keyof typeof MIX)[]) operations[key] += user.operations[key];
    mixed = { check: undefined as never, anomalies: users.flatMap((user) => user.anomalies.map((a) => `${user.user.id} ${a}`)), operations };

    // Its 2 × 1,000 updates per round are far from autovacuum's threshold on the tasks.
    fired = await remindersFire(origin, seed, secret);

    // Last: its deletes leave dead rows for autovacuum, which must not run under another scenario.
    clearTimes = await bulkClear(origin, seed.clear, secret);
  } catch (error) {
    await ceiling?.stop();
    await app.stop();
    console.error(app.output().slice(-4000));
    throw error;
  }
  await app.stop();

  // The embedded database is free again: check the rows themselves.
  mixed.check = await checkMixed(target, seed.mixed);
  const { check } = mixed;
  console.log(
    `   mixed check: ${check.users} users, ${check.expectedRows} tasks expected, ${check.actualRows} found; ` +
      `${check.lostWrites.length} lost writes, ${check.unexpectedRows.length} cross-user or unexpected rows, ` +
      `${check.counterMismatches.length} counter mismatches, ${mixed.anomalies.length} wrong answers`,
  );

  const clearCheck = await checkBulkClear(target, seed.clear);
  console.log(
    `   bulk-clear check: ${seed.clear.length} users, ${clearCheck.wrongRows.length} with wrong rows left, ${clearCheck.counterMismatches.length} counter mismatches`,
  );
  const bulkClearRun: BulkClear = { ms: clearTimes, medianMs: median(clearTimes), check: clearCheck };
  const remindersFireRun: RemindersFire = { ...fired.run, problems: await checkReminders(target, seed.big.id, fired.armed) };
  logRemindersCheck(remindersFireRun, fired.armed.length);

  if (!ceiling) {
    ceiling = await startCeiling();
    try {
      report(...(await measure([{ scenario: 'ceiling', pid: ceiling.pid, options: { url: ceilingUrl, connections: CONNECTIONS } }], PLAN)));
    } finally {
      await ceiling.stop();
    }
  }
  scenarios.sort((a, b) => SCENARIO_ORDER.indexOf(a.scenario) - SCENARIO_ORDER.indexOf(b.scenario));
  return { database: target.label, seedSeconds, startupMs, startups, scenarios, mixed, bulkClear: bulkClearRun, remindersFire: remindersFireRun };
}

function logReminderSeed(seed: Seed): void {
  const { reminders } = seed;
  console.log(
    `   ${seed.big.id}'s reminders: ${reminders.fired} fired with their notifications (${reminders.unread} unread), ${reminders.future} armed for later, ` +
      `${reminders.completedUnfired} passed on completed tasks, ${reminders.due} due; ${reminders.recurring} weekly tasks; ` +
      `${reminders.otherNotifications} notifications of other users`,
  );
}

function logRemindersCheck(run: RemindersFire, armed: number): void {
  console.log(`   reminders-fire check: ${armed} armed, ${run.problems.length === 0 ? 'each fired once with one notification' : run.problems.join('; ')}`);
}

/** `--only reminders` on one database: seeded without the bulk-clear users, the app started once. */
async function runReminders(target: DatabaseTarget): Promise<RemindersRun> {
  const secret = randomBytes(32).toString('base64url');
  console.log(`\n== ${target.label}: preparing the database (--only reminders: no bulk-clear users)`);
  const { seed, seconds: seedSeconds } = await prepareDatabase(target, { clearUsers: 0 });
  console.log(`   migrated and seeded in ${seedSeconds.toFixed(1)} s`);
  logReminderSeed(seed);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const app = await startTasklane(target, port, secret, path.join(root, 'bench', 'profiles', target.kind));
  console.log(`   npm start → first 200 on /api/health: ${app.startupMs.toFixed(0)} ms`);
  const scenarios: Measured[] = [];
  let fired: Awaited<ReturnType<typeof remindersFire>>;
  try {
    const bigHeaders = { authorization: `Bearer ${await accessToken(origin, seed.big, secret)}` };
    const plan = { ...PLAN, settle: () => settled(`${origin}/api/health`) };
    scenarios.push(...(await measure(await notificationScenarios(origin, app.pid, bigHeaders, seed.reminders.notifications), plan)));
    scenarios.forEach(logScenario);
    fired = await remindersFire(origin, seed, secret);
  } catch (error) {
    await app.stop();
    console.error(app.output().slice(-4000));
    throw error;
  }
  await app.stop();
  const remindersFireRun: RemindersFire = { ...fired.run, problems: await checkReminders(target, seed.big.id, fired.armed) };
  logRemindersCheck(remindersFireRun, fired.armed.length);
  return { database: target.label, seedSeconds, startupMs: app.startupMs, scenarios, remindersFire: remindersFireRun };
}

// ---------------------------------------------------------------------------------------------
// backend-direct and backend-proxy: the FastAPI fixture of interop/fastapi, called directly with a
// token the bench signs, and through a second `npm start` whose proxy forwards to it (BACKEND_URL,
// HS256 tokens with the secret both share): the proxy's added cost in front of a seeds-style
// service. The fixture runs as its README and support/fastapi.ts run it: one uvicorn worker.

/** The user's tasks in the fixture: it has no pages, so both scenarios answer all of them. */
const BACKEND_TASKS = 50;

interface BackendRun {
  /** The app instance's database: the user and its session, no tasks. */
  database: string;
  fixtureDatabase: string;
  tasks: number;
  scenarios: Measured[];
}

/**
 * A token as the app's HS256 signer mints it (src/server/auth/sign-access-token.ts): `typ` at+jwt,
 * the app's issuer and audience; valid for a day, longer than any run.
 */
function hs256Token(user: BenchUser, secret: string, issuer: string): Promise<string> {
  return new SignJWT({ sub: user.id, email: benchEmail(user) })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setIssuedAt()
    .setExpirationTime('1d')
    .setIssuer(issuer)
    .setAudience(issuer)
    .sign(new TextEncoder().encode(secret));
}

/** One request to each before the load: 200, and exactly the seeded tasks, newest first. */
async function expectTasks(requests: { url: string; headers: Record<string, string> }[], ids: number[]): Promise<void> {
  for (const { url, headers } of requests) {
    const response = await fetch(url, { headers });
    const text = await response.text();
    let answered: string | undefined;
    try {
      const body = JSON.parse(text) as unknown;
      if (Array.isArray(body)) answered = (body as { id: number }[]).map((task) => task.id).join();
    } catch {
      // not JSON: reported below
    }
    if (response.status !== 200 || answered !== ids.join()) {
      throw new Error(`GET ${url}: ${response.status} ${text.slice(0, 300)}; expected 200 and the ${ids.length} seeded tasks, ids ${ids[0]} down to ${ids.at(-1)}`);
    }
  }
}

async function runBackend(appTarget: DatabaseTarget, fixtureTarget: PostgresTarget): Promise<BackendRun> {
  const secret = randomBytes(32).toString('base64url');
  console.log(`
== backend: the FastAPI fixture on ${fixtureTarget.label} (${fixtureTarget.name}), behind npm start on ${appTarget.label}`);
  const user = await prepareSessionOnly(appTarget, 'benchBackend');
  // The fixture creates its database and table when it starts: a fresh one each run.
  await dropDatabase(fixtureTarget);
  const fixturePort = await freePort();
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  // pyjwt-hs256 (seed 002's check, whose routes the fixture serves): it requires every claim. Issuer
  // and audience are the app's defaults, its URL, as for a deployment that sets neither.
  const fixture = await startFastApi({ style: 'pyjwt-hs256', secret, issuer: origin, audience: origin, databaseUrl: fixtureTarget.url, port: fixturePort });
  let app: Server | undefined;
  try {
    const ids = await seedInteropTasks(fixtureTarget, user.id, BACKEND_TASKS);
    app = await startTasklane(appTarget, port, secret, path.join(root, 'bench', 'profiles', 'backend'), { BACKEND_URL: fixture.url, ACCESS_TOKEN_ALG: 'HS256' });
    const bearer = { authorization: `Bearer ${await hs256Token(user, secret, origin)}` };
    const direct = `${fixture.url}/api/${user.id}/tasks`;
    const proxied = `${origin}/api/proxy/me/tasks`;
    await expectTasks([{ url: direct, headers: bearer }, { url: proxied, headers: { cookie: await signIn(origin, user, secret) } }], ids);
    console.log(`   ${BACKEND_TASKS} tasks seeded in interop_task; both answer 200 with the same ${ids.length} ids`);

    // A fresh cookie cache (60 s), which the pair's rounds end well within, as proxy-list's do.
    const cookie = await signIn(origin, user, secret);
    const fixturePid = pidOf(['--host', '127.0.0.1', '--port', String(fixturePort)]);
    const scenarios = await measure(
      [
        { scenario: 'backend-direct', pid: fixturePid, options: { url: direct, connections: CONNECTIONS, headers: bearer } },
        { scenario: 'backend-proxy', pid: app.pid, options: { url: proxied, connections: CONNECTIONS, headers: { cookie } } },
      ],
      {
        ...PLAN,
        settle: async () => {
          await settled(`${fixture.url}/health`);
          await settled(`${origin}/api/health`);
        },
      },
    );
    scenarios.forEach(logScenario);
    return { database: appTarget.label, fixtureDatabase: `${fixtureTarget.label} (${fixtureTarget.name})`, tasks: BACKEND_TASKS, scenarios };
  } catch (error) {
    console.error(fixture.output().slice(-4000));
    if (app) console.error(app.output().slice(-4000));
    throw error;
  } finally {
    await app?.stop();
    await fixture.stop();
  }
}

// ---------------------------------------------------------------------------------------------

interface Ratio {
  name: string;
  value: number;
  target: string;
  /** undefined: no target, shown for context. */
  met: boolean | undefined;
}

function ratiosOf(run: DatabaseRun, kind: DatabaseTarget['kind']): Ratio[] {
  const get = (name: string) => run.scenarios.find((s) => s.scenario === name)!;
  const ratios: Ratio[] = [];
  const proxy = get('proxy-list').reqPerSec / get('bearer-list').reqPerSec;
  ratios.push({ name: 'proxy-list / bearer-list req/s', value: proxy, target: '≥ 0.8', met: proxy >= 0.8 });
  const ceiling = get('bearer-list').reqPerSec / get('ceiling').reqPerSec;
  ratios.push({ name: 'bearer-list / ceiling req/s', value: ceiling, target: kind === 'postgres' ? '≥ 0.5' : '≥ 0.5 on PostgreSQL only', met: kind === 'postgres' ? ceiling >= 0.5 : undefined });
  const floor = get('health').reqPerSec / get('ceiling').reqPerSec;
  ratios.push({ name: 'health / ceiling req/s (npm start with no auth and `select 1`)', value: floor, target: 'none: the framework’s floor', met: undefined });
  const big = get('list-100k').p99Ms / get('bearer-list').p99Ms;
  ratios.push({ name: 'list-100k p99 / bearer-list p99', value: big, target: '≤ 1.2', met: big <= 1.2 });
  for (const name of FINDING_SCENARIOS) {
    const ratio = get(name).p99Ms / get('bearer-list').p99Ms;
    ratios.push({ name: `${name} p99 / bearer-list p99`, value: ratio, target: '≤ 1.5', met: ratio <= 1.5 });
  }
  const notificationsP99 = get('notifications-unread').p99Ms / get('bearer-list').p99Ms;
  ratios.push({ name: 'notifications-unread p99 / bearer-list p99', value: notificationsP99, target: 'none: a figure', met: undefined });
  ratios.push(...reminderRatios(run.scenarios, run.remindersFire));
  const clear = run.bulkClear.medianMs;
  ratios.push({ name: `bulk-clear of ${CLEAR_COMPLETED.toLocaleString('en')}, median of ${run.bulkClear.ms.length} (ms)`, value: clear, target: '< 2000', met: clear < 2000 });
  const rss = get('mixed').serverRssMb;
  ratios.push({ name: 'server RSS under mixed (MB)', value: rss, target: '≤ 400', met: rss <= 400 });
  if (kind === 'embedded') ratios.push({ name: 'npm start → first 200 (ms)', value: run.startupMs, target: '≤ 2000', met: run.startupMs <= 2000 });
  const errors = run.scenarios.reduce((sum, s) => sum + s.errors, 0);
  ratios.push({ name: 'errors, all scenarios', value: errors, target: '0', met: errors === 0 });
  return ratios;
}

/** Figures, not targets (none is stated for the bell's list nor the reminder run). */
function reminderRatios(scenarios: Measured[], fired: RemindersFire): Ratio[] {
  const get = (name: string) => scenarios.find((s) => s.scenario === name)!;
  const figure = 'none: a figure';
  return [
    { name: 'notifications-unread / notifications req/s', value: get('notifications-unread').reqPerSec / get('notifications').reqPerSec, target: figure, met: undefined },
    { name: 'notifications-unread / notifications p99', value: get('notifications-unread').p99Ms / get('notifications').p99Ms, target: figure, met: undefined },
    {
      name: `reminders-fire: ms per ${FIRE_REMINDERS.toLocaleString('en')} due among ${BIG_TASKS.toLocaleString('en')} tasks, median of ${fired.ms.length}`,
      value: fired.medianMs,
      target: figure,
      met: undefined,
    },
  ];
}

/** Figures, not targets: the fixture sets the pace of both, so they say what the proxy adds to it. */
function backendRatios(run: BackendRun): Ratio[] {
  const direct = run.scenarios.find((s) => s.scenario === 'backend-direct')!;
  const proxy = run.scenarios.find((s) => s.scenario === 'backend-proxy')!;
  const figure = 'none: the proxy’s added cost';
  const errors = direct.errors + proxy.errors;
  return [
    { name: 'backend-proxy / backend-direct req/s', value: proxy.reqPerSec / direct.reqPerSec, target: figure, met: undefined },
    { name: 'backend-proxy / backend-direct p50', value: proxy.p50Ms / direct.p50Ms, target: figure, met: undefined },
    { name: 'backend-proxy / backend-direct p99', value: proxy.p99Ms / direct.p99Ms, target: figure, met: undefined },
    { name: 'errors, both scenarios', value: errors, target: '0', met: errors === 0 },
  ];
}

function scenarioLines(scenarios: Measured[]): string[] {
  return [
    '| scenario | req/s | p50 ms | p99 ms | errors | server RSS MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...scenarios.map((s) => `| ${s.scenario} | ${s.reqPerSec.toFixed(0)} | ${s.p50Ms} | ${s.p99Ms} | ${s.errors} | ${s.serverRssMb.toFixed(0)} |`),
  ];
}

function ratioLines(ratios: Ratio[]): string[] {
  return [
    '| ratio | value | target | |',
    '| --- | ---: | --- | --- |',
    ...ratios.map((r) => `| ${r.name} | ${Number.isInteger(r.value) || r.value >= 10 ? r.value.toFixed(0) : r.value.toFixed(2)} | ${r.target} | ${r.met === undefined ? '' : r.met ? 'met' : 'MISSED'} |`),
  ];
}

function table(run: DatabaseRun, ratios: Ratio[]): string {
  const lines = [
    `### ${run.database}`,
    '',
    ...scenarioLines(run.scenarios),
    '',
    `npm start → first 200 on /api/health: ${run.startupMs.toFixed(0)} ms (median of ${run.startups.map((ms) => ms.toFixed(0)).join(', ')}). Mixed: ${Object.entries(run.mixed.operations)
      .map(([op, n]) => `${n} ${op}`)
      .join(', ')}; ${run.mixed.check.lostWrites.length} lost writes, ${run.mixed.check.unexpectedRows.length} cross-user rows, ` +
      `${run.mixed.check.counterMismatches.length} counter mismatches, ${run.mixed.anomalies.length} wrong answers.`,
    '',
    `bulk-clear (one \`POST /tasks/bulk\` deleting the ${CLEAR_COMPLETED.toLocaleString('en')} completed of ${(CLEAR_COMPLETED + CLEAR_ACTIVE).toLocaleString('en')} tasks, a fresh user each): ` +
      `${run.bulkClear.ms.map((ms) => ms.toFixed(0)).join(', ')} ms; ${run.bulkClear.check.wrongRows.length} users with wrong rows left, ` +
      `${run.bulkClear.check.counterMismatches.length} counter mismatches.`,
    '',
    remindersLine(run.remindersFire),
    '',
    ...ratioLines(ratios),
  ];
  return lines.join('\n');
}

function remindersLine(fired: RemindersFire): string {
  return (
    `reminders-fire (${FIRE_REMINDERS.toLocaleString('en')} reminders armed among ${BIG_TASKS.toLocaleString('en')} tasks, then one \`POST /api/cron/reminders\`, a round each): ` +
    `${fired.ms.map((ms) => ms.toFixed(0)).join(', ')} ms (arming by PATCH: ${fired.armingMs.map((ms) => ms.toFixed(0)).join(', ')} ms; ${fired.ticks} tick${fired.ticks === 1 ? '' : 's'} of the server's timer awaited); ` +
    `${fired.problems.length === 0 ? 'each fired once with one notification' : fired.problems.join('; ')}.`
  );
}

function remindersTable(run: RemindersRun, ratios: Ratio[]): string {
  return [
    `### ${run.database} (--only reminders)`,
    '',
    ...scenarioLines(run.scenarios),
    '',
    remindersLine(run.remindersFire),
    '',
    ...ratioLines(ratios),
  ].join('\n');
}

function backendTable(run: BackendRun, ratios: Ratio[]): string {
  return [
    `### backend: the FastAPI fixture (interop/fastapi, one uvicorn worker) on ${run.fixtureDatabase}, directly and behind npm start on ${run.database}`,
    '',
    ...scenarioLines(run.scenarios),
    '',
    `Both answer the same ${run.tasks} tasks in one array (the fixture has no pages). Server RSS: uvicorn's for backend-direct, the app's for backend-proxy.`,
    '',
    ...ratioLines(ratios),
  ].join('\n');
}

/**
 * The pair on the first postgres --db's server (the app on `<name>_backend`, the fixture on
 * `<name>_interop`), else the app on a fresh embedded database and the fixture on the interop
 * tests' server; or why it cannot run. Both databases are dropped afterwards, as the others are.
 */
async function backendPair(): Promise<{ run: BackendRun; ratios: Ratio[] } | { skipped: string } | { failed: true }> {
  if (!fastApiAvailable()) {
    return { skipped: 'backend-direct and backend-proxy skipped: /usr/bin/python3 lacks the FastAPI fixture\'s packages (see interop/fastapi/README.md)' };
  }
  const spec = args.db.find((each) => each !== 'embedded');
  const postgres = spec === undefined ? undefined : (targetFor(spec) as PostgresTarget);
  const fixtureTarget = interopTarget(postgres);
  const down = postgres ? undefined : await unreachable(fixtureTarget);
  if (down) return { skipped: `backend-direct and backend-proxy skipped: no PostgreSQL for the FastAPI fixture at ${fixtureTarget.label} (${down}); give a --db postgres://…` };
  const appTarget = postgres ? siblingTarget(postgres, 'backend') : targetFor('embedded');
  try {
    const run = await runBackend(appTarget, fixtureTarget);
    return { run, ratios: backendRatios(run) };
  } catch (error) {
    console.error(`\nbackend: the bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    return { failed: true };
  } finally {
    await dropDatabase(appTarget);
    await dropDatabase(fixtureTarget);
  }
}

/**
 * The soak on the first postgres --db's server (`<name>_soak`), else on the default server; or why
 * it cannot run. The database is dropped afterwards, as the others are.
 */
async function soakPart(): Promise<{ run: SoakRun } | { skipped: string } | { failed: true }> {
  const spec = args.db.find((each) => each !== 'embedded');
  const target = soakTarget(spec === undefined ? undefined : (targetFor(spec) as PostgresTarget));
  const down = await unreachable(target);
  if (down) return { skipped: `soak skipped: no PostgreSQL at ${target.label} (${down}); give a --db postgres://…` };
  const secret = randomBytes(32).toString('base64url');
  try {
    const run = await runSoak({
      target,
      seconds: SOAK_SECONDS,
      users: SOAK_USERS,
      start: (port, env) => startTasklane(target, port, secret, path.join(root, 'bench', 'profiles', 'soak'), env),
    });
    return { run };
  } catch (error) {
    console.error(`\nsoak: the bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    return { failed: true };
  } finally {
    await dropDatabase(target);
  }
}

requireBuild();
const started = performance.now();
const runs: { kind: DatabaseTarget['kind']; run: DatabaseRun; ratios: Ratio[] }[] = [];
const reminderRuns: { kind: DatabaseTarget['kind']; run: RemindersRun; ratios: Ratio[] }[] = [];
let failed = false;
for (const spec of runsPart('app') || args.only === 'reminders' ? args.db : []) {
  const target = targetFor(spec);
  try {
    if (args.only === 'reminders') {
      const run = await runReminders(target);
      reminderRuns.push({ kind: target.kind, run, ratios: reminderRatios(run.scenarios, run.remindersFire) });
    } else {
      const run = await runOn(target);
      runs.push({ kind: target.kind, run, ratios: ratiosOf(run, target.kind) });
    }
  } catch (error) {
    failed = true;
    console.error(`\n${target.label}: the bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    await dropDatabase(target);
  }
}
const backend = runsPart('backend') ? await backendPair() : undefined;
if (backend && 'skipped' in backend) {
  console.log(`\n${backend.skipped}`);
  // Asked for alone, a skipped pair is a run that measured nothing.
  if (args.only === 'backend') failed = true;
}
if (backend && 'failed' in backend) failed = true;
const soak = runsPart('soak') ? await soakPart() : undefined;
if (soak && 'skipped' in soak) {
  console.log(`\n${soak.skipped}`);
  if (args.only === 'soak') failed = true;
}
if (soak && 'failed' in soak) failed = true;

const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()}`;
console.log(
  `\n## Results: ${machine}; ${CONNECTIONS} connections; per scenario ${WARMUP} s warm-up, then ${ROUNDS} rounds adding up to ${DURATION} s (the median round shown)\n`,
);
for (const { run, ratios } of runs) {
  console.log(`${table(run, ratios)}\n`);
  const { check } = run.mixed;
  const problems = [...check.lostWrites, ...check.unexpectedRows, ...check.counterMismatches, ...run.mixed.anomalies];
  if (problems.length > 0) {
    failed = true;
    console.error(`FAILED: the mixed scenario on ${run.database} lost or misplaced writes:\n  ${problems.slice(0, 20).join('\n  ')}`);
  }
  const cleared = [...run.bulkClear.check.wrongRows, ...run.bulkClear.check.counterMismatches];
  if (cleared.length > 0) {
    failed = true;
    console.error(`FAILED: bulk-clear on ${run.database} left wrong rows or counters:\n  ${cleared.slice(0, 20).join('\n  ')}`);
  }
  if (run.scenarios.some((s) => s.errors > 0)) {
    failed = true;
    for (const s of run.scenarios.filter((each) => each.errors > 0)) {
      console.error(`FAILED: ${s.scenario} on ${run.database} had ${s.errors} errors: ${JSON.stringify(s.statusCodes)}`);
    }
  }
  if (run.remindersFire.problems.length > 0) {
    failed = true;
    console.error(`FAILED: reminders-fire on ${run.database}: ${run.remindersFire.problems.join('; ')}`);
  }
}
for (const { run, ratios } of reminderRuns) {
  console.log(`${remindersTable(run, ratios)}\n`);
  for (const s of run.scenarios.filter((each) => each.errors > 0)) {
    failed = true;
    console.error(`FAILED: ${s.scenario} on ${run.database} had ${s.errors} errors: ${JSON.stringify(s.statusCodes)}`);
  }
  if (run.remindersFire.problems.length > 0) {
    failed = true;
    console.error(`FAILED: reminders-fire on ${run.database}: ${run.remindersFire.problems.join('; ')}`);
  }
}
if (backend && 'run' in backend) {
  console.log(`${backendTable(backend.run, backend.ratios)}\n`);
  for (const s of backend.run.scenarios.filter((each) => each.errors > 0)) {
    failed = true;
    console.error(`FAILED: ${s.scenario} had ${s.errors} errors: ${JSON.stringify(s.statusCodes)}`);
  }
}
if (soak && 'run' in soak) {
  console.log(`${soakTable(soak.run)}\n`);
  const failures = soakFailures(soak.run);
  if (failures.length > 0) failed = true;
  for (const failure of failures) console.error(failure);
}
writeFileSync(
  path.join(root, 'bench', 'results.json'),
  `${JSON.stringify({ date: new Date().toISOString(), machine, connections: CONNECTIONS, warmupSeconds: WARMUP, durationSeconds: DURATION, rounds: ROUNDS, runs, ...(reminderRuns.length > 0 ? { reminders: reminderRuns } : {}), backend, soak }, null, 2)}\n`,
);
console.log(`bench/results.json written; the whole run took ${((performance.now() - started) / 1000).toFixed(0)} s.`);
if (args.profile) console.log(`CPU profiles of the server: bench/profiles/ (summarise one with: npx tsx bench/profile-summary.ts FILE)`);
process.exit(failed ? 1 : 0);
