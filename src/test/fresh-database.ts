/* eslint-disable no-restricted-properties -- test setup decides which database the app opens */
import { afterAll } from 'vitest';
import { createServerDatabase, migrateServerDatabase } from './server-database';

/**
 * Gives each integration test file a fresh, migrated database before the app's modules load:
 * PGlite in memory by default, or a new database on the server TEST_DATABASE_URL names (dropped
 * afterwards).
 */

const serverUrl = process.env.TEST_DATABASE_URL;
let dropDatabase: (() => Promise<void>) | undefined;

if (serverUrl) {
  const database = await createServerDatabase(serverUrl);
  process.env.DATABASE_URL = database.url;
  dropDatabase = database.drop;
  await migrateServerDatabase(database.url);
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
