import { createAuthClient } from 'better-auth/react';

/**
 * Better Auth's browser client, for sign-up, sign-in and sign-out (same origin, /api/auth). The
 * session cookie is httpOnly: this code never sees a token.
 */
export const authClient = createAuthClient();
