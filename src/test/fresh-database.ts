/* eslint-disable no-restricted-properties -- test setup decides which database the app opens */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';

/**
 * Gives each integration test file a fresh, migrated database before the app's modules load:
 * PGlite in memory by default, or a new database on the server TEST_DATABASE_URL names (dropped
 * afterwards).
 */

const serverUrl = process.env.TEST_DATABASE_URL;
let dropDatabase: (() => Promise<void>) | undefined;

if (serverUrl) {
  const name = `tasklane_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  dropDatabase = async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  };
  const { getDb } = await import('@/server/db/client');
  const { migrateServerDb } = await import('@/server/db/migrate');
  await migrateServerDb(await getDb());
} else {
  process.env.DATABASE_URL = 'memory://';
}

afterAll(async () => {
  const { closeDb } = await import('@/server/db/client');
  const { resetAuth } = await import('@/server/auth/auth');
  await closeDb();
  resetAuth();
  await dropDatabase?.();
});
