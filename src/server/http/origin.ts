import { env } from '@/server/env';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The origin this request was addressed to, from its Host header (`next dev` rewrites the URL's
 * host to localhost). Trusted in development only, where the app is opened at whatever address
 * `next dev` answers on (127.0.0.1, another port); in production the configured origins alone count.
 */
export function developmentOrigin(request: Request): string[] {
  if (env.nodeEnv !== 'development') return [];
  const url = new URL(request.url);
  const host = request.headers.get('host');
  if (!host) return [url.origin];
  try {
    return [new URL(`${url.protocol}//${host}`).origin];
  } catch {
    return [url.origin];
  }
}

/**
 * CSRF defence for cookie-authenticated requests: an unsafe method must come from this app's own
 * origin. Either signal of another origin refuses it: an `Origin` that is not a trusted one, or a
 * `Sec-Fetch-Site` other than `same-origin` (a same-site sibling, or a cross-site page that spoofed
 * nothing but could not hide this header). Without `Origin`, `Sec-Fetch-Site: same-origin` must say
 * so; a request with neither (or `Origin: null`) is refused.
 */
export function isSameOriginRequest(request: Request): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return false;
  const origin = request.headers.get('origin');
  // The address the request was sent to is its own origin: a browser sets Host to it.
  if (origin !== null) return env.trustedOrigins.includes(origin) || origin === new URL(request.url).origin || developmentOrigin(request).includes(origin);
  return site === 'same-origin';
}
