import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

/**
 * A new, empty database on the PostgreSQL server `serverUrl` names, for one test file: its URL, and
 * a function that drops it (connections and all).
 */
export async function createServerDatabase(serverUrl: string, prefix = 'tasklane_test'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

/**
 * Applies drizzle/ to the database at `url` over its own connection, without loading the app: a
 * test file may still set the environment (vi.hoisted) before env.ts reads it.
 */
export async function migrateServerDatabase(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await migrate(drizzle(pool), { migrationsFolder: path.join(process.cwd(), 'drizzle') });
  } finally {
    await pool.end();
  }
}
