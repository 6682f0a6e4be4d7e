import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * The processes a bench run measures: `npm start` (the production build) and the bare ceiling
 * server, each in its own process group so stopping one stops its children, with their output kept
 * for the error message when they fail.
 */

export interface Server {
  origin: string;
  pid: number;
  /** Milliseconds from spawn to the first 200 from `readyPath`. */
  startupMs: number;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startServer(options: {
  command: string;
  args: string[];
  port: number;
  env: Record<string, string>;
  readyPath: string;
}): Promise<Server> {
  const origin = `http://127.0.0.1:${options.port}`;
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  // The bench decides which database the server opens; an inherited one would silently win.
  if (!('DATABASE_URL' in options.env)) delete env.DATABASE_URL;
  const started = performance.now();
  const child: ChildProcess = spawn(options.command, options.args, {
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
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
  return { origin, pid: child.pid!, startupMs: performance.now() - started, output: () => output, stop };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function descendants(pid: number): number[] {
  const found = [pid];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.split(' ').filter(Boolean)) found.push(...descendants(Number(child)));
  }
  return found;
}

function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Samples the resident memory of the largest process under `pid` (the node server, not the npm
 * and sh wrappers above it) until stopped; Linux /proc only (elsewhere it reports 0).
 */
export function sampleRss(pid: number, everyMs = 100): { stop: () => number } {
  let peak = 0;
  const sample = () => {
    for (const each of descendants(pid)) peak = Math.max(peak, rssBytes(each));
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
