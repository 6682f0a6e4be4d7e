import { readdirSync, readFileSync } from 'node:fs';

/** The memory of the processes a bench run measures (they are started by support/processes.ts). */

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
 * The resident memory of the largest process under `pid` now (the node server, not the npm and sh
 * wrappers above it); Linux /proc only (elsewhere 0).
 */
export function rssNow(pid: number): number {
  return Math.max(0, ...descendants(pid).map(rssBytes));
}

/** Samples rssNow(pid) until stopped, and answers the peak. */
export function sampleRss(pid: number, everyMs = 100): { stop: () => number } {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, rssNow(pid));
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

/**
 * The process whose command line holds `args` one after the other, for a server whose starter does
 * not say its pid (support/fastapi.ts); 0 when none does, or off Linux (its RSS then reads 0).
 */
export function pidOf(args: string[]): number {
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv.some((_, i) => args.every((arg, j) => argv[i + j] === arg))) return Number(pid);
  }
  return 0;
}
