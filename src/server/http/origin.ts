import { env } from '@/server/env';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie-authenticated requests: an unsafe method must come from this app's own
 * origin, shown by `Origin`, or, when a browser sent no Origin, by `Sec-Fetch-Site: same-origin`.
 * A request with neither (or `Origin: null`) is refused.
 */
export function isSameOriginRequest(request: Request): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  const origin = request.headers.get('origin');
  if (origin !== null) return origin === env.baseUrl || origin === new URL(request.url).origin;
  return request.headers.get('sec-fetch-site') === 'same-origin';
}
