// The soak (issue 14; `npm run bench -- --only soak`): two `npm start` instances of the build on one
// fresh PostgreSQL database, set up as behind a load balancer (one public origin, one secret,
// TRUST_PROXY=1, one REDIS_URL), and SOAK_USERS people who sign up through them and then, for the
// soak's seconds, each do mixed CRUD on the task API, every request to the other instance than
// their last: half with a Bearer token, half through the proxy with their cookies as a browser
// would. Each user keeps a model of what the API acknowledged with a 2xx; the soak fails on any
// 5xx, any other unexpected answer, a lost write, another user's task in a list or get, or a count
// that disagrees with the model (during the soak, at the end through both instances, and in SQL).
import { randomBytes } from 'node:crypto';
import { checkCounters, migrate, openDatabase, type PostgresTarget } from './database';
import { rssNow, sampleRss } from './processes';
import { freePort, type Server } from '../support/processes';

export const SOAK_USERS = 50;
/** Every user stops at this many requests even if time remains: a fast machine cannot run away. */
const MAX_REQUESTS_PER_USER = 20_000;
/** Answers slower than this count as no answer (the soak's time bound then holds within it). */
const REQUEST_TIMEOUT_MS = 10_000;
/** A user's tasks stay below this, so one page (`limit=200`) always lists them all. */
const MAX_TASKS_PER_USER = 100;
const PAGE = 200;
/** Bearer tokens live 15 minutes: a soak longer than that fetches new ones. */
const TOKEN_REFRESH_MS = 10 * 60_000;
/** Sign-ups hash a password each (scrypt): a few at a time on a 2-core machine. */
const SIGN_UP_CONCURRENCY = 5;
/** Each problem is counted; this many of each kind are kept to print. */
const EXAMPLES = 20;

/** The share of each operation; ones that need a task become creates while the user has none. */
const SOAK_MIX = { list: 0.3, get: 0.15, foreign: 0.05, create: 0.2, update: 0.15, complete: 0.1, delete: 0.05 } as const;
type Operation = keyof typeof SOAK_MIX;
const NEEDS_TASK = new Set<Operation>(['get', 'update', 'complete', 'delete']);
const PRIORITIES = ['none', 'low', 'medium', 'high'] as const;
const TAGS = ['errands', 'home', 'soak', 'work'];

/** The writable fields the soak sends, and what it expects back. */
interface TaskModel {
  title: string;
  description: string | null;
  completed: boolean;
  priority: (typeof PRIORITIES)[number];
  tags: string[];
}

interface TaskJson extends TaskModel {
  id: number;
  user_id: string;
}

interface SoakUser {
  /** Two digits; the user's titles all start with `u<nn> `, so another user's task is seen at once. */
  nn: string;
  prefix: string;
  id: string;
  kind: 'bearer' | 'proxy';
  /** Its own X-Forwarded-For address (RFC 2544's benchmarking range), as distinct people behind the balancer. */
  address: string;
  cookies: Map<string, string>;
  token: { value: string; at: number };
  tasks: Map<number, TaskModel>;
  created: number;
  requests: number;
}

interface Instance {
  label: string;
  server: Server;
  /** Answer times of the timed window only. */
  latencies: number[];
  serverErrors: number;
  rssStart: number;
}

interface Tally {
  count: number;
  examples: string[];
}

const KINDS = ['serverErrors', 'wrongAnswers', 'lostWrites', 'crossUserReads', 'countMismatches'] as const;
type Kind = (typeof KINDS)[number];

interface Soak {
  /** What both instances take as theirs (BETTER_AUTH_URL): tokens and Origin checks hold on either. */
  publicOrigin: string;
  instances: Instance[];
  users: SoakUser[];
  measuring: boolean;
  problems: Record<Kind, Tally>;
  operations: Record<Operation, number>;
}

export interface SoakInstanceFigures {
  instance: string;
  startupMs: number;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  serverErrors: number;
  /** The server's resident memory after the sign-ups, its peak during the soak, and after the final checks. */
  rssStartMb: number;
  rssPeakMb: number;
  rssEndMb: number;
}

export interface SoakCheck {
  kind: Kind;
  name: string;
  value: number;
  target: string;
  met: boolean;
}

