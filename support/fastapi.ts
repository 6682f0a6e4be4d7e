import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, startServer } from './processes';

/**
 * The FastAPI task service of interop/fastapi (the seed documents' backend, rebuilt from them)
 * for interoperability tests: one token style per process, on a loopback port, ready once
 * `/health` answers. It needs Debian's python3 packages (see interop/fastapi/README.md) and a
 * PostgreSQL server; its tasks outlive it, so tests use fresh user ids rather than a clean table.
 */

export type FastApiTokenStyle = 'jose-hs256' | 'pyjwt-hs256' | 'pyjwt-jwks';

export interface FastApi {
  /** Origin, e.g. http://127.0.0.1:41234; the task API is under `${url}/api/{userId}/tasks`. */
  url: string;
  databaseUrl: string;
  /** SIGTERM to uvicorn (SIGKILL after 10 s), resolves once it has exited. */
  stop(): Promise<void>;
  /** Everything uvicorn wrote so far (access log and tracebacks; tokens never appear in it). */
  output(): string;
}

// Debian's, not the first python3 on PATH (a pyenv one here, without these packages).
const python = '/usr/bin/python3';
const appDir = fileURLToPath(new URL('../interop/fastapi', import.meta.url));
const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/tasklane_interop';

let available: boolean | undefined;

/** Whether /usr/bin/python3 can import everything the fixture needs; asked once per process. */
export function fastApiAvailable(): boolean {
  available ??= spawnSync(python, ['-c', 'import fastapi, sqlmodel, jose, jwt, uvicorn, psycopg2'], { stdio: 'ignore' }).status === 0;
  return available;
}

/**
 * Starts the fixture and waits for it. A missing setting (the fixture checks them all at import)
 * or an unreachable database makes uvicorn exit, and the error carries what it printed.
 */
export async function startFastApi(options: {
  style: FastApiTokenStyle;
  secret?: string;
  issuer?: string;
  audience?: string;
  jwksUrl?: string;
  databaseUrl?: string;
  port?: number;
}): Promise<FastApi> {
  const port = options.port ?? (await freePort());
  const databaseUrl = options.databaseUrl ?? process.env.INTEROP_DATABASE_URL ?? defaultDatabaseUrl;
  // Not the caller's environment: the test run's own BETTER_AUTH_SECRET or DATABASE_URL must not
  // configure the fixture behind the test's back, nor a pyenv's PYTHON* variables reach Debian's python.
  const env = {
    PATH: process.env.PATH,
    PYTHONUNBUFFERED: '1',
    // The fixture lives in the work tree: no __pycache__ beside it.
    PYTHONDONTWRITEBYTECODE: '1',
    TOKEN_STYLE: options.style,
    DATABASE_URL: databaseUrl,
    ...(options.secret !== undefined && { BETTER_AUTH_SECRET: options.secret }),
    ...(options.issuer !== undefined && { JWT_ISSUER: options.issuer }),
    ...(options.audience !== undefined && { JWT_AUDIENCE: options.audience }),
    ...(options.jwksUrl !== undefined && { JWKS_URL: options.jwksUrl }),
  } as unknown as NodeJS.ProcessEnv;
  const server = await startServer({
    command: python,
    args: ['-m', 'uvicorn', 'app:app', '--app-dir', appDir, '--host', '127.0.0.1', '--port', String(port)],
    port,
    env,
    readyPath: '/health',
  });
  return { url: server.origin, databaseUrl, stop: server.stop, output: server.output };
}
