import { beforeAll, describe, expect, it } from 'vitest';
import { taskSchema, type TaskDto } from '@/lib/api/task-schemas';
import { problemOf, type ContractRequest, type TaskApiTarget, type User } from './task-api-contract';

/**
 * The contract's "Conditional requests": a strong ETag on every single-task answer, `If-None-Match`
 * → 304 on GET, `If-Match` → 412 (nothing changed) on PUT, PATCH, DELETE and /complete. Part of the
 * one contract suite (handlers, proxy, msw mock). User d's tasks.
 */
export function describeConditionalContract(target: () => TaskApiTarget) {
  let api: TaskApiTarget;
  const USER: User = 'd';
  beforeAll(() => {
    api = target();
  });

  const send = (method: string, path: string, request?: ContractRequest) => api.send(USER, method, path, request);
  async function create(title: string): Promise<{ task: TaskDto; etag: string }> {
    const response = await send('POST', 'me/tasks', { body: { title } });
    expect(response.status).toBe(201);
    return { task: taskSchema.parse(await response.json()), etag: response.headers.get('etag')! };
  }
  const read = async (id: number) => {
    const response = await send('GET', `me/tasks/${id}`);
    return { task: taskSchema.parse(await response.json()), etag: response.headers.get('etag')! };
  };
  async function refused(response: Response) {
    expect(response.status).toBe(412);
    expect((await problemOf(response)).detail).toMatch(/changed since you read it/);
  }

  describe('conditional requests', () => {
    it('gives every single-task answer a strong ETag that changes with every change, and only then', async () => {
      const { task, etag } = await create('tagged');
      expect(etag).toMatch(/^"[^"]+"$/);
      expect((await read(task.id)).etag).toBe(etag);
      const changed = await send('PATCH', `me/tasks/${task.id}`, { body: { title: 'tagged again' } });
      const next = changed.headers.get('etag')!;
      expect(next).not.toBe(etag);
      expect((await read(task.id)).etag).toBe(next);
      const completed = await send('PATCH', `me/tasks/${task.id}/complete`);
      expect(completed.headers.get('etag')).not.toBe(next);
    });

    it('answers 304 without a body when If-None-Match names the current version, 200 otherwise', async () => {
      const { task, etag } = await create('cached');
      const same = await send('GET', `me/tasks/${task.id}`, { headers: { 'if-none-match': etag } });
      expect(same.status).toBe(304);
      expect(same.headers.get('etag')).toBe(etag);
      expect(await same.text()).toBe('');
      expect((await send('GET', `me/tasks/${task.id}`, { headers: { 'if-none-match': `"other", ${etag}` } })).status).toBe(304);
      await send('PATCH', `me/tasks/${task.id}`, { body: { description: 'changed' } });
      const stale = await send('GET', `me/tasks/${task.id}`, { headers: { 'if-none-match': etag } });
      expect(stale.status).toBe(200);
      expect(taskSchema.parse(await stale.json()).description).toBe('changed');
    });

    it('refuses a PATCH, PUT, DELETE or completion with a stale If-Match with 412, and changes nothing', async () => {
      const { task, etag: stale } = await create('guarded');
      const current = (await send('PATCH', `me/tasks/${task.id}`, { body: { title: 'changed elsewhere' } })).headers.get('etag')!;
      const ifMatch = { headers: { 'if-match': stale } };
      await refused(await send('PATCH', `me/tasks/${task.id}`, { ...ifMatch, body: { title: 'lost update' } }));
      await refused(await send('PUT', `me/tasks/${task.id}`, { ...ifMatch, body: { title: 'lost update' } }));
      await refused(await send('PATCH', `me/tasks/${task.id}/complete`, ifMatch));
      await refused(await send('DELETE', `me/tasks/${task.id}`, ifMatch));
      // A weak tag never matches (strong comparison), nor another task's.
      await refused(await send('PATCH', `me/tasks/${task.id}`, { headers: { 'if-match': `W/${current}` }, body: { title: 'weak' } }));
      const after = await read(task.id);
      expect(after.task).toMatchObject({ title: 'changed elsewhere', completed: false });
      expect(after.etag).toBe(current);
    });

    it('applies a write whose If-Match names the current version (or *), and answers the new ETag', async () => {
      const { task, etag } = await create('fresh');
      const changed = await send('PATCH', `me/tasks/${task.id}`, { headers: { 'if-match': etag }, body: { title: 'fresh, changed' } });
      expect(changed.status).toBe(200);
      const next = changed.headers.get('etag')!;
      const done = await send('PATCH', `me/tasks/${task.id}/complete`, { headers: { 'if-match': `"x", ${next}` } });
      expect(done.status).toBe(200);
      expect(taskSchema.parse(await done.json()).completed).toBe(true);
      expect((await send('DELETE', `me/tasks/${task.id}`, { headers: { 'if-match': '*' } })).status).toBe(204);
      // Nothing to match any more: 404, as without the header.
      expect((await send('PATCH', `me/tasks/${task.id}`, { headers: { 'if-match': '*' }, body: { title: 'gone' } })).status).toBe(404);
    });

    it('answers a retried POST with the same Idempotency-Key and body with the first answer, marked replayed, and creates once', async () => {
      const key = `create-${Math.random().toString(36).slice(2)}`;
      const request = { headers: { 'idempotency-key': key }, body: { title: 'exactly once' } };
      const first = await send('POST', 'me/tasks', request);
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const task = taskSchema.parse(await first.json());
      const again = await send('POST', 'me/tasks', request);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('location')).toBe(first.headers.get('location'));
      expect(taskSchema.parse(await again.json())).toEqual(task);
      const all = taskSchema.array().parse(await (await send('GET', 'me/tasks?q=exactly%20once&limit=200')).json());
      expect(all.filter((each) => each.title === 'exactly once')).toHaveLength(1);
      // Another user's key is theirs: the same key and body make their own task.
      const theirs = await api.send('c', 'POST', 'me/tasks', request);
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(taskSchema.parse(await theirs.json()).id).not.toBe(task.id);
    });

    it('replays a bulk change too, without applying it twice', async () => {
      const { task } = await create('bulk once');
      const request = { headers: { 'idempotency-key': `bulk-${Math.random().toString(36).slice(2)}` }, body: { ids: [task.id], action: 'complete' } };
      expect(await (await send('POST', 'me/tasks/bulk', request)).json()).toEqual({ affected: 1 });
      await send('PATCH', `me/tasks/${task.id}/complete`, { body: { completed: false } });
      const again = await send('POST', 'me/tasks/bulk', request);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual({ affected: 1 });
      expect((await read(task.id)).task.completed).toBe(false);
    });

    it('refuses the same Idempotency-Key with another body (422) and a malformed key (400), creating nothing', async () => {
      const key = `reuse-${Math.random().toString(36).slice(2)}`;
      expect((await send('POST', 'me/tasks', { headers: { 'idempotency-key': key }, body: { title: 'first body' } })).status).toBe(201);
      const other = await send('POST', 'me/tasks', { headers: { 'idempotency-key': key }, body: { title: 'another body' } });
      expect(other.status).toBe(422);
      await problemOf(other);
      for (const bad of ['has space', 'x'.repeat(256), 'naïve']) {
        expect((await send('POST', 'me/tasks', { headers: { 'idempotency-key': bad }, body: { title: 'bad key' } })).status, bad).toBe(400);
      }
      const titles = taskSchema.array().parse(await (await send('GET', 'me/tasks?q=body&limit=200')).json()).map((each) => each.title);
      expect(titles.filter((title) => title === 'another body' || title === 'bad key')).toEqual([]);
    });

    it('refuses a malformed If-Match or If-None-Match with 400', async () => {
      const { task } = await create('malformed');
      expect((await send('PATCH', `me/tasks/${task.id}`, { headers: { 'if-match': 'not-quoted' }, body: { title: 'x' } })).status).toBe(400);
      expect((await send('GET', `me/tasks/${task.id}`, { headers: { 'if-none-match': '"unterminated' } })).status).toBe(400);
    });
  });
}
