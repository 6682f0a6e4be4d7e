import autocannon from 'autocannon';
import type { BenchUser } from './database';
import { sampleRss } from './processes';

/** One scenario's figures, as the table and results.json show them. */
export interface Measured {
  scenario: string;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
  statusCodes: Record<string, number>;
  serverRssMb: number;
  seconds: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; or a fixed number of requests per connection (every one answered before it ends). */
  duration?: number;
  perConnection?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  requests?: autocannon.Request[];
  setupClient?: (client: autocannon.Client) => void;
}

/** Load with no measurement kept (warm-ups). */
export function fire(options: LoadOptions): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    connections: options.connections,
    // `amount` (split evenly over the connections) and not maxConnectionRequests, which still
    // stops at `duration` with requests in flight: the mixed check must see every answer.
    ...(options.perConnection === undefined ? { duration: options.duration ?? 10 } : { amount: options.perConnection * options.connections }),
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.requests ? { requests: options.requests } : {}),
    ...(options.setupClient ? { setupClient: options.setupClient } : {}),
    timeout: 10,
  });
}

function errorsOf(result: autocannon.Result): number {
  return result.errors + result.non2xx + result.mismatches;
}

/** One measured run, with the server's RSS sampled throughout. */
async function once(scenario: string, serverPid: number, options: LoadOptions): Promise<Measured> {
  const rss = sampleRss(serverPid);
  const started = performance.now();
  let lastAnswer = started;
  const result = await fire({
    ...options,
    setupClient: (client) => {
      client.on('response', () => (lastAnswer = performance.now()));
      options.setupClient?.(client);
    },
  });
  const peak = rss.stop();
  // A fixed-amount run ends on autocannon's next 1 s tick: time it to the last answer instead.
  const seconds = (options.perConnection === undefined ? result.duration * 1000 : lastAnswer - started) / 1000;
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = count ?? 0;
  if (result.errors) statusCodes.socketErrors = result.errors;
  if (result.timeouts) statusCodes.timeouts = result.timeouts;
  return {
    scenario,
    requests: result.requests.total,
    reqPerSec: options.perConnection === undefined ? result.requests.average : result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: errorsOf(result),
    statusCodes,
    serverRssMb: peak / 2 ** 20,
    seconds,
  };
}

