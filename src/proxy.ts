import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { isDevelopment, isMockMode } from '@/lib/build-flags';
import { contentSecurityPolicy, REQUESTED_PATH_HEADER } from '@/lib/page-security';
import { signInUrl } from '@/lib/return-to';

/**
 * Next 16 proxy, for pages only (see `config.matcher`: never /api/*, which checks its own
 * requests, nor static files):
 * - a nonce-based Content-Security-Policy per request, plus the other security headers;
 * - the optimistic redirect of signed-out visitors away from every page but the public ones (a new
 *   page is private without an edit here). It looks only at whether a session cookie is present;
 *   the (app) layout checks the session for real.
 */

/**
 * Pages anyone may open, with whatever lies under them. /dev/outbox exists in development only (a
 * 404 elsewhere, from the page itself): someone following a reset link there is signed out.
 */
export const PUBLIC_PAGES = ['/', '/sign-in', '/sign-up', '/forgot-password', '/reset-password', '/docs', '/dev/outbox'];

function isPublic(pathname: string): boolean {
  return PUBLIC_PAGES.some((page) => pathname === page || (page !== '/' && pathname.startsWith(`${page}/`)));
}

function servedOverHttps(request: NextRequest): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || request.nextUrl.protocol === 'https:';
}

function withSecurityHeaders(response: NextResponse, request: NextRequest, csp: string): NextResponse {
  response.headers.set('content-security-policy', csp);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  if (servedOverHttps(request)) response.headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
  return response;
}

export function proxy(request: NextRequest): NextResponse {
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, { development: isDevelopment });
  const { pathname, searchParams } = request.nextUrl;
  const query = new URLSearchParams(searchParams);
  query.delete('_rsc');
  const requested = `${pathname}${query.size > 0 ? `?${query.toString()}` : ''}`;

  if (!isPublic(pathname) && !isMockMode && !getSessionCookie(request)) {
    return withSecurityHeaders(NextResponse.redirect(new URL(signInUrl(requested), request.url)), request, csp);
  }

  const headers = new Headers(request.headers);
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
  headers.set('content-security-policy', csp);
  headers.set('x-nonce', nonce);
  headers.set(REQUESTED_PATH_HEADER, requested);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), request, csp);
}

export const config = {
  matcher: [
    {
      source: '/((?!api(?:/|$)|_next/static|_next/image|favicon\\.ico|mockServiceWorker\\.js|.*\\.(?:ico|png|jpg|jpeg|svg|webp|txt|xml|json|js|css|map|webmanifest)$).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
