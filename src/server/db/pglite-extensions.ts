/**
 * The PostgreSQL extensions the migrations create (drizzle/0004): PGlite loads an extension only
 * when it is named at construction, so every PGlite the app, its tests or the bench open gets these.
 */
export async function pgliteExtensions() {
  const [{ pg_trgm }, { btree_gin }] = await Promise.all([import('@electric-sql/pglite/contrib/pg_trgm'), import('@electric-sql/pglite/contrib/btree_gin')]);
  return { pg_trgm, btree_gin };
}
