import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';

// The document a client generator reads: every contract route, with the limits the API enforces.

const document = openApiDocument('http://localhost:3000');
type Json = Record<string, unknown> & { [key: string]: Json };
const doc = document as unknown as Json;

describe('openApiDocument', () => {
  it('describes every task API operation of the contract, each behind the Bearer scheme', () => {
    const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /api/{user_id}/tasks',
        'POST /api/{user_id}/tasks',
        'GET /api/{user_id}/tasks/{task_id}',
        'PUT /api/{user_id}/tasks/{task_id}',
        'PATCH /api/{user_id}/tasks/{task_id}',
        'DELETE /api/{user_id}/tasks/{task_id}',
        'PATCH /api/{user_id}/tasks/{task_id}/complete',
      ].sort(),
    );
    for (const item of Object.values(doc.paths!)) {
      for (const operation of Object.values(item)) {
        expect(operation.security).toEqual([{ bearer: [] }]);
        expect(Object.keys(operation.responses!)).toEqual(expect.arrayContaining(['401', '403', '503']));
      }
    }
    expect(doc.components!.securitySchemes!.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('publishes the Task and Problem shapes and the body limits the handlers enforce', () => {
    const schemas = doc.components!.schemas!;
    expect(Object.keys(schemas.Task!.properties!).sort()).toEqual(['completed', 'created_at', 'description', 'id', 'title', 'updated_at', 'user_id']);
    expect(Object.keys(schemas.Problem!.properties!).sort()).toEqual(['detail', 'errors', 'status', 'title', 'type']);
    const create = doc.paths!['/api/{user_id}/tasks']!.post!.requestBody!.content!['application/json']!.schema!;
    expect(create.additionalProperties).toBe(false);
    expect(create.required).toEqual(['title']);
    expect(create.properties!.title).toMatchObject({ minLength: 1, maxLength: 255 });
    const query = doc.paths!['/api/{user_id}/tasks']!.get!.parameters as unknown as { name: string; in: string }[];
    expect(query.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(['cursor', 'limit', 'status']);
  });
});
