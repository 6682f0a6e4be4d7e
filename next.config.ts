import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Always defined at build time, so `=== '1'` folds to a constant and a normal build drops the
  // msw mock's dynamic import entirely (src/lib/build-flags.ts); `npm run dev:mock` sets it to 1.
  env: { NEXT_PUBLIC_TASKLANE_MOCK: process.env.NEXT_PUBLIC_TASKLANE_MOCK === '1' ? '1' : '0' },
  // PGlite loads its WebAssembly and data files from its own package directory at run time, and
  // pg has optional native bindings: both must stay plain Node requires, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'rate-limiter-flexible'],
  // A calendar feed's path is its secret: `next dev` prints no line for it.
  logging: { incomingRequests: { ignore: [/^\/api\/calendar\//] } },
  // Every API answer, Better Auth's and Next's own 404 included, is what its Content-Type says
  // (pages get theirs from src/proxy.ts with the CSP).
  async headers() {
    return [{ source: '/api/:path*', headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }] }];
  },
  // The embedded database is migrated at startup from these files; /docs serves Scalar's bundle.
  outputFileTracingIncludes: {
    '/**': ['./drizzle/**/*'],
    '/docs/scalar.js': ['./node_modules/@scalar/api-reference/dist/browser/standalone.js'],
  },
};

export default nextConfig;
