import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // PGlite loads its WebAssembly and data files from its own package directory at run time, and
  // pg has optional native bindings: both must stay plain Node requires, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'pg'],
  // The embedded database is migrated at startup from these files.
  outputFileTracingIncludes: { '/**': ['./drizzle/**/*'] },
};

export default nextConfig;
