import { getAuth } from '@/server/auth/auth';
import { toErrorResponse } from '@/server/http/respond';

// Better Auth's handler, nothing else: sign-up, sign-in, sign-out, get-session, token, jwks.
async function handle(request: Request): Promise<Response> {
  try {
    return await (await getAuth()).handler(request);
  } catch (error) {
    return toErrorResponse(error, { requestId: crypto.randomUUID(), path: new URL(request.url).pathname });
  }
}

export { handle as GET, handle as POST };
