import { getAuth } from './auth';

/**
 * Whether a reset link's token can still set a password (it exists and its hour has not passed),
 * so the reset page says "expired or used" before the person types a new password twice. The
 * reset itself checks again: this only decides what the page shows.
 */
export async function isResetTokenUsable(token: string): Promise<boolean> {
  if (token === '' || token.length > 200) return false;
  const context = await (await getAuth()).$context;
  const verification = await context.internalAdapter.findVerificationValue(`reset-password:${token}`);
  return verification !== null && verification !== undefined && verification.expiresAt > new Date();
}
