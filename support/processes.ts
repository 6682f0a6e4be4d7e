import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * Processes the smoke tests, the browser tests and the bench start: a free loopback port, and a
 * server (`npm start` of the production build, or any command) started in its own process group,
 * ready once it answers 200, stopped with everything it spawned.
 */

async function isFree(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port on 127.0.0.1: any the system picks, or one in `range` (a suite's own ports). */
export async function freePort(range?: { from: number; to: number }): Promise<number> {
  if (range) {
    const size = range.to - range.from + 1;
    const start = Math.floor(Math.random() * size);
    for (let i = 0; i < size; i++) {
      const port = range.from + ((start + i) % size);
      if (await isFree(port)) return port;
    }
    throw new Error(`No free port in ${range.from}-${range.to}`);
  }
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Server {
  origin: string;
  pid: number;
  /** Milliseconds from spawn to the first 200 from `readyPath`. */
  startupMs: number;
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
  /** SIGTERM to its process group (SIGKILL after 10 s), then waits until every process of it is gone. */
  stop: () => Promise<void>;
  /** Resolves with its exit code (null when a signal ended it) once it has exited. */
  exited: () => Promise<number | null>;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `command` with exactly `env` and waits (60 s at most) for a 200 from `readyPath`. */
export async function startServer(options: {
  command: string;
  args: string[];
  port: number;
  env: NodeJS.ProcessEnv;
  readyPath: string;
}): Promise<Server> {
  const origin = `http://127.0.0.1:${options.port}`;
  const started = performance.now();
  const child: ChildProcess = spawn(options.command, options.args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    // npm exits once its child has; give the server's own exit (and a --cpu-prof write) a moment.
    for (let i = 0; i < 100 && groupAlive(child.pid!); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.command} ${options.args.join(' ')} exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${origin}${options.readyPath}`);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.command} did not answer 200 on ${options.readyPath} within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { origin, pid: child.pid!, startupMs: performance.now() - started, output: () => output, stop, exited: () => exited };
}

/**
 * `npm start` (server.mjs) of the production build on a loopback port, with its own data
 * directory: a fresh embedded database with its generated secret unless `env` says otherwise.
 */
export async function startApp(options: { port: number; dataDir: string; env?: Record<string, string> }): Promise<Server> {
  const root = process.cwd();
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error('No production build found: run `npm run build` first.');
  }
  const origin = `http://127.0.0.1:${options.port}`;
  // None of vitest's markers (TEST, VITEST*), which would make Better Auth believe it runs under
  // test and skip its origin check, and no database or secret of the caller's.
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(inherited)) {
    if (name === 'TEST' || name.startsWith('VITEST') || name === 'DATABASE_URL' || name.startsWith('BETTER_AUTH_SECRET')) delete inherited[name];
  }
  return startServer({
    command: process.execPath,
    args: [path.join(root, 'server.mjs')],
    port: options.port,
    readyPath: '/api/health',
    env: {
      ...inherited,
      NODE_ENV: 'production',
      PORT: String(options.port),
      HOSTNAME: '127.0.0.1',
      BETTER_AUTH_URL: origin,
      TASKLANE_DATA_DIR: options.dataDir,
      NEXT_TELEMETRY_DISABLED: '1',
      // Production needs SMTP_URL for email reminders and account mail (password reset, email
      // verification); runs that are not about mail go without it.
      MAIL_REMINDERS: 'off',
      MAIL_ACCOUNTS: 'off',
      ...options.env,
    },
  });
}
