import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { problemSchema } from '@/lib/api/problem';
import {
  completeTaskSchema,
  createTaskSchema,
  listTasksQuerySchema,
  taskSchema,
  updateTaskSchema,
} from '@/lib/api/task-schemas';

/**
 * The task API as OpenAPI 3.1, built from the same zod schemas the handlers validate with, so the
 * document cannot describe fields or limits the API does not enforce.
 */

const userId = z.string().meta({ description: 'The token’s `sub`, or `me`.', example: 'me' });
const taskId = z.string().regex(/^[1-9]\d*$/).meta({ description: 'The task id.', example: '42' });
const collectionParams = { path: z.object({ user_id: userId }) };
const itemParams = { path: z.object({ user_id: userId, task_id: taskId }) };

const problem = (description: string, headers?: z.ZodObject) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/problem+json': { schema: problemSchema } },
});

const retryAfter = z.object({ 'Retry-After': z.string().meta({ description: 'Seconds to wait before retrying.' }) });

/** The answers every task API operation can give besides its success. */
const commonProblems: ZodOpenApiResponsesObject = {
  '401': problem(
    'No Bearer token, or an expired or invalid one.',
    z.object({ 'WWW-Authenticate': z.string().meta({ example: 'Bearer error="invalid_token"' }) }),
  ),
  '403': problem('`{user_id}` is neither `me` nor the token’s `sub`.'),
  '429': problem('Too many requests.', retryAfter),
  '503': problem('The database does not answer; nothing was written.', retryAfter),
};
const bodyProblems: ZodOpenApiResponsesObject = {
  '400': problem('The body is not JSON.'),
  '413': problem('The body is over 64 KB.'),
  '415': problem('The body is not `application/json`.'),
  '422': problem('Validation failed or an unknown field was sent; `errors` lists every problem.'),
};
const notFound: ZodOpenApiResponsesObject = {
  '404': problem('No such task for this user (unknown, not an integer, or another user’s: the same answer).'),
};

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const taskResponse = { description: 'The task.', ...json(taskSchema) };

function operation(summary: string, spec: Omit<ZodOpenApiOperationObject, 'summary'>): ZodOpenApiOperationObject {
  return { summary, security: [{ bearer: [] }], ...spec, responses: { ...spec.responses, ...commonProblems } };
}

const updateOperation = (method: string) =>
  operation(`Update a task (${method}: any non-empty subset of the fields)`, {
    requestParams: itemParams,
    requestBody: { required: true, ...json(updateTaskSchema) },
    responses: { '200': taskResponse, ...notFound, ...bodyProblems },
  });

export function openApiDocument(serverUrl: string) {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tasklane task API',
      version: '1.0.0',
      description:
        'Tasks of the user a Bearer JWT names (get one from `GET /api/auth/token` with a session; public keys at `/api/auth/jwks`). Browsers use the same paths under `/api/proxy/` with their session cookie instead of a token.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths: {
      '/api/{user_id}/tasks': {
        get: operation('List tasks, newest first', {
          requestParams: { ...collectionParams, query: listTasksQuerySchema },
          responses: {
            '200': {
              description: 'One page of tasks.',
              headers: z.object({
                'X-Total-Count': z.string().meta({ description: 'How many tasks match the filter.' }),
                Link: z.string().optional().meta({ description: 'The next page, when more remain: `<url>; rel="next"`.' }),
              }),
              ...json(z.array(taskSchema)),
            },
            '422': problem('An invalid `status`, `limit` or `cursor`.'),
          },
        }),
        post: operation('Create a task', {
          requestParams: collectionParams,
          requestBody: { required: true, ...json(createTaskSchema) },
          responses: {
            '201': {
              description: 'The task.',
              headers: z.object({ Location: z.string().meta({ description: 'The task’s URL.' }) }),
              ...json(taskSchema),
            },
            ...bodyProblems,
          },
        }),
      },
      '/api/{user_id}/tasks/{task_id}': {
        get: operation('Get a task', { requestParams: itemParams, responses: { '200': taskResponse, ...notFound } }),
        put: updateOperation('PUT'),
        patch: updateOperation('PATCH'),
        delete: operation('Delete a task', {
          requestParams: itemParams,
          responses: { '204': { description: 'Deleted.' }, ...notFound },
        }),
      },
      '/api/{user_id}/tasks/{task_id}/complete': {
        patch: operation('Complete a task: no body toggles, `{"completed": bool}` sets', {
          requestParams: itemParams,
          requestBody: { required: false, ...json(completeTaskSchema) },
          responses: { '200': taskResponse, ...notFound, ...bodyProblems },
        }),
      },
    },
  });
}
