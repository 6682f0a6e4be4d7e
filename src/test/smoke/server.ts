/* eslint-disable no-restricted-properties -- starts the built app with the environment it needs */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** `npm start` (server.mjs) of the production build on a loopback port, with its own data directory. */
export interface RunningApp {
  origin: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startApp(options: { port: number; dataDir: string; env?: Record<string, string> }): Promise<RunningApp> {
  const root = process.cwd();
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error('No production build found: run `npm run build` before the smoke test.');
  }
  const origin = `http://127.0.0.1:${options.port}`;
  // A fresh embedded database with its generated secret unless the caller says otherwise; and
  // none of vitest's markers (TEST, VITEST*), which would make Better Auth believe it runs under
  // test and skip its origin check.
  const inherited: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(inherited)) {
    if (name === 'TEST' || name.startsWith('VITEST') || name === 'DATABASE_URL' || name.startsWith('BETTER_AUTH_SECRET')) delete inherited[name];
  }
  const env: Record<string, string | undefined> = {
    ...inherited,
    NODE_ENV: 'production',
    PORT: String(options.port),
    HOSTNAME: '127.0.0.1',
    BETTER_AUTH_URL: origin,
    TASKLANE_DATA_DIR: options.dataDir,
    NEXT_TELEMETRY_DISABLED: '1',
    ...options.env,
  };
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'server.mjs')],
    { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${origin}/api/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not become healthy within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    origin,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
