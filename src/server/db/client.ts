import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { env, type DatabaseConfig } from '@/server/env';
import { pgliteExtensions } from './pglite-extensions';
import * as schema from './schema';

/**
 * The one database client factory. `DATABASE_URL` picks the driver (see env.ts):
 * unset → embedded PGlite in .data/ (migrated here, at first use); memory:// → PGlite in memory
 * (tests); a Neon URL → @neondatabase/serverless Pool over WebSockets; any other postgres:// URL →
 * node-postgres. Opened lazily, once per process, on globalThis: `next dev` re-evaluates modules
 * on every edit, and a second PGlite instance on the same directory would silently lose writes.
 */

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

interface Handle {
  db: Db;
  close: () => Promise<void>;
}

const MIGRATIONS_FOLDER = path.join(process.cwd(), 'drizzle');

async function openPglite(dataDir: string | undefined): Promise<Handle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const releaseLock = dataDir === undefined ? () => {} : lockDataDir(dataDir);
  try {
    // 16 MB, not PostgreSQL's 128: PGlite touches its whole buffer pool at start-up, in this
    // process's memory (docs/decisions/0004-embedded-pglite-by-default.md).
    // One options object: PGlite ignores the second argument when the first (dataDir) is undefined.
    const client = new PGlite({
      dataDir,
      startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
      extensions: await pgliteExtensions(),
    });
    const db = drizzle({ client, schema, casing: 'snake_case' });
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return {
      db: db as unknown as Db,
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * PGlite does not lock its directory and two processes writing it corrupt it silently, so claim it
 * with a pid file. A stale file (its process is gone) is taken over
 * (docs/decisions/0004-embedded-pglite-by-default.md).
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.pid`);
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${pid}. Stop that process, or set DATABASE_URL to use a PostgreSQL server.`,
      );
    }
  }
  writeFileSync(lockFile, String(process.pid));
  const release = () => {
    try {
      if (readFileSync(lockFile, 'utf8') === String(process.pid)) unlinkSync(lockFile);
    } catch {
      // already gone
    }
  };
  process.once('exit', release);
  return release;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Connection settings shared by both server drivers: fail fast (503) rather than queue forever
// when the server is away or the network drops everything: a connection within 5 s, an answer
// within 4 s of asking, so a request in an outage is a 503 within 10 s. Never let an idle client's
// error crash the process.
const POOL_OPTIONS = { max: 10, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 };
let queryTimeoutMs: number | undefined = 4_000;

/** `npm run db:migrate`: building an index on a large table may take longer than a request's query. */
export function withoutQueryTimeout(): void {
  queryTimeoutMs = undefined;
}

async function openPg(url: string): Promise<Handle> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new Pool({ connectionString: url, ...POOL_OPTIONS, query_timeout: queryTimeoutMs });
  pool.on('error', () => {});
  return { db: drizzle({ client: pool, schema, casing: 'snake_case' }) as unknown as Db, close: () => pool.end() };
}

async function openNeon(url: string): Promise<Handle> {
  const { Pool, neonConfig } = await import('@neondatabase/serverless');
  const { drizzle } = await import('drizzle-orm/neon-serverless');
  // Node 20 has no global WebSocket; Node 22+ and Vercel's runtime do.
  if (typeof globalThis.WebSocket === 'undefined') neonConfig.webSocketConstructor = (await import('ws')).default;
  const pool = new Pool({ connectionString: url, ...POOL_OPTIONS, query_timeout: queryTimeoutMs });
  pool.on('error', () => {});
  return { db: drizzle({ client: pool, schema, casing: 'snake_case' }) as unknown as Db, close: () => pool.end() };
}

function open(config: DatabaseConfig): Promise<Handle> {
  if (env.isBuild) {
    return Promise.reject(new Error('The database is not opened during `next build`.'));
  }
  switch (config.kind) {
    case 'pglite':
      return openPglite(config.dataDir);
    case 'pg':
      return openPg(config.url);
    case 'neon':
      return openNeon(config.url);
  }
}

const holder = globalThis as typeof globalThis & { __tasklaneDb?: Promise<Handle> };

export function getDb(): Promise<Db> {
  holder.__tasklaneDb ??= open(env.database).catch((error: unknown) => {
    // Let the next request try again (e.g. the directory was locked by a process that has exited).
    holder.__tasklaneDb = undefined;
    throw error;
  });
  return holder.__tasklaneDb.then((handle) => handle.db);
}

/** Closes the process's client (tests, scripts). The next getDb() opens a new one. */
export async function closeDb(): Promise<void> {
  const handle = holder.__tasklaneDb;
  holder.__tasklaneDb = undefined;
  if (handle) await (await handle).close();
}

export const migrationsFolder = MIGRATIONS_FOLDER;
