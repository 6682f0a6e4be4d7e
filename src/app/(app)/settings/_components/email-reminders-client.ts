import { updateUser, UPDATE_USER_PATH } from './auth-client';

/** The "email me" setting, saved on the Better Auth user with /api/auth/update-user (the same endpoint sets the time zone). */

export { UPDATE_USER_PATH };

export async function saveEmailReminders(on: boolean): Promise<void> {
  await updateUser({ emailReminders: on });
}
