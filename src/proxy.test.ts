import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '@/lib/page-security';
import { config, proxy } from './proxy';

const request = (url: string, headers: Record<string, string> = {}) => new NextRequest(new URL(url, 'http://localhost:3000'), { headers });
const SESSION = { cookie: 'better-auth.session_token=abc.def' };

describe('proxy: which requests it sees', () => {
  it('runs on pages, never on the API or static files', () => {
    for (const url of ['/', '/tasks', '/tasks?filter=active', '/sign-in', '/sign-up', '/settings']) {
      expect(unstable_doesMiddlewareMatch({ config, url }), url).toBe(true);
    }
    for (const url of ['/api/proxy/me/tasks', '/api/auth/get-session', '/api/health', '/api', '/_next/static/chunks/a.js', '/_next/image?url=x', '/favicon.ico', '/icon.svg', '/mockServiceWorker.js']) {
      expect(unstable_doesMiddlewareMatch({ config, url }), url).toBe(false);
    }
  });
});

describe('proxy: the optimistic redirect', () => {
  it('sends a visitor without a session cookie from /tasks to sign-in, keeping where they were going', () => {
    const response = proxy(request('/tasks?filter=completed'));
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('http://localhost:3000/sign-in?next=%2Ftasks%3Ffilter%3Dcompleted');
    expect(proxy(request('/tasks')).headers.get('location')).toBe('http://localhost:3000/sign-in');
  });

  it('lets a visitor with a session cookie through (secure-prefixed too); the layout checks it for real', () => {
    expect(proxy(request('/tasks', SESSION)).headers.get('location')).toBeNull();
    expect(proxy(request('/tasks', { cookie: '__Secure-better-auth.session_token=abc' })).headers.get('location')).toBeNull();
  });

  it('leaves public pages alone, signed in or not', () => {
    for (const path of ['/', '/sign-in', '/sign-up', '/sign-in?next=%2Ftasks', '/forgot-password', '/reset-password?token=abc']) expect(proxy(request(path)).headers.get('location'), path).toBeNull();
  });

  it('treats every other page as signed-in only, including one nobody listed (a new page under (app))', () => {
    for (const path of ['/settings', '/tasks/42', '/a-page-added-later', '/sign-inx', '/sign-up-now']) {
      expect(proxy(request(path)).headers.get('location'), path).toMatch(/^http:\/\/localhost:3000\/sign-in/);
      expect(proxy(request(path, SESSION)).headers.get('location'), path).toBeNull();
    }
  });

  it('tells the layout which page was asked for, without Next’s _rsc marker', () => {
    const response = proxy(request('/tasks?filter=active&_rsc=1x2', SESSION));
    expect(response.headers.get('x-middleware-request-x-tasklane-path')).toBe('/tasks?filter=active');
  });
});

describe('proxy: security headers', () => {
  it('sets a fresh nonce-based CSP on the page and on the request Next renders', () => {
    const first = proxy(request('/sign-in'));
    const second = proxy(request('/sign-in'));
    const csp = first.headers.get('content-security-policy')!;
    expect(csp).not.toBe(second.headers.get('content-security-policy'));
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(first.headers.get('x-middleware-request-x-nonce')).toBe(nonce);
    expect(first.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
    expect(csp).toBe(contentSecurityPolicy(nonce, { development: false }));
  });

  it('sets nosniff and the referrer policy everywhere, HSTS only over https', () => {
    const plain = proxy(request('/'));
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect(proxy(request('/', { 'x-forwarded-proto': 'https' })).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(proxy(request('/', { 'x-forwarded-proto': 'https,http' })).headers.get('strict-transport-security')).not.toBeNull();
    expect(proxy(new NextRequest('https://tasks.example/')).headers.get('strict-transport-security')).not.toBeNull();
    // A redirect carries them too.
    expect(proxy(request('/tasks')).headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('contentSecurityPolicy', () => {
  it('is strict: nonce + strict-dynamic scripts, no plugins, no base, no framing, forms to self', () => {
    const csp = contentSecurityPolicy('abc', { development: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) expect(csp).toContain(directive);
  });

  it('allows eval in development only, as React needs it there', () => {
    expect(contentSecurityPolicy('abc', { development: true })).toContain("'strict-dynamic' 'unsafe-eval'");
  });
});
