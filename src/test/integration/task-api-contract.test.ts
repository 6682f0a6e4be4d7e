import { expect } from 'vitest';
import { callApi, callAuth, signUp, tokenFor } from '@/test/app';
import { describeTaskApiContract, USERS } from '@/test/contract/task-api-contract';

describeTaskApiContract('real route handlers, Bearer tokens from /api/auth/token', async () => {
  const users = Object.fromEntries(await Promise.all(USERS.map(async (actor) => [actor, await signUp(`User ${actor}`)] as const)));
  const tokens = Object.fromEntries(await Promise.all(USERS.map(async (actor) => [actor, await tokenFor(users[actor]!)] as const)));
  return {
    userId: (actor) => users[actor]!.id,
    send: (actor, method, path, request = {}) => callApi(method, path, { ...request, token: actor === 'anonymous' ? undefined : tokens[actor] }),
    fireReminders: async () => void (await (await import('@/server/reminders')).fireDueReminders()),
    setTimeZone: async (actor, timezone) => {
      const response = await callAuth('POST', 'update-user', { cookie: users[actor]!.cookie, body: { timezone } });
      expect(response.status).toBe(200);
    },
  };
});
