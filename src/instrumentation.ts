/** Next calls this once when the server starts; the work is Node-only, in src/server/boot.ts. */
export async function register(): Promise<void> {
  // eslint-disable-next-line no-restricted-properties -- Next's documented runtime switch, read before env.ts may load.
  if (process.env.NEXT_RUNTIME === 'nodejs') await (await import('@/server/boot')).boot();
}
