import { describe, expect, it } from 'vitest';
import { authErrorMessage, linkErrorMessage, retryAfterOf } from './auth-messages';

describe('authErrorMessage', () => {
  it('shows the server’s own message', () => {
    expect(authErrorMessage({ status: 422, message: 'User already exists. Use another email.' })).toBe('User already exists. Use another email.');
    expect(authErrorMessage({ status: 401, message: 'Invalid email or password' })).toBe('Invalid email or password.');
    expect(authErrorMessage({ status: 400, message: 'This password is too common' })).toBe('This password is too common.');
  });

  it('says how long to wait on 429, and what happened when nothing answered', () => {
    expect(authErrorMessage({ status: 429, message: 'Too many requests.' }, 7)).toBe('Too many attempts, try again in 7 s.');
    expect(authErrorMessage({ status: 429 }, null)).toBe('Too many attempts, try again in 10 s.');
    // The two-factor lockout's 15 minutes, not "900 s".
    expect(authErrorMessage({ status: 429 }, 900)).toBe('Too many attempts, try again in 15 min.');
    expect(authErrorMessage({ status: 429 }, 119)).toBe('Too many attempts, try again in 119 s.');
    expect(authErrorMessage({ status: 0 })).toMatch(/could not be reached/);
    expect(authErrorMessage({ status: 500 })).toMatch(/on our side/);
  });
});

describe('retryAfterOf', () => {
  it('reads X-Retry-After (Better Auth) or Retry-After', () => {
    expect(retryAfterOf(new Response(null, { headers: { 'X-Retry-After': '4' } }))).toBe(4);
    expect(retryAfterOf(new Response(null, { headers: { 'Retry-After': '9' } }))).toBe(9);
    expect(retryAfterOf(new Response(null))).toBeNull();
    expect(retryAfterOf(undefined)).toBeNull();
  });
});

describe('linkErrorMessage', () => {
  it('says why a mailed link failed, for the codes Better Auth sends back, and nothing for others', () => {
    expect(linkErrorMessage('TOKEN_EXPIRED')).toMatch(/expired/);
    expect(linkErrorMessage('INVALID_TOKEN')).toMatch(/not valid/);
    expect(linkErrorMessage('whatever')).toBeNull();
    expect(linkErrorMessage(null)).toBeNull();
  });
});
