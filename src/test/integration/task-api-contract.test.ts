import { callApi, signUp, tokenFor } from '@/test/app';
import { describeTaskApiContract } from '@/test/contract/task-api-contract';

describeTaskApiContract('real route handlers, Bearer tokens from /api/auth/token', async () => {
  const a = await signUp('Alice');
  const b = await signUp('Bob');
  const tokens = { a: await tokenFor(a), b: await tokenFor(b) };
  return {
    userId: (actor) => (actor === 'a' ? a.id : b.id),
    send: (actor, method, path, request = {}) =>
      callApi(method, path, { ...request, token: actor === 'anonymous' ? undefined : tokens[actor] }),
  };
});
