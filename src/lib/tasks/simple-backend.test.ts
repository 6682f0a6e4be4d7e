import { describe, expect, it } from 'vitest';
import { ALL_FEATURES, SEED_FEATURES } from '@/lib/api/features';
import { completeTask, fastApiDetail, queryLocally, supportedView } from './simple-backend';
import { DEFAULT_VIEW, parseView } from './view';

const CLOCK = { date: '2026-12-03', time: '10:00' };

/** Tasks as a seeds-style service sends them: its six fields, newest last, naive timestamps. */
const seedTasks = [
  { id: 1, user_id: 'u', title: 'Buy milk', description: null, completed: false, created_at: '2026-12-01T10:00:00', updated_at: '2026-12-01T10:00:00' },
  { id: 2, user_id: 'u', title: 'Call mum', description: 'about Sunday', completed: true, created_at: '2026-12-02T10:00:00', updated_at: '2026-12-02T10:00:00' },
  { id: 3, user_id: 'u', title: 'Answer the letter', description: null, completed: false, created_at: '2026-12-03T10:00:00', updated_at: '2026-12-03T10:00:00' },
].map(completeTask);

describe('completeTask', () => {
  it("fills in what a seeds-style service leaves out, keeping everything it sent", () => {
    expect(seedTasks[0]).toEqual({
      id: 1,
      user_id: 'u',
      title: 'Buy milk',
      description: null,
      completed: false,
      completed_at: null,
      priority: 'none',
      tags: [],
      list_id: null,
      due_date: null,
      due_time: null,
      recurrence: null,
      recur_from: 'due',
      remind_at: null,
      created_at: '2026-12-01T10:00:00',
      updated_at: '2026-12-01T10:00:00',
    });
  });
});

describe('queryLocally', () => {
  it('finds the tasks of a status, newest first, as the API would order them', () => {
    expect(queryLocally(seedTasks, '', CLOCK).map((task) => task.id)).toEqual([3, 2, 1]);
    expect(queryLocally(seedTasks, 'status=pending', CLOCK).map((task) => task.id)).toEqual([3, 1]);
    expect(queryLocally(seedTasks, 'status=completed&limit=1', CLOCK).map((task) => task.id)).toEqual([2]);
  });

  it('searches title and description, and sorts by title when asked', () => {
    expect(queryLocally(seedTasks, 'q=sunday', CLOCK).map((task) => task.id)).toEqual([2]);
    expect(queryLocally(seedTasks, 'sort=title', CLOCK).map((task) => task.title)).toEqual(['Answer the letter', 'Buy milk', 'Call mum']);
  });

  it('reads a query as a view is read: what the API would refuse is left out', () => {
    expect(queryLocally(seedTasks, 'status=maybe&sort=sideways', CLOCK).map((task) => task.id)).toEqual([3, 2, 1]);
  });
});

describe('supportedView', () => {
  it('drops what the service cannot do from a bookmarked view, keeping the status filter', () => {
    const view = parseView(new URLSearchParams('filter=active&list=3&due=today&tag=home&q=milk&priority=high&sort=title&order=desc'));
    expect(supportedView(view, SEED_FEATURES)).toEqual({ ...DEFAULT_VIEW, filter: 'active' });
    expect(supportedView(view, ALL_FEATURES)).toEqual(view);
  });
});

describe('fastApiDetail', () => {
  it("reads FastAPI's detail sentence, and a problem's", () => {
    expect(fastApiDetail({ detail: 'Task not found' })).toBe('Task not found');
    expect(fastApiDetail({ type: 'about:blank', status: 404, detail: 'Not found.' })).toBe('Not found.');
  });

  it('turns its validation list into one sentence naming the fields', () => {
    expect(
      fastApiDetail({
        detail: [
          { loc: ['body', 'title'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['body', 'description'], msg: 'ensure this value has at most 10000 characters', type: 'value_error' },
        ],
      }),
    ).toBe('title: field required; description: ensure this value has at most 10000 characters.');
    expect(fastApiDetail({ detail: [{ loc: ['path', 'task_id'], msg: 'value is not a valid integer' }] })).toBe('task_id: value is not a valid integer.');
  });

  it('gives nothing for a body that says nothing usable', () => {
    for (const body of [null, 'text', {}, { detail: '' }, { detail: 42 }, { detail: [] }, { detail: [{ nope: 1 }] }]) expect(fastApiDetail(body)).toBeUndefined();
  });
});
