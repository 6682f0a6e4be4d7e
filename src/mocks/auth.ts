import { http, HttpResponse } from 'msw';
import { MOCK_USER } from '@/lib/build-flags';
import type { MockUser } from './task-api';

/** The mock account with two-factor authentication on. */
export const TWO_FACTOR_EMAIL = 'two-factor@example.com';

/**
 * Better Auth's endpoints as the sign-in, sign-up and sign-out forms use them, for `npm run
 * dev:mock` and the component tests. Every sign-in and sign-up succeeds as the mock user, except:
 * the password `wrong-password` (401, as a wrong password gets), the email `taken@example.com` on
 * sign-up (422), and the email `slow-down@example.com` (429 with X-Retry-After). Password reset and
 * "send again" always succeed, but for that email (429); a reset with the token `used-token` is
 * refused as Better Auth refuses a used or expired one, and the new password `password123` as too common.
 * The email `two-factor@example.com` has two-factor authentication: sign-in answers
 * `twoFactorRedirect`, and then the code `123456` or the backup code `ABCDE-12345` signs in; other
 * codes are wrong, and `999999` finds the sign-in expired.
 * A change of email answers as Better Auth does, the same for a free or a taken address, but for
 * the mock user's own address (400) and that email (429).
 */
export function createAuthHandlers(options: { origin?: string; user?: MockUser } = {}) {
  const base = options.origin ?? '';
  const user = options.user ?? MOCK_USER;
  const now = new Date().toISOString();
  const body = () => ({
    token: 'mock-session',
    user: { ...user, emailVerified: false, image: null, createdAt: now, updatedAt: now },
  });
  const refuse = (email: unknown, password: unknown, signUp: boolean) => {
    if (email === 'slow-down@example.com')
      return HttpResponse.json({ message: 'Too many requests. Please try again later.' }, { status: 429, headers: { 'X-Retry-After': '7' } });
    if (signUp && email === 'taken@example.com')
      return HttpResponse.json({ code: 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL', message: 'User already exists. Use another email.' }, { status: 422 });
    if (!signUp && password === 'wrong-password')
      return HttpResponse.json({ code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' }, { status: 401 });
    return undefined;
  };
  return [
    http.post(`${base}/api/auth/sign-in/email`, async ({ request }) => {
      const { email, password } = (await request.json()) as Record<string, unknown>;
      if (email === TWO_FACTOR_EMAIL && password !== 'wrong-password') return HttpResponse.json({ twoFactorRedirect: true, twoFactorMethods: ['totp'] });
      return refuse(email, password, false) ?? HttpResponse.json({ redirect: false, ...body() });
    }),
    http.post(`${base}/api/auth/two-factor/verify-totp`, async ({ request }) => {
      const { code } = (await request.json()) as Record<string, unknown>;
      if (code === '999999') return HttpResponse.json({ code: 'INVALID_TWO_FACTOR_COOKIE', message: 'Invalid two factor cookie' }, { status: 401 });
      if (code !== '123456') return HttpResponse.json({ code: 'INVALID_CODE', message: 'Invalid code' }, { status: 401 });
      return HttpResponse.json(body());
    }),
    http.post(`${base}/api/auth/two-factor/verify-backup-code`, async ({ request }) => {
      const { code } = (await request.json()) as Record<string, unknown>;
      if (code !== 'ABCDE-12345') return HttpResponse.json({ code: 'INVALID_BACKUP_CODE', message: 'Invalid backup code' }, { status: 401 });
      return HttpResponse.json(body());
    }),
    http.post(`${base}/api/auth/sign-up/email`, async ({ request }) => {
      const { email, password } = (await request.json()) as Record<string, unknown>;
      return refuse(email, password, true) ?? HttpResponse.json(body());
    }),
    http.post(`${base}/api/auth/sign-out`, () => HttpResponse.json({ success: true })),
    http.post(`${base}/api/auth/request-password-reset`, async ({ request }) => {
      const { email } = (await request.json()) as Record<string, unknown>;
      return refuse(email, undefined, false) ?? HttpResponse.json({ status: true, message: 'If this email exists in our system, check your email for the reset link' });
    }),
    http.post(`${base}/api/auth/reset-password`, async ({ request }) => {
      const { token, newPassword } = (await request.json()) as Record<string, unknown>;
      if (token === 'used-token') return HttpResponse.json({ code: 'INVALID_TOKEN', message: 'Invalid token' }, { status: 400 });
      if (newPassword === 'password123')
        return HttpResponse.json({ code: 'PASSWORD_TOO_COMMON', message: 'This password is one of the most common ones and easy to guess. Please choose another.' }, { status: 400 });
      return HttpResponse.json({ status: true });
    }),
    http.post(`${base}/api/auth/send-verification-email`, async ({ request }) => {
      const { email } = (await request.json()) as Record<string, unknown>;
      return refuse(email, undefined, false) ?? HttpResponse.json({ status: true });
    }),
    http.post(`${base}/api/auth/change-email`, async ({ request }) => {
      const { newEmail } = (await request.json()) as Record<string, unknown>;
      if (typeof newEmail === 'string' && newEmail.toLowerCase() === user.email.toLowerCase()) return HttpResponse.json({ message: 'Email is the same' }, { status: 400 });
      return refuse(newEmail, undefined, false) ?? HttpResponse.json({ status: true });
    }),
    http.get(`${base}/api/auth/get-session`, () => HttpResponse.json({ session: { id: 'mock-session', userId: user.id }, ...body() })),
  ];
}
