import { env } from '@/server/env';
import { openApiDocument } from '@/server/http/openapi';
import { json } from '@/lib/api/responses';

/** The task API's OpenAPI 3.1 document. */
export function GET(): Response {
  return json(openApiDocument(env.baseUrl));
}
