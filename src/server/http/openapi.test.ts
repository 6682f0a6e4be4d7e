import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';

// The document a client generator reads: every contract route, with the limits the API enforces.

const document = openApiDocument('http://localhost:3000');
type Json = Record<string, unknown> & { [key: string]: Json };
const doc = document as unknown as Json;

describe('openApiDocument', () => {
  it('describes every operation of the task API, each behind the Bearer scheme, and the auth endpoints a client needs', () => {
    const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /api/{user_id}/tasks',
        'POST /api/{user_id}/tasks',
        'POST /api/{user_id}/tasks/bulk',
        'GET /api/{user_id}/tasks/{task_id}',
        'PUT /api/{user_id}/tasks/{task_id}',
        'PATCH /api/{user_id}/tasks/{task_id}',
        'DELETE /api/{user_id}/tasks/{task_id}',
        'PATCH /api/{user_id}/tasks/{task_id}/complete',
        'GET /api/{user_id}/lists',
        'POST /api/{user_id}/lists',
        'PATCH /api/{user_id}/lists/{list_id}',
        'DELETE /api/{user_id}/lists/{list_id}',
        'GET /api/{user_id}/tags',
        'PATCH /api/{user_id}/tags/{tag_name}',
        'DELETE /api/{user_id}/tags/{tag_name}',
        'GET /api/{user_id}/notifications',
        'POST /api/{user_id}/notifications/read',
        'POST /api/{user_id}/calendar-feed',
        'DELETE /api/{user_id}/calendar-feed',
        'GET /api/{user_id}/export',
        'POST /api/{user_id}/import',
        'POST /api/auth/sign-up/email',
        'POST /api/auth/sign-in/email',
        'POST /api/auth/sign-out',
        'GET /api/auth/get-session',
        'POST /api/auth/update-user',
        'POST /api/auth/request-password-reset',
        'POST /api/auth/reset-password',
        'POST /api/auth/send-verification-email',
        'GET /api/auth/verify-email',
        'POST /api/auth/two-factor/enable',
        'POST /api/auth/two-factor/verify-totp',
        'POST /api/auth/change-email',
        'GET /api/auth/token',
        'GET /api/auth/jwks',
      ].sort(),
    );
    for (const [path, item] of Object.entries(doc.paths!)) {
      if (path.startsWith('/api/auth/')) continue;
      for (const operation of Object.values(item)) {
        expect(operation.security).toEqual([{ bearer: [] }]);
        expect(Object.keys(operation.responses!)).toEqual(expect.arrayContaining(['401', '403', '503']));
      }
    }
    expect(doc.components!.securitySchemes!.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('publishes the Task and Problem shapes and the body limits the handlers enforce', () => {
    const schemas = doc.components!.schemas!;
    expect(Object.keys(schemas.Task!.properties!).sort()).toEqual(
      ['completed', 'completed_at', 'created_at', 'description', 'due_date', 'due_time', 'id', 'list_id', 'priority', 'recur_from', 'recurrence', 'remind_at', 'tags', 'title', 'updated_at', 'user_id'],
    );
    expect(Object.keys(schemas.List!.properties!).sort()).toEqual(['color', 'created_at', 'id', 'name', 'open_count', 'position', 'task_count', 'updated_at']);
    expect(Object.keys(schemas.Problem!.properties!).sort()).toEqual(['detail', 'errors', 'status', 'title', 'type']);
    const create = doc.paths!['/api/{user_id}/tasks']!.post!.requestBody!.content!['application/json']!.schema!;
    expect(create.additionalProperties).toBe(false);
    expect(create.required).toEqual(['title']);
    expect(create.properties!.title).toMatchObject({ minLength: 1, maxLength: 255 });
    const query = doc.paths!['/api/{user_id}/tasks']!.get!.parameters as unknown as { name: string; in: string }[];
    expect(query.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(
      ['cursor', 'due', 'due_from', 'due_to', 'limit', 'list', 'order', 'priority', 'q', 'sort', 'status', 'tag'],
    );
  });
});
