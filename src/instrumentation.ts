/**
 * Runs once when the server starts: validate the configuration (a bad one stops the app here with
 * one clear line) and open the embedded database, so its migrations run before the first request.
 */
export async function register(): Promise<void> {
  // eslint-disable-next-line no-restricted-properties -- Next's documented runtime switch, read before env.ts may load.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('@/server/env');
  if (env.isBuild || env.database.kind !== 'pglite') return;
  const { getDb } = await import('@/server/db/client');
  await getDb();
}