export interface SoakRun {
  database: string;
  users: { bearer: number; proxy: number };
  seconds: number;
  requestsPerUser: { min: number; max: number };
  operations: Record<Operation, number>;
  finalTasks: number;
  instances: SoakInstanceFigures[];
  checks: SoakCheck[];
  /** Examples of what went wrong, by kind. */
  problems: Record<Kind, string[]>;
}

const any = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const mb = (bytes: number) => bytes / 2 ** 20;

function note(soak: Soak, kind: Kind, what: string): void {
  const tally = soak.problems[kind];
  tally.count++;
  if (tally.examples.length < EXAMPLES) tally.examples.push(what);
}

// ---------------------------------------------------------------------------------------------
// Requests: a user's headers for its kind, the answer timed and checked for a 5xx, cookies kept
// as a browser keeps them (the proxy refreshes the 60 s cookie cache with Set-Cookie).

interface Answer {
  status: number;
  text: string;
  body: unknown;
  headers: Headers;
}

function absorbCookies(jar: Map<string, string>, response: Response): void {
  for (const set of response.headers.getSetCookie()) {
    const pair = set.split(';')[0]!;
    const at = pair.indexOf('=');
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    if (value === '' || /;\s*max-age=0/i.test(set)) jar.delete(name);
    else jar.set(name, value);
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

function headersOf(soak: Soak, user: SoakUser, body: boolean): Record<string, string> {
  const headers: Record<string, string> = { 'x-forwarded-for': user.address };
  if (body) headers['content-type'] = 'application/json';
  if (user.kind === 'bearer') headers.authorization = `Bearer ${user.token.value}`;
  else Object.assign(headers, { cookie: cookieHeader(user.cookies), origin: soak.publicOrigin, 'sec-fetch-site': 'same-origin' });
  return headers;
}

/** `suffix` after the user's task collection (`/api/me/tasks` or `/api/proxy/me/tasks`); undefined when no answer came. */
async function call(soak: Soak, user: SoakUser, instance: Instance, method: string, suffix: string, body?: object): Promise<Answer | undefined> {
  const path = `${user.kind === 'bearer' ? '/api/me/tasks' : '/api/proxy/me/tasks'}${suffix}`;
  const started = performance.now();
  try {
    const response = await fetch(`${instance.server.origin}${path}`, {
      method,
      headers: headersOf(soak, user, body !== undefined),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (soak.measuring) instance.latencies.push(performance.now() - started);
    if (user.kind === 'proxy') absorbCookies(user.cookies, response);
    if (response.status >= 500) {
      instance.serverErrors++;
      note(soak, 'serverErrors', `${user.nn} ${method} ${path} on ${instance.label}: ${response.status} ${text.slice(0, 200)}`);
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: the caller reports the status
    }
    return { status: response.status, text, body: parsed, headers: response.headers };
  } catch (error) {
    note(soak, 'wrongAnswers', `${user.nn} ${method} ${path} on ${instance.label}: no answer (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
}

/**
 * An answer other than the one expected: a 5xx or no answer were noted already; a 404 for a task
 * the model holds is a lost write; anything else a wrong answer.
 */
function unexpected(soak: Soak, user: SoakUser, instance: Instance, what: string, answer: Answer | undefined, ownTask?: number): void {
  if (!answer || answer.status >= 500) return;
  const line = `${user.nn} ${what} on ${instance.label}: ${answer.status} ${answer.text.slice(0, 200)}`;
  note(soak, ownTask !== undefined && answer.status === 404 ? 'lostWrites' : 'wrongAnswers', line);
}

// ---------------------------------------------------------------------------------------------
// What a task should look like, and the checks of a task someone answered.

const sameTags = (a: string[], b: string[]) => a.length === b.length && a.every((tag, i) => tag === b[i]);

function differences(task: TaskJson, model: TaskModel): string | undefined {
  const fields: (keyof TaskModel)[] = ['title', 'description', 'completed', 'priority'];
  const wrong = fields.filter((field) => task[field] !== model[field]);
  if (!Array.isArray(task.tags) || !sameTags(task.tags, model.tags)) wrong.push('tags');
  return wrong.length === 0 ? undefined : wrong.map((field) => `${field} ${JSON.stringify(task[field])}, acknowledged ${JSON.stringify(model[field])}`).join('; ');
}

/** Another user's task, by its owner or by the title prefix every task of this user has. */
const foreign = (user: SoakUser, task: TaskJson) => task.user_id !== user.id || !task.title.startsWith(user.prefix);

/** A task this user was answered: someone else's, one it deleted or never made, or one whose acknowledged values are gone. */
function checkTask(soak: Soak, user: SoakUser, where: string, task: TaskJson): void {
  if (foreign(user, task)) return note(soak, 'crossUserReads', `${user.nn} ${where}: task ${task.id} of ${task.user_id} "${task.title}"`);
  const model = user.tasks.get(task.id);
  if (!model) return note(soak, 'lostWrites', `${user.nn} ${where}: task ${task.id}, which it deleted or never made`);
  const wrong = differences(task, model);
  if (wrong) note(soak, 'lostWrites', `${user.nn} ${where}: task ${task.id}: ${wrong}`);
}

function someTags(): string[] {
  return TAGS.filter(() => Math.random() < 0.3);
}

function someDescription(n: number): string | null {
  return Math.random() < 0.5 ? null : `Soak note ${n} — “quoted”, <b>not markup</b>`;
}

// ---------------------------------------------------------------------------------------------
// The operations. Each updates the model only on the acknowledging answer.

type Filter = 'all' | 'pending' | 'completed';

/** One page of a filter: X-Total-Count and the rows exactly the model's (it never outgrows a page). */
async function listTasks(soak: Soak, user: SoakUser, instance: Instance, status: Filter, where = `list ?status=${status}`): Promise<void> {
  const answer = await call(soak, user, instance, 'GET', `?limit=${PAGE}&status=${status}`);
  if (answer?.status !== 200 || !Array.isArray(answer.body)) return unexpected(soak, user, instance, where, answer);
  const expected = [...user.tasks].filter(([, task]) => status === 'all' || task.completed === (status === 'completed'));
  const total = Number(answer.headers.get('x-total-count') ?? NaN);
  const rows = answer.body as TaskJson[];
  if (total !== expected.length || rows.length !== expected.length) {
    note(soak, 'countMismatches', `${user.nn} ${where} on ${instance.label}: ${rows.length} rows, X-Total-Count ${total}; the model has ${expected.length}`);
  }
  for (const task of rows) checkTask(soak, user, `${where} on ${instance.label}`, task);
  const listed = new Set(rows.map((task) => task.id));
  for (const [id] of expected) if (!listed.has(id)) note(soak, 'lostWrites', `${user.nn} ${where} on ${instance.label}: acknowledged task ${id} missing`);
}

async function getTask(soak: Soak, user: SoakUser, instance: Instance): Promise<void> {
  const id = any([...user.tasks.keys()]);
  const answer = await call(soak, user, instance, 'GET', `/${id}`);
  if (answer?.status !== 200) return unexpected(soak, user, instance, `get ${id}`, answer, id);
  checkTask(soak, user, `get ${id} on ${instance.label}`, answer.body as TaskJson);
}

/** Another user's task by its id: 404, the same as a task that does not exist. */
async function getForeign(soak: Soak, user: SoakUser, instance: Instance): Promise<void> {
  const owner = any(soak.users.filter((other) => other !== user && other.tasks.size > 0));
  const id = any([...owner.tasks.keys()]);
  const answer = await call(soak, user, instance, 'GET', `/${id}`);
  if (answer?.status === 200) return note(soak, 'crossUserReads', `${user.nn} get ${id} (${owner.nn}'s) on ${instance.label}: 200 ${answer.text.slice(0, 200)}`);
  if (answer?.status !== 404) unexpected(soak, user, instance, `get ${id} (${owner.nn}'s)`, answer);
}

async function createTask(soak: Soak, user: SoakUser, instance: Instance): Promise<void> {
  const n = ++user.created;
  const sent: TaskModel = {
    title: `${user.prefix}task ${n}`,
    description: someDescription(n),
    completed: Math.random() < 0.2,
    priority: any(PRIORITIES),
    tags: someTags(),
  };
  const answer = await call(soak, user, instance, 'POST', '', sent);
  if (answer?.status !== 201) return unexpected(soak, user, instance, 'create', answer);
  const task = answer.body as TaskJson;
  user.tasks.set(task.id, sent);
  if (foreign(user, task)) return note(soak, 'crossUserReads', `${user.nn} create on ${instance.label}: answered task ${task.id} of ${task.user_id}`);
  const wrong = differences(task, sent);
  if (wrong) note(soak, 'wrongAnswers', `${user.nn} create on ${instance.label}: task ${task.id}: ${wrong}`);
}

/** PUT or PATCH of a few fields; the others must keep their values. */
async function updateTask(soak: Soak, user: SoakUser, instance: Instance): Promise<void> {
  const id = any([...user.tasks.keys()]);
  const before = user.tasks.get(id)!;
  const method = Math.random() < 0.5 ? 'PUT' : 'PATCH';
  const n = ++user.created;
  const sent: Partial<TaskModel> =
    method === 'PUT' ? { title: `${user.prefix}task ${n} (edited)`, description: someDescription(n), tags: someTags() } : { priority: any(PRIORITIES), title: `${user.prefix}task ${n} (renamed)` };
  const answer = await call(soak, user, instance, method, `/${id}`, sent);
  if (answer?.status !== 200) return unexpected(soak, user, instance, `${method} ${id}`, answer, id);
  const after = { ...before, ...sent };
  user.tasks.set(id, after);
  const wrong = differences(answer.body as TaskJson, after);
  if (wrong) note(soak, 'wrongAnswers', `${user.nn} ${method} ${id} on ${instance.label}: ${wrong}`);
}

/** Sets `completed` to the other value (a body, not a toggle: a retried toggle would undo itself). */
async function completeTask(soak: Soak, user: SoakUser, instance: Instance): Promise<void> {
  const id = any([...user.tasks.keys()]);
  const completed = !user.tasks.get(id)!.completed;
  const answer = await call(soak, user, instance, 'PATCH', `/${id}/complete`, { completed });
  if (answer?.status !== 200) return unexpected(soak, user, instance, `complete ${id}`, answer, id);
  user.tasks.get(id)!.completed = completed;
  if ((answer.body as TaskJson).completed !== completed) note(soak, 'wrongAnswers', `${user.nn} complete ${id} on ${instance.label}: answered completed ${!completed}`);
}

async function deleteTask(soak: Soak, user: SoakUser, instance: Instance): Promise<void> {
  const id = any([...user.tasks.keys()]);
  const answer = await call(soak, user, instance, 'DELETE', `/${id}`);
  if (answer?.status !== 204) return unexpected(soak, user, instance, `delete ${id}`, answer, id);
  user.tasks.delete(id);
}

function pickOperation(soak: Soak, user: SoakUser): Operation {
  const roll = Math.random();
  let sum = 0;
  let operation: Operation = 'list';
  for (const [name, share] of Object.entries(SOAK_MIX) as [Operation, number][]) {
    sum += share;
    if (roll < sum) {
      operation = name;
      break;
    }
  }
  if (operation === 'create' && user.tasks.size >= MAX_TASKS_PER_USER) return 'delete';
  if (NEEDS_TASK.has(operation) && user.tasks.size === 0) return 'create';
  if (operation === 'foreign' && !soak.users.some((other) => other !== user && other.tasks.size > 0)) return 'list';
  return operation;
}

async function runOperation(soak: Soak, user: SoakUser, instance: Instance, operation: Operation): Promise<void> {
  switch (operation) {
    case 'list':
      return listTasks(soak, user, instance, any(['all', 'all', 'pending', 'completed'] as const));
    case 'get':
      return getTask(soak, user, instance);
    case 'foreign':
      return getForeign(soak, user, instance);
    case 'create':
      return createTask(soak, user, instance);
    case 'update':
      return updateTask(soak, user, instance);
    case 'complete':
      return completeTask(soak, user, instance);
    case 'delete':
      return deleteTask(soak, user, instance);
  }
}

/** One user's soak: sequential requests (so its model is exact), alternating instances, until the deadline or its request cap. */
async function soakUser(soak: Soak, user: SoakUser, deadline: number): Promise<void> {
  const start = soak.users.indexOf(user) % soak.instances.length;
  while (performance.now() < deadline && user.requests < MAX_REQUESTS_PER_USER) {
    const instance = soak.instances[(start + user.requests) % soak.instances.length]!;
    if (user.kind === 'bearer' && performance.now() - user.token.at > TOKEN_REFRESH_MS) await refreshToken(soak, user, instance);
    const operation = pickOperation(soak, user);
    soak.operations[operation]++;
    user.requests++;
    await runOperation(soak, user, instance, operation);
  }
}

// ---------------------------------------------------------------------------------------------
// Setup: sign-ups through the instances (Better Auth allows 3 per 10 s per address: each user has
// its own), a token from the other instance than the one signed up on, and one list of each user
// on each instance, all before the clock starts.

async function signUp(soak: Soak, index: number): Promise<SoakUser> {
  const nn = String(index).padStart(2, '0');
  const address = `198.18.${Math.floor(index / 250)}.${(index % 250) + 1}`;
  const instance = soak.instances[index % soak.instances.length]!;
  const response = await fetch(`${instance.server.origin}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: soak.publicOrigin, 'x-forwarded-for': address },
    body: JSON.stringify({ name: `Soak ${nn}`, email: `soak-${nn}@bench.example`, password: randomBytes(12).toString('base64url') }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`sign-up of soak-${nn} on ${instance.label}: ${response.status} ${text.slice(0, 300)}`);
  const user: SoakUser = {
    nn,
    prefix: `u${nn} `,
    id: (JSON.parse(text) as { user: { id: string } }).user.id,
    kind: index % 2 === 0 ? 'bearer' : 'proxy',
    address,
    cookies: new Map(),
    token: { value: '', at: -Infinity },
    tasks: new Map(),
    created: 0,
    requests: 0,
  };
  absorbCookies(user.cookies, response);
  if (user.kind === 'bearer') await refreshToken(soak, user, soak.instances[(index + 1) % soak.instances.length]!);
  return user;
}

async function refreshToken(soak: Soak, user: SoakUser, instance: Instance): Promise<void> {
  const response = await fetch(`${instance.server.origin}/api/auth/token`, {
    headers: { cookie: cookieHeader(user.cookies), 'x-forwarded-for': user.address },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`/api/auth/token for soak-${user.nn} on ${instance.label}: ${response.status} ${text.slice(0, 300)}`);
  user.token = { value: (JSON.parse(text) as { token: string }).token, at: performance.now() };
}

async function signUpAll(soak: Soak, count: number): Promise<void> {
  for (let from = 0; from < count; from += SIGN_UP_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(SIGN_UP_CONCURRENCY, count - from) }, (_, i) => signUp(soak, from + i));
    soak.users.push(...(await Promise.all(batch)));
  }
}

/** Every user's empty list on every instance: the session and token of one instance hold on the other. */
async function expectEmpty(soak: Soak): Promise<void> {
  for (const instance of soak.instances) {
    for (const user of soak.users) await listTasks(soak, user, instance, 'all', 'first list');
  }
  const found = KINDS.filter((kind) => soak.problems[kind].count > 0).flatMap((kind) => soak.problems[kind].examples);
  if (found.length > 0) throw new Error(`before the soak, the users' first lists went wrong:\n  ${found.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------
// After the soak: each user's list through both instances, then (the servers stopped) the rows
// and the counters in SQL.

async function checkRows(target: PostgresTarget, soak: Soak): Promise<void> {
  const db = await openDatabase(target);
  try {
    const { rows } = await db.query<Omit<TaskJson, 'id'> & { id: string | number }>(
      `select t.id, t.user_id, t.title, t.description, t.completed, t.priority::text as priority,
         array(select g.name from task_tags tt join tags g on g.user_id = tt.user_id and g.id = tt.tag_id
               where tt.user_id = t.user_id and tt.task_id = t.id order by lower(g.name)) as tags
       from tasks t`,
    );
    const owners = new Map(soak.users.map((user) => [user.id, user]));
    const seen = new Set<number>();
    for (const row of rows) {
      const task = { ...row, id: Number(row.id) };
      seen.add(task.id);
      const owner = owners.get(task.user_id);
      if (!owner) note(soak, 'lostWrites', `SQL: task ${task.id} of ${task.user_id}, who is no soak user`);
      else checkTask(soak, owner, 'SQL', task);
    }
    for (const user of soak.users) {
      for (const id of user.tasks.keys()) if (!seen.has(id)) note(soak, 'lostWrites', `${user.nn} SQL: acknowledged task ${id} missing`);
    }
    for (const mismatch of await checkCounters(db, soak.users.map((user) => user.id))) note(soak, 'countMismatches', `SQL: ${mismatch}`);
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------

function percentile(sorted: number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function figuresOf(instance: Instance, seconds: number, rssPeak: number, rssEnd: number): SoakInstanceFigures {
  const sorted = [...instance.latencies].sort((a, b) => a - b);
  return {
    instance: instance.label,
    startupMs: instance.server.startupMs,
    requests: sorted.length,
    reqPerSec: sorted.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    serverErrors: instance.serverErrors,
    rssStartMb: mb(instance.rssStart),
    rssPeakMb: mb(rssPeak),
    rssEndMb: mb(rssEnd),
  };
}

function checksOf(soak: Soak): SoakCheck[] {
  const row = (name: string, kind: Kind): SoakCheck => ({ kind, name, value: soak.problems[kind].count, target: '0', met: soak.problems[kind].count === 0 });
  return [
    row('5xx answers', 'serverErrors'),
    row('other unexpected answers (a status the model did not expect, a wrong body, no answer)', 'wrongAnswers'),
    row('lost writes (acknowledged, then missing or changed; deleted, then back)', 'lostWrites'),
    row('cross-user reads (another user’s task in a list, a get or an answer)', 'crossUserReads'),
    row('count mismatches (X-Total-Count or rows against the model; task_counts against the rows)', 'countMismatches'),
  ];
}

async function startInstances(start: StartInstance, publicPort: number, env: Record<string, string>): Promise<Instance[]> {
  const instances: Instance[] = [];
  try {
    // One at a time: two cold starts at once on two cores would measure each other.
    for (const [label, port] of [['a', publicPort], ['b', await freePort()]] as const) {
      const server = await start(port, env);
      instances.push({ label, server, latencies: [], serverErrors: 0, rssStart: 0 });
      console.log(`   instance ${label}: npm start on ${server.origin} → first 200 in ${server.startupMs.toFixed(0)} ms`);
    }
  } catch (error) {
    for (const instance of instances) await instance.server.stop();
    throw error;
  }
  return instances;
}

/** Starts `npm start` of the build on 127.0.0.1:`port` with the bench's database and secret, and `env` on top. */
export type StartInstance = (port: number, env: Record<string, string>) => Promise<Server>;

export async function runSoak({ target, seconds, users: userCount, start }: { target: PostgresTarget; seconds: number; users: number; start: StartInstance }): Promise<SoakRun> {
  console.log(`\n== soak: ${userCount} users, mixed CRUD for ${seconds} s over two npm start on ${target.label} (${target.name})`);
  await migrate(target);
  const publicPort = await freePort();
  const publicOrigin = `http://127.0.0.1:${publicPort}`;
  const instances = await startInstances(start, publicPort, {
    // As behind a load balancer: one public origin (the first instance's address stands for it),
    // client addresses from X-Forwarded-For, the shared Redis the limits may use.
    BETTER_AUTH_URL: publicOrigin,
    TRUST_PROXY: '1',
    REDIS_URL: 'redis://127.0.0.1:6379',
    // Each user makes a few requests a second for a minute: measure the app, not the quota's 429s,
    // yet keep the quota's bookkeeping (0 would turn it off).
    TASK_API_RATE_LIMIT: '100000',
  });
  const soak: Soak = {
    publicOrigin,
    instances,
    users: [],
    measuring: false,
    problems: Object.fromEntries(KINDS.map((kind) => [kind, { count: 0, examples: [] }])) as unknown as Record<Kind, Tally>,
    operations: { list: 0, get: 0, foreign: 0, create: 0, update: 0, complete: 0, delete: 0 },
  };
  try {
    const signUpStarted = performance.now();
    await signUpAll(soak, userCount);
    await expectEmpty(soak);
    const bearer = soak.users.filter((user) => user.kind === 'bearer').length;
    console.log(`   ${userCount} users signed up in ${((performance.now() - signUpStarted) / 1000).toFixed(1)} s (${bearer} with Bearer tokens, ${userCount - bearer} through the proxy); each listed on both instances`);
    for (const instance of instances) instance.rssStart = rssNow(instance.server.pid);

    const samplers = instances.map((instance) => sampleRss(instance.server.pid));
    const started = performance.now();
    soak.measuring = true;
    const progress = setInterval(() => {
      const done = instances.map((instance) => `${instance.label} ${instance.latencies.length}`).join(', ');
      console.log(`   ${((performance.now() - started) / 1000).toFixed(0)} s: requests ${done}; ${soak.problems.serverErrors.count} 5xx`);
    }, 15_000);
    await Promise.all(soak.users.map((user) => soakUser(soak, user, started + seconds * 1000)));
    const elapsed = (performance.now() - started) / 1000;
    soak.measuring = false;
    clearInterval(progress);
    const peaks = samplers.map((sampler) => sampler.stop());

    for (const instance of instances) for (const user of soak.users) await listTasks(soak, user, instance, 'all', 'final list');
    const ends = instances.map((instance) => rssNow(instance.server.pid));
    for (const instance of instances) await instance.server.stop();
    await checkRows(target, soak);

    const figures = instances.map((instance, i) => figuresOf(instance, elapsed, peaks[i]!, ends[i]!));
    const requests = soak.users.map((user) => user.requests);
    return {
      database: `${target.label} (${target.name})`,
      users: { bearer, proxy: userCount - bearer },
      seconds: elapsed,
      requestsPerUser: { min: Math.min(...requests), max: Math.max(...requests) },
      operations: soak.operations,
      finalTasks: soak.users.reduce((sum, user) => sum + user.tasks.size, 0),
      instances: figures,
      checks: checksOf(soak),
      problems: Object.fromEntries(KINDS.map((kind) => [kind, soak.problems[kind].examples])) as Record<Kind, string[]>,
    };
  } catch (error) {
    for (const instance of instances) console.error(`instance ${instance.label}:\n${instance.server.output().slice(-3000)}`);
    throw error;
  } finally {
    for (const instance of instances) await instance.server.stop();
  }
}

// ---------------------------------------------------------------------------------------------

export function soakTable(run: SoakRun): string {
  const operations = Object.entries(run.operations).map(([name, n]) => `${n} ${name}`).join(', ');
  return [
    `### soak: ${run.users.bearer + run.users.proxy} users (${run.users.bearer} Bearer, ${run.users.proxy} proxy), ${run.seconds.toFixed(0)} s, two npm start on ${run.database}`,
    '',
    '| instance | npm start → 200 ms | requests | req/s | p50 ms | p99 ms | 5xx | RSS MB after sign-ups | peak | at end |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...run.instances.map(
      (i) =>
        `| ${i.instance} | ${i.startupMs.toFixed(0)} | ${i.requests} | ${i.reqPerSec.toFixed(0)} | ${i.p50Ms.toFixed(1)} | ${i.p99Ms.toFixed(1)} | ${i.serverErrors} | ` +
        `${i.rssStartMb.toFixed(0)} | ${i.rssPeakMb.toFixed(0)} | ${i.rssEndMb.toFixed(0)} |`,
    ),
    '',
    `Operations: ${operations}; ${run.requestsPerUser.min} to ${run.requestsPerUser.max} requests per user, every other one to the other instance; ${run.finalTasks} tasks at the end.`,
    '',
    '| check | value | target | |',
    '| --- | ---: | --- | --- |',
    ...run.checks.map((check) => `| ${check.name} | ${check.value} | ${check.target} | ${check.met ? 'met' : 'FAILED'} |`),
  ].join('\n');
}

/** What to print when the soak failed a check: each failed check with its examples. */
export function soakFailures(run: SoakRun): string[] {
  return run.checks.filter((check) => !check.met).map((check) => `FAILED: soak, ${check.name}: ${check.value}\n  ${run.problems[check.kind].join('\n  ')}`);
}