/** Rounds of one scenario as one figure: the median round's rate and latencies; errors, requests and time summed; the peak RSS. */
function combine(rounds: Measured[], warmupErrors: number): Measured {
  const median = [...rounds].sort((a, b) => a.reqPerSec - b.reqPerSec)[Math.floor(rounds.length / 2)]!;
  const statusCodes: Record<string, number> = {};
  for (const round of rounds) for (const [code, count] of Object.entries(round.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  if (warmupErrors > 0) statusCodes.warmupErrors = warmupErrors;
  return {
    ...median,
    requests: rounds.reduce((sum, round) => sum + round.requests, 0),
    errors: rounds.reduce((sum, round) => sum + round.errors, 0) + warmupErrors,
    statusCodes,
    serverRssMb: Math.max(...rounds.map((round) => round.serverRssMb)),
    seconds: rounds.reduce((sum, round) => sum + round.seconds, 0),
  };
}

export interface Scenario {
  scenario: string;
  /** The server process whose RSS is sampled. */
  pid: number;
  options: LoadOptions;
}

/**
 * Warms each scenario up, then runs them in interleaved rounds (a1 b1 a2 b2 ...): on a shared,
 * noisy machine, scenarios whose ratio is a target then see the same neighbours, and the median
 * round of each drops a burst that hit only one of them. `settle` runs after every warm-up and
 * round: autocannon stops at its duration with a request in flight on every connection, and the
 * server still works them off (50 slow searches on PGlite are seconds), which the next round
 * would otherwise pay for.
 */
export async function measure(
  scenarios: Scenario[],
  plan: { warmupSeconds: number; seconds: number; rounds: number; settle?: () => Promise<void> },
): Promise<Measured[]> {
  const warmupErrors = new Map<string, number>();
  for (const { scenario, options } of scenarios) {
    warmupErrors.set(scenario, errorsOf(await fire({ ...options, duration: plan.warmupSeconds })));
    await plan.settle?.();
  }
  const rounds = new Map<string, Measured[]>(scenarios.map(({ scenario }) => [scenario, []]));
  for (let round = 0; round < plan.rounds; round++) {
    for (const { scenario, pid, options } of scenarios) {
      rounds.get(scenario)!.push(await once(scenario, pid, { ...options, duration: plan.seconds / plan.rounds }));
      await plan.settle?.();
    }
  }
  return scenarios.map(({ scenario }) => combine(rounds.get(scenario)!, warmupErrors.get(scenario)!));
}

/** A fixed number of requests per connection after a fixed-amount warm-up (the mixed scenario). */
export async function measureAmount({ scenario, pid, options }: Scenario, warmupPerConnection: number): Promise<Measured> {
  const warm = await fire({ ...options, perConnection: warmupPerConnection });
  return combine([await once(scenario, pid, options)], errorsOf(warm));
}

// The mixed workload: each connection is one user, so its requests are sequential and the bench
// knows exactly which tasks it should have afterwards.

export const MIX = { list: 0.6, create: 0.2, toggle: 0.15, delete: 0.05 } as const;
type Operation = keyof typeof MIX;

export interface MixedUser {
  user: BenchUser;
  cookie: string;
  created: number;
  deleted: number;
  operations: Record<Operation, number>;
  /** Answers that contradict what this user did before (a wrong count, someone else's task). */
  anomalies: string[];
}

function pickOperation(hasTasks: boolean): Operation {
  const roll = Math.random();
  let operation: Operation = 'delete';
  if (roll < MIX.list) operation = 'list';
  else if (roll < MIX.list + MIX.create) operation = 'create';
  else if (roll < MIX.list + MIX.create + MIX.toggle) operation = 'toggle';
  return !hasTasks && (operation === 'toggle' || operation === 'delete') ? 'create' : operation;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return String(value);
  return undefined;
}

/** The requests of one mixed user through the proxy, as a browser would send them. */
export function mixedRequests(state: MixedUser, origin: string): autocannon.Request[] {
  const { user } = state;
  let pending: { operation: Operation; id?: number } | undefined;
  const request: autocannon.Request = {
    setupRequest: (req) => {
      const ids = [...user.tasks.keys()];
      const operation = pickOperation(ids.length > 0);
      const id = operation === 'toggle' || operation === 'delete' ? ids[Math.floor(Math.random() * ids.length)] : undefined;
      pending = { operation, id };
      state.operations[operation]++;
      const headers: Record<string, string> = { cookie: state.cookie, origin };
      switch (operation) {
        case 'list':
          return { ...req, method: 'GET', path: '/api/proxy/me/tasks', headers, body: undefined };
        case 'create': {
          const body = JSON.stringify({ title: `${user.id} task ${state.operations.create}`, completed: Math.random() < 0.25 });
          return { ...req, method: 'POST', path: '/api/proxy/me/tasks', headers: { ...headers, 'content-type': 'application/json' }, body };
        }
        case 'toggle':
          return { ...req, method: 'PATCH', path: `/api/proxy/me/tasks/${id}/complete`, headers, body: undefined };
        case 'delete':
          return { ...req, method: 'DELETE', path: `/api/proxy/me/tasks/${id}`, headers, body: undefined };
      }
    },
    onResponse: (status: number, body: string, _context: object, headers: Record<string, unknown> = {}) => {
      const done = pending;
      pending = undefined;
      if (!done) return;
      const fail = (what: string) => state.anomalies.push(`${done.operation}${done.id === undefined ? '' : ` ${done.id}`}: ${what}`);
      if (done.operation === 'list') {
        if (status !== 200) return fail(`status ${status}`);
        const tasks = JSON.parse(body) as { id: number; user_id: string }[];
        const total = Number(header(headers, 'x-total-count'));
        if (total !== user.tasks.size) fail(`X-Total-Count ${total}, the user has ${user.tasks.size}`);
        for (const task of tasks) if (task.user_id !== user.id) fail(`task ${task.id} of ${task.user_id} in ${user.id}'s list`);
      } else if (done.operation === 'create') {
        if (status !== 201) return fail(`status ${status}`);
        const task = JSON.parse(body) as { id: number; user_id: string; completed: boolean };
        if (task.user_id !== user.id) fail(`created for ${task.user_id}`);
        user.tasks.set(task.id, task.completed);
        state.created++;
      } else if (done.operation === 'toggle') {
        if (status !== 200) return fail(`status ${status}`);
        const task = JSON.parse(body) as { completed: boolean };
        if (task.completed === user.tasks.get(done.id!)) fail('did not flip');
        user.tasks.set(done.id!, task.completed);
      } else {
        if (status !== 204) return fail(`status ${status}`);
        user.tasks.delete(done.id!);
        state.deleted++;
      }
    },
  };
  return [request];
}
