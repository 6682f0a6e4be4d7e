import { retryAfterOf } from '@/lib/auth-messages';
import { ApiError, NetworkError, SessionExpiredError } from '@/lib/tasks/api-client';

/**
 * Better Auth's account endpoints (/api/auth/...) as /settings calls them, on the session cookie.
 * Errors are the task client's classes, so each section tells a lost session, a lost network and a
 * refusal apart the same way; a refusal carries Better Auth's own message and code.
 */

export const AUTH_BASE = '/api/auth';

/** A refusal from Better Auth, with its machine-readable code (`INVALID_PASSWORD`, ...). */
export class AuthRefusal extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly code: string | undefined,
    retryAfterSeconds?: number,
  ) {
    super(status, message, retryAfterSeconds);
  }
}

export async function authRequest<T>(path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${AUTH_BASE}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new NetworkError();
  }
  if (response.ok) return (await response.json().catch(() => null)) as T;
  let message = `The request failed (${response.status}).`;
  let code: string | undefined;
  try {
    // Better Auth's own error shape: { code, message }; its 429 comes as the app's problem ({ detail }).
    const answer: unknown = await response.json();
    if (answer && typeof answer === 'object') {
      if ('message' in answer && typeof answer.message === 'string' && answer.message) message = answer.message;
      else if ('detail' in answer && typeof answer.detail === 'string' && answer.detail) message = answer.detail;
      if ('code' in answer && typeof answer.code === 'string') code = answer.code;
    }
  } catch {
    // Not JSON (a proxy in between): keep the generic sentence.
  }
  // A wrong authenticator code is a 401 too, and not a lost session.
  if (response.status === 401 && !(code && CODE_REFUSALS.has(code))) throw new SessionExpiredError(401, 'Sign in to continue.');
  throw new AuthRefusal(response.status, message, code, retryAfterOf(response) ?? undefined);
}

/** Better Auth's 401s that refuse a code rather than say the session is gone. */
const CODE_REFUSALS = new Set(['INVALID_CODE', 'INVALID_BACKUP_CODE']);

export const UPDATE_USER_PATH = `${AUTH_BASE}/update-user`;

export async function updateUser(changes: { name?: string; timezone?: string; emailReminders?: boolean }): Promise<void> {
  await authRequest('/update-user', changes);
}

export async function changePassword(input: { currentPassword: string; newPassword: string; revokeOtherSessions: boolean }): Promise<void> {
  await authRequest('/change-password', input);
}

/** A session as /list-sessions gives it (the fields /settings shows). */
export interface SessionInfo {
  id: string;
  token: string;
  userAgent?: string | null;
  ipAddress?: string | null;
  updatedAt: string;
  createdAt: string;
}

export async function listSessions(): Promise<SessionInfo[]> {
  return authRequest<SessionInfo[]>('/list-sessions');
}

export async function revokeSession(token: string): Promise<void> {
  await authRequest('/revoke-session', { token });
}

export async function revokeOtherSessions(): Promise<void> {
  await authRequest('/revoke-other-sessions', {});
}

export async function deleteUser(password: string): Promise<void> {
  await authRequest('/delete-user', { password });
}

/** Starts the setup (the password checked): the authenticator's otpauth:// URI and the backup codes. It is on once `verifyTotp` confirms a code. */
export async function enableTwoFactor(password: string): Promise<{ totpURI: string; backupCodes: string[] }> {
  return authRequest('/two-factor/enable', { password });
}

/** A code from the authenticator app: confirms the setup (turning two-factor on). Wrong: AuthRefusal INVALID_CODE. */
export async function verifyTotp(code: string): Promise<void> {
  await authRequest('/two-factor/verify-totp', { code });
}

export async function disableTwoFactor(password: string): Promise<void> {
  await authRequest('/two-factor/disable', { password });
}

/** New backup codes; the old ones stop working. */
export async function generateBackupCodes(password: string): Promise<string[]> {
  return (await authRequest<{ backupCodes: string[] }>('/two-factor/generate-backup-codes', { password })).backupCodes;
}

/** Where the change-email link lands once followed: /settings, which then says the email changed. */
export const EMAIL_CHANGED_CALLBACK = '/settings?email=changed#profile';

/** Mails a link to `newEmail`; the account's email changes when it is followed (the same answer for a taken address). */
export async function changeEmail(newEmail: string): Promise<void> {
  await authRequest('/change-email', { newEmail, callbackURL: EMAIL_CHANGED_CALLBACK });
}
