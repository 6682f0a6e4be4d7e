import { readScalarBundle } from '../scalar-bundle';

export async function GET(): Promise<Response> {
  return new Response(new Uint8Array(await readScalarBundle()), {
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      // The URL names the version: a new one is a new URL.
      'cache-control': 'public, max-age=31536000, immutable',
    },
  });
}
