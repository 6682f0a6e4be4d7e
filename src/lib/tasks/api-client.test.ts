import { describe, expect, it } from 'vitest';
import { ApiError, BulkActionError, forEachTask, SessionExpiredError } from './api-client';

const noWait = async () => {};

describe('forEachTask', () => {
  it('acts on every id, and reports how many failed without stopping at the first', async () => {
    const done: number[] = [];
    const run = forEachTask([1, 2, 3, 4, 5], async (id) => {
      if (id === 2) throw new ApiError(404, 'Not found.');
      done.push(id);
    });
    const error = await run.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BulkActionError);
    expect(error).toMatchObject({ failed: 1, total: 5 });
    expect(done.sort()).toEqual([1, 3, 4, 5]);
  });

  it('waits out the quota (429 + Retry-After) and tries again', async () => {
    const calls: number[] = [];
    const waits: number[] = [];
    await forEachTask(
      [1, 2],
      async (id) => {
        calls.push(id);
        if (id === 1 && calls.filter((c) => c === 1).length < 3) throw new ApiError(429, 'Too many requests.', 2);
      },
      async (ms) => void waits.push(ms),
    );
    expect(calls.filter((c) => c === 1)).toHaveLength(3);
    expect(waits).toEqual([2000, 2000]);
  });

  it('gives up on a task that stays over the quota', async () => {
    const error = await forEachTask([1], async () => Promise.reject(new ApiError(429, 'Too many requests.', 1)), noWait).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ failed: 1, total: 1 });
  });

  it('stops at once when the session has ended', async () => {
    let calls = 0;
    const error = await forEachTask(Array.from({ length: 20 }, (_, i) => i + 1), async () => {
      calls += 1;
      throw new SessionExpiredError(401, 'Sign in to continue.');
    }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(calls).toBeLessThanOrEqual(4);
  });
});
