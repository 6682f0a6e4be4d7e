import { describe, expect, it } from 'vitest';
import { authErrorMessage, retryAfterOf } from './auth-messages';

describe('authErrorMessage', () => {
  it('shows the server’s own message', () => {
    expect(authErrorMessage({ status: 422, message: 'User already exists. Use another email.' })).toBe('User already exists. Use another email.');
    expect(authErrorMessage({ status: 401, message: 'Invalid email or password' })).toBe('Invalid email or password.');
    expect(authErrorMessage({ status: 400, message: 'This password is too common' })).toBe('This password is too common.');
  });

  it('says how long to wait on 429, and what happened when nothing answered', () => {
    expect(authErrorMessage({ status: 429, message: 'Too many requests.' }, 7)).toBe('Too many attempts, try again in 7 s.');
    expect(authErrorMessage({ status: 429 }, null)).toBe('Too many attempts, try again in 10 s.');
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
