import { createAuthClient } from 'better-auth/react';
import { twoFactorClient } from 'better-auth/client/plugins';

/**
 * Better Auth's browser client with the two-factor step, for the sign-in and sign-up form: a
 * sign-in on an account with two-factor authentication answers `twoFactorRedirect`, and the code
 * goes to `twoFactor.verifyTotp` or `verifyBackupCode`. Apart from lib/auth-client.ts so that the
 * signed-in pages (which load that one for sign-out and the verification banner) carry none of it.
 */
export const signInClient = createAuthClient({ plugins: [twoFactorClient()] });
