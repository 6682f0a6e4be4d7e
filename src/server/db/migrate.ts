import type { Db } from './client';
import { migrationsFolder } from './client';

/** Applies drizzle/ to a PostgreSQL server (the embedded database migrates itself when opened). */
export async function migrateServerDb(db: Db): Promise<void> {
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  await migrate(db as Parameters<typeof migrate>[0], { migrationsFolder });
}
