/** What src/proxy.ts puts on every page, kept here so the layout and the tests can share it. */

/** Tells the (app) layout which page was asked for, so it can send the person back after signing in. */
export const REQUESTED_PATH_HEADER = 'x-tasklane-path';

export function contentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': the nonced scripts Next emits may load its chunks; nothing else runs.
    // React rebuilds server error stacks with eval in development only (Next's CSP guide).
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    // Inline styles: sonner injects its stylesheet at run time and React sets style attributes;
    // neither can carry a nonce. Styles cannot run code, so this is the usual trade.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    // The msw service worker of `npm run dev:mock` (never registered in production).
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
