/**
 * Facts about the caller for logs and limits. The client address is the `X-Forwarded-For` set by
 * server.mjs from the socket (or by Vercel): one address, never a client-supplied chain.
 */

export function clientIp(request: Request): string | undefined {
  const forwarded = request.headers.get('x-forwarded-for');
  if (forwarded === null) return undefined;
  // Logged, so kept to what an address can look like.
  const first = forwarded.split(',')[0]!.trim();
  return /^[0-9a-fA-F:.]{2,45}$/.test(first) ? first : undefined;
}
