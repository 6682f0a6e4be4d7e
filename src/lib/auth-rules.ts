/**
 * The rules of the sign-up and sign-in forms, shared by the server (Better Auth's settings in
 * server/auth/auth.ts) and the browser (the forms check them before sending). Plain values and one
 * function: the auth pages' bundle carries no schema library.
 */

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Sign-in and sign-up attempts allowed per client address and window (Better Auth's limiter, production only). */
export const AUTH_RATE_LIMIT = { window: 10, max: 3 } as const;

export type AuthMode = 'sign-in' | 'sign-up';
export type CredentialField = 'name' | 'email' | 'password';

/** The checks the server makes too, as a sentence per field that fails one. */
export function validateCredentials(mode: AuthMode, values: Record<CredentialField, string>): Partial<Record<CredentialField, string>> {
  const errors: Partial<Record<CredentialField, string>> = {};
  if (mode === 'sign-up' && values.name.trim() === '') errors.name = 'Enter your name.';
  const email = values.email.trim();
  if (email === '') errors.email = 'Enter your email address.';
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'Enter an email address like name@example.com.';
  if (values.password === '') errors.password = 'Enter your password.';
  else if (mode === 'sign-up' && values.password.length < PASSWORD_MIN) errors.password = `Use at least ${PASSWORD_MIN} characters.`;
  else if (values.password.length > PASSWORD_MAX) errors.password = `Use at most ${PASSWORD_MAX} characters.`;
  return errors;
}
