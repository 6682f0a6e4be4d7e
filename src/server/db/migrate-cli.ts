// `npm run db:migrate`: applies drizzle/ to the database DATABASE_URL names (or the embedded one).
import { closeDb, getDb, withoutQueryTimeout } from './client';
import { migrateServerDb } from './migrate';
import { env } from '@/server/env';

withoutQueryTimeout();
const db = await getDb();
if (env.database.kind !== 'pglite') await migrateServerDb(db);
await closeDb();
console.log(`Migrations applied (${env.database.kind}).`);
