import { describe, expect, it } from 'vitest';
import type { TaskDto } from '@/lib/api/task-schemas';
import { nextLink } from './api-client';
import { isTempId, nextTempId, placeTask, type TaskListData } from './cache';
import { DEFAULT_VIEW, viewQuery, type Filter } from './view';

const clock = { date: '2026-12-03', time: '10:00' };
const place = (data: TaskListData, filter: Filter, task: TaskDto) => placeTask(data, viewQuery({ ...DEFAULT_VIEW, filter }), clock, task);

const task = (id: number, completed = false): TaskDto => ({
  id,
  user_id: 'u',
  title: `t${id}`,
  description: null,
  recurrence: null,
  recur_from: 'due',
  remind_at: null,
  completed_at: null,
  completed,
  priority: 'none',
  tags: [],
  list_id: null,
  due_date: null,
  due_time: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
});

const list = (pages: number[][], lastHasNext = false): TaskListData => ({
  pages: pages.map((ids, index) => ({ tasks: ids.map((id) => task(id)), next: index < pages.length - 1 || lastHasNext ? 'next' : null })),
  pageParams: pages.map(() => null),
});

const ids = (data: TaskListData) => data.pages.map((page) => page.tasks.map((t) => t.id));

describe('placeTask', () => {
  it('keeps newest first, across pages', () => {
    expect(ids(place(list([[9, 7], [5, 3]]), 'all', task(6)))).toEqual([[9, 7], [6, 5, 3]]);
    expect(ids(place(list([[9, 7]]), 'all', task(10)))).toEqual([[10, 9, 7]]);
  });

  it('puts an older task at the end only when nothing is left to load', () => {
    expect(ids(place(list([[9, 7]]), 'all', task(2)))).toEqual([[9, 7, 2]]);
    expect(ids(place(list([[9, 7]], true), 'all', task(2)))).toEqual([[9, 7]]);
  });

  it('moves a task out of a filter it no longer matches, and into the one it does', () => {
    expect(ids(place(list([[9, 7, 5]]), 'active', task(7, true)))).toEqual([[9, 5]]);
    expect(ids(place(list([[9, 5]]), 'completed', task(7, true)))).toEqual([[9, 7, 5]]);
  });

  it('replaces a task in place rather than duplicating it', () => {
    const placed = place(list([[9, 7, 5]]), 'all', { ...task(7), title: 'renamed' });
    expect(ids(placed)).toEqual([[9, 7, 5]]);
    expect(placed.pages[0]!.tasks[1]!.title).toBe('renamed');
  });

  it('shows tasks not yet saved above every saved one', () => {
    const temp = nextTempId();
    expect(isTempId(temp)).toBe(true);
    expect(isTempId(9)).toBe(false);
    expect(ids(place(list([[9, 7]]), 'all', task(temp)))).toEqual([[temp, 9, 7]]);
  });
});

describe('nextLink', () => {
  it('finds rel="next" in a Link header', () => {
    expect(nextLink('</api/proxy/me/tasks?limit=50&cursor=dDo1>; rel="next"')).toBe('/api/proxy/me/tasks?limit=50&cursor=dDo1');
    expect(nextLink('<a>; rel="prev", <b>; rel="next"')).toBe('b');
    expect(nextLink('<a>; rel="prev"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});

describe('placeTask in a sorted, filtered view', () => {
  const titled = (id: number, title: string, fields: Partial<TaskDto> = {}): TaskDto => ({ ...task(id), title, ...fields });

  it('puts a task where the view’s sort puts it, and out of a view whose filter it left', () => {
    const byTitle = viewQuery({ ...DEFAULT_VIEW, sort: 'title' });
    const data: TaskListData = { pages: [{ tasks: [titled(1, 'apple'), titled(2, 'cherry')], next: null }], pageParams: [null] };
    expect(placeTask(data, byTitle, clock, titled(3, 'Banana')).pages[0]!.tasks.map((t) => t.title)).toEqual(['apple', 'Banana', 'cherry']);
    const inList = viewQuery({ ...DEFAULT_VIEW, list: 7 });
    const listed: TaskListData = { pages: [{ tasks: [titled(5, 'in', { list_id: 7 })], next: null }], pageParams: [null] };
    expect(placeTask(listed, inList, clock, titled(5, 'in', { list_id: null })).pages[0]!.tasks).toEqual([]);
    const today = viewQuery({ ...DEFAULT_VIEW, due: 'today' });
    expect(placeTask(listed, today, clock, titled(6, 'due today', { due_date: '2026-12-03' })).pages[0]!.tasks.map((t) => t.id)).toEqual([6, 5]);
  });
});
