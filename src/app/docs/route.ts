import { ApiReference } from '@scalar/nextjs-api-reference';
import { SCALAR_BUNDLE_PATH } from './scalar-bundle';

/**
 * `/docs`: the task API's interactive reference (Scalar), rendered from `/api/openapi.json`. A
 * developer pastes a token from `GET /api/auth/token` under Authentication and tries every
 * endpoint against this app. Scalar's bundle is served from this app (no CDN; the page's CSP
 * allows only its own nonced script), its fonts are the system's.
 */
export function GET(request: Request): Response {
  const nonce = request.headers.get('x-nonce') ?? undefined;
  const page = ApiReference({
    url: '/api/openapi.json',
    cdn: SCALAR_BUNDLE_PATH,
    nonce,
    pageTitle: 'Tasklane API reference',
    favicon: '/icon.svg',
    withDefaultFonts: false,
    // Requests go straight to this origin, never through Scalar's public proxy; none of Scalar's
    // hosted services (AI agent, MCP and SDK generators, developer tools) are offered.
    proxyUrl: '',
    showDeveloperTools: 'never',
    agent: { disabled: true },
    mcp: { disabled: true },
    authentication: { preferredSecurityScheme: 'bearer' },
    defaultHttpClient: { targetKey: 'shell', clientKey: 'curl' },
  })();
  page.headers.set('content-type', 'text/html; charset=utf-8');
  page.headers.set('cache-control', 'no-store');
  return page;
}
