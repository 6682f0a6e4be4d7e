import { beforeAll, describe, expect, it } from 'vitest';
import { listSchema, tagSummarySchema, type ListDto } from '@/lib/api/list-schemas';
import { taskSchema, type TaskDto } from '@/lib/api/task-schemas';
import { addDays, zonedNow } from '@/lib/dates';
import { problemOf, type ContractRequest, type TaskApiTarget, type User } from './task-api-contract';

/**
 * The contract's "organise real work" rows: the task fields (priority, tags, list, due date and
 * time), "Finding tasks", "Lists and tags" and "Bulk changes". Part of the one contract suite, so
 * it runs against the handlers, through the proxy and against the msw mock alike. Users c, d and e
 * each own a block, so every count below is exact.
 */
export function describeOrganiseContract(target: () => TaskApiTarget) {
  let api: TaskApiTarget;
  beforeAll(() => {
    api = target();
  });

  const send = (actor: User, method: string, path: string, request?: ContractRequest) => api.send(actor, method, path, request);
  const bodyOf = async <T>(response: Response, status: number): Promise<T> => {
    expect(response.status, await response.clone().text()).toBe(status);
    return (await response.json()) as T;
  };
  const create = async (actor: User, body: Record<string, unknown>) => taskSchema.parse(await bodyOf(await send(actor, 'POST', 'me/tasks', { body }), 201));
  const createList = async (actor: User, body: Record<string, unknown>) => listSchema.parse(await bodyOf(await send(actor, 'POST', 'me/lists', { body }), 201));
  const lists = async (actor: User) => listSchema.array().parse(await bodyOf(await send(actor, 'GET', 'me/lists'), 200));
  const tagsOf = async (actor: User) => tagSummarySchema.array().parse(await bodyOf(await send(actor, 'GET', 'me/tags'), 200));
  /** Every task of a query, walking its Links; the titles in order and the X-Total-Count of each page. */
  async function walk(actor: User, query: string, limit = 2): Promise<{ titles: string[]; totals: Set<string> }> {
    const titles: string[] = [];
    const totals = new Set<string>();
    let next: string | null = `me/tasks?${query}${query ? '&' : ''}limit=${limit}`;
    for (let pages = 0; next && pages < 100; pages++) {
      const response = await send(actor, 'GET', next);
      const page = taskSchema.array().parse(await bodyOf(response, 200));
      titles.push(...page.map((task) => task.title));
      totals.add(response.headers.get('x-total-count')!);
      const link = response.headers.get('link');
      next = link ? /^<\/api\/([^>]+)>; rel="next"$/.exec(link)![1]! : null;
    }
    return { titles, totals };
  }
  const titlesOf = async (actor: User, query: string) => (await walk(actor, query, 200)).titles;
  const errorPaths = async (response: Response, status = 422) => {
    expect(response.status, await response.clone().text()).toBe(status);
    return ((await problemOf(response)).errors ?? []).map((error) => error.path).sort();
  };

  describe('task fields: priority, tags, list, due date and time', () => {
    it('stores every field, answers it on create, get and list, and defaults what was not sent', async () => {
      const [list] = [await createList('c', { name: 'Fields' })];
      const task = await create('c', { title: 'All fields', priority: 'high', tags: ['Home', 'errands'], list_id: list!.id, due_date: '2026-12-24', due_time: '18:30' });
      expect(task).toMatchObject({ priority: 'high', tags: ['errands', 'Home'], list_id: list!.id, due_date: '2026-12-24', due_time: '18:30' });
      expect(taskSchema.parse(await bodyOf(await send('c', 'GET', `me/tasks/${task.id}`), 200))).toEqual(task);
      const plain = await create('c', { title: 'Defaults' });
      expect(plain).toMatchObject({ priority: 'none', tags: [], list_id: null, due_date: null, due_time: null });
      await send('c', 'DELETE', `me/lists/${list!.id}`);
      await send('c', 'DELETE', `me/tasks/${plain.id}`);
    });

    it('keeps one spelling per tag ignoring case (the first one), sorted ignoring case, and replaces them as a whole', async () => {
      const task = await create('c', { title: 'Tagged', tags: ['  Work ', 'work', 'WORK', 'b-side', 'Äpfel'] });
      expect(task.tags).toEqual(['b-side', 'Work', 'Äpfel']);
      const again = await create('c', { title: 'Same tag, other case', tags: ['wORK'] });
      expect(again.tags).toEqual(['Work']);
      const patched = taskSchema.parse(await bodyOf(await send('c', 'PATCH', `me/tasks/${task.id}`, { body: { tags: ['new'] } }), 200));
      expect(patched.tags).toEqual(['new']);
      expect(taskSchema.parse(await bodyOf(await send('c', 'PATCH', `me/tasks/${task.id}`, { body: { title: 'Renamed' } }), 200)).tags).toEqual(['new']);
      expect(taskSchema.parse(await bodyOf(await send('c', 'PATCH', `me/tasks/${task.id}`, { body: { tags: [] } }), 200)).tags).toEqual([]);
      for (const id of [task.id, again.id]) await send('c', 'DELETE', `me/tasks/${id}`);
    });

    it('names every bad field in errors[].path and stores nothing', async () => {
      const before = (await send('c', 'GET', 'me/tasks')).headers.get('x-total-count');
      expect(
        await errorPaths(
          await send('c', 'POST', 'me/tasks', {
            body: { title: 'x', priority: 'urgent', tags: ['ok', 'a,b', 'x'.repeat(33), 7], list_id: 'inbox', due_date: '2026-02-30', due_time: '25:00', user_id: 'someone' },
          }),
        ),
      ).toEqual(['due_date', 'due_time', 'list_id', 'priority', 'tags.1', 'tags.2', 'tags.3', 'user_id']);
      expect(await errorPaths(await send('c', 'POST', 'me/tasks', { body: { title: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } }))).toEqual(['tags']);
      expect(await errorPaths(await send('c', 'POST', 'me/tasks', { body: { title: 'x', due_time: '09:00' } }))).toEqual(['due_time']);
      expect((await send('c', 'GET', 'me/tasks')).headers.get('x-total-count')).toBe(before);
    });

    it('refuses a list that is not the user’s, unknown or another user’s, with the same 422 on list_id', async () => {
      const theirs = await createList('e', { name: 'Not yours' });
      const answers: string[] = [];
      for (const listId of [theirs.id, 987_654_321]) {
        const response = await send('c', 'POST', 'me/tasks', { body: { title: 'Into their list', list_id: listId } });
        expect(await errorPaths(response.clone())).toEqual(['list_id']);
        answers.push(JSON.stringify({ ...(await problemOf(response)), detail: undefined }));
        const mine = await create('c', { title: 'Mine' });
        expect(await errorPaths(await send('c', 'PATCH', `me/tasks/${mine.id}`, { body: { list_id: listId } }))).toEqual(['list_id']);
        await send('c', 'DELETE', `me/tasks/${mine.id}`);
      }
      expect(new Set(answers).size).toBe(1);
      expect((await lists('e')).find((list) => list.id === theirs.id)?.task_count).toBe(0);
      await send('e', 'DELETE', `me/lists/${theirs.id}`);
    });

    it('clears the time with the date, and refuses a time on a task without a date', async () => {
      const task = await create('c', { title: 'Timed', due_date: '2026-05-01', due_time: '07:15' });
      const cleared = taskSchema.parse(await bodyOf(await send('c', 'PATCH', `me/tasks/${task.id}`, { body: { due_date: null } }), 200));
      expect(cleared).toMatchObject({ due_date: null, due_time: null });
      expect(await errorPaths(await send('c', 'PATCH', `me/tasks/${task.id}`, { body: { due_time: '08:00' } }))).toEqual(['due_time']);
      expect(await errorPaths(await send('c', 'PATCH', `me/tasks/${task.id}`, { body: { due_date: null, due_time: '08:00' } }))).toEqual(['due_time']);
      const dated = taskSchema.parse(await bodyOf(await send('c', 'PATCH', `me/tasks/${task.id}`, { body: { due_date: '2026-05-02', due_time: '08:00' } }), 200));
      expect(dated).toMatchObject({ due_date: '2026-05-02', due_time: '08:00' });
      await send('c', 'DELETE', `me/tasks/${task.id}`);
    });
  });

  describe('finding tasks', () => {
    const tz = 'Pacific/Auckland';
    let today: string;
    let listId: number;
    let tasks: Record<string, TaskDto>;

    beforeAll(async () => {
      await api.setTimeZone('d', tz);
      today = zonedNow(tz).date;
      listId = (await createList('d', { name: 'Work' })).id;
      tasks = {};
      // Oldest first; ids grow in this order.
      const seed: [string, Record<string, unknown>][] = [
        ['Pay rent', { priority: 'high', tags: ['home', 'money'], due_date: addDays(today, -3) }],
        ['Buy milk', { description: '2 litres, semi-skimmed', priority: 'low', tags: ['errands'], due_date: today }],
        ['write report', { priority: 'high', list_id: 'work', due_date: today, due_time: '00:00' }],
        ['Call mum', { tags: ['Home'], due_date: addDays(today, 2), due_time: '18:00' }],
        ['Plan trip', { priority: 'medium', description: 'Book the 100% refundable fare', due_date: addDays(today, 6) }],
        ['Renew passport', { priority: 'medium', list_id: 'work', due_date: addDays(today, 7) }],
        ['Old errand', { tags: ['errands'], completed: true, due_date: addDays(today, -10) }],
        ['Someday idea', { description: 'milk the idea' }],
        ['agenda for Monday', { list_id: 'work', priority: 'low', due_date: addDays(today, 2) }],
      ];
      for (const [title, fields] of seed) {
        tasks[title] = await create('d', { title, ...fields, ...(fields.list_id === 'work' ? { list_id: listId } : {}) });
      }
    });

    it('lists newest first by default, with the total', async () => {
      const { titles, totals } = await walk('d', '');
      expect(titles).toEqual(Object.keys(tasks).reverse());
      expect([...totals]).toEqual(['9']);
    });

    it('searches words in the title or description, every word, ignoring case, as substrings', async () => {
      expect(await titlesOf('d', 'q=MILK')).toEqual(['Someday idea', 'Buy milk']);
      expect(await titlesOf('d', 'q=mil%20litre')).toEqual(['Buy milk']);
      expect(await titlesOf('d', 'q=rep')).toEqual(['write report']);
      expect(await titlesOf('d', 'q=100%25')).toEqual(['Plan trip']);
      expect(await titlesOf('d', 'q=_')).toEqual([]);
      expect(await titlesOf('d', 'q=milk%20nothing')).toEqual([]);
    });

    it('filters by priority, tags (all of them, ignoring case), list and status, with the count of the filter', async () => {
      expect(await titlesOf('d', 'priority=high,medium')).toEqual(['Renew passport', 'Plan trip', 'write report', 'Pay rent']);
      expect(await titlesOf('d', 'tag=HOME')).toEqual(['Call mum', 'Pay rent']);
      expect(await titlesOf('d', 'tag=home&tag=money')).toEqual(['Pay rent']);
      expect(await titlesOf('d', 'tag=nobody')).toEqual([]);
      expect(await titlesOf('d', `list=${listId}`)).toEqual(['agenda for Monday', 'Renew passport', 'write report']);
      expect((await titlesOf('d', 'list=inbox')).length).toBe(6);
      expect(await titlesOf('d', 'status=completed&tag=errands')).toEqual(['Old errand']);
      for (const [query, total] of [
        ['priority=low', '2'],
        ['tag=errands', '2'],
        [`list=${listId}`, '3'],
        [`list=${listId}&status=pending`, '3'],
        ['list=inbox', '6'],
        ['list=inbox&status=completed', '1'],
        ['q=milk&status=pending', '2'],
      ]) {
        expect((await send('d', 'GET', `me/tasks?${query}`)).headers.get('x-total-count'), query).toBe(total);
      }
    });

    it('filters by due date in the user’s time zone: overdue, today, week, none, scheduled, and a range', async () => {
      // "write report" is due today at 00:00: already past, so overdue as well as today.
      expect(await titlesOf('d', 'due=overdue')).toEqual(['write report', 'Pay rent']);
      expect(await titlesOf('d', 'due=today')).toEqual(['write report', 'Buy milk']);
      expect(await titlesOf('d', 'due=week')).toEqual(['agenda for Monday', 'Plan trip', 'Call mum', 'write report', 'Buy milk']);
      expect(await titlesOf('d', 'due=none')).toEqual(['Someday idea']);
      expect((await titlesOf('d', 'due=scheduled')).length).toBe(8);
      expect(await titlesOf('d', `due_from=${addDays(today, 2)}&due_to=${addDays(today, 6)}`)).toEqual(['agenda for Monday', 'Plan trip', 'Call mum']);
      expect((await send('d', 'GET', 'me/tasks?due=week')).headers.get('x-total-count')).toBe('5');
    });

    it('sorts by due (untimed after timed in a day, undated last), priority, title (ignoring case) and updated, both ways, ties by id descending', async () => {
      expect(await titlesOf('d', 'sort=due')).toEqual([
        'Old errand',
        'Pay rent',
        'write report',
        'Buy milk',
        'Call mum',
        'agenda for Monday',
        'Plan trip',
        'Renew passport',
        'Someday idea',
      ]);
      expect(await titlesOf('d', 'sort=due&order=desc')).toEqual([
        'Renew passport',
        'Plan trip',
        'agenda for Monday',
        'Call mum',
        'Buy milk',
        'write report',
        'Pay rent',
        'Old errand',
        'Someday idea',
      ]);
      expect(await titlesOf('d', 'sort=priority')).toEqual([
        'write report',
        'Pay rent',
        'Renew passport',
        'Plan trip',
        'agenda for Monday',
        'Buy milk',
        'Someday idea',
        'Old errand',
        'Call mum',
      ]);
      expect(await titlesOf('d', 'sort=priority&order=asc')).toEqual([
        'Someday idea',
        'Old errand',
        'Call mum',
        'agenda for Monday',
        'Buy milk',
        'Renew passport',
        'Plan trip',
        'write report',
        'Pay rent',
      ]);
      const alphabetical = ['agenda for Monday', 'Buy milk', 'Call mum', 'Old errand', 'Pay rent', 'Plan trip', 'Renew passport', 'Someday idea', 'write report'];
      expect(await titlesOf('d', 'sort=title')).toEqual(alphabetical);
      expect(await titlesOf('d', 'sort=title&order=desc')).toEqual([...alphabetical].reverse());
      expect(await titlesOf('d', 'sort=created&order=asc')).toEqual(Object.keys(tasks));
      await send('d', 'PATCH', `me/tasks/${tasks['Pay rent']!.id}`, { body: { description: 'touched' } });
      expect((await titlesOf('d', 'sort=updated'))[0]).toBe('Pay rent');
      expect((await titlesOf('d', 'sort=updated&order=asc')).at(-1)).toBe('Pay rent');
    });

    it('walks every sort and filter page by page (limit 2) to exactly the one-page answer', async () => {
      for (const query of ['sort=due', 'sort=due&order=desc', 'sort=priority', 'sort=priority&order=asc', 'sort=title', 'sort=title&order=desc', 'sort=updated', 'sort=updated&order=asc', 'q=e&sort=due', 'tag=home&sort=title', 'due=week&sort=priority']) {
        const whole = await titlesOf('d', query);
        const walked = await walk('d', query, 2);
        expect(walked.titles, query).toEqual(whole);
        expect([...walked.totals], query).toEqual([String(whole.length)]);
      }
    });

    it('binds a cursor to its query: with another sort or filter it is 422 on cursor', async () => {
      const first = await send('d', 'GET', 'me/tasks?sort=title&limit=2');
      const cursor = /cursor=([^&>]+)/.exec(first.headers.get('link')!)![1]!;
      expect((await send('d', 'GET', `me/tasks?sort=title&limit=5&cursor=${cursor}`)).status).toBe(200);
      for (const other of ['sort=due', 'sort=title&order=desc', 'sort=title&status=pending', 'sort=title&q=a']) {
        expect(await errorPaths(await send('d', 'GET', `me/tasks?${other}&cursor=${cursor}`)), other).toEqual(['cursor']);
      }
    });

    it('refuses a bad value of every known parameter with 422 naming it, and ignores unknown ones', async () => {
      for (const [query, path] of [
        ['q=', 'q'],
        [`q=${'x'.repeat(201)}`, 'q'],
        ['priority=urgent', 'priority'],
        ['list=abc', 'list'],
        ['list=987654321', 'list'],
        ['due=tomorrow', 'due'],
        ['due_from=2026-13-01', 'due_from'],
        ['due_to=yesterday', 'due_to'],
        ['sort=size', 'sort'],
        ['order=up', 'order'],
        ['tag=a%2Cb', 'tag'],
      ]) {
        expect(await errorPaths(await send('d', 'GET', `me/tasks?${query}`)), query).toEqual([path]);
      }
      const theirs = await createList('e', { name: 'Theirs for a filter' });
      expect(await errorPaths(await send('d', 'GET', `me/tasks?list=${theirs.id}`))).toEqual(['list']);
      await send('e', 'DELETE', `me/lists/${theirs.id}`);
      expect((await send('d', 'GET', 'me/tasks?colour=red&page=2')).status).toBe(200);
    });
  });

  describe('lists', () => {
    it('creates lists last, named once per user ignoring case (409), and answers them in order with their counts', async () => {
      const first = await createList('e', { name: '  Groceries ', color: '#FF8800' });
      expect(first).toMatchObject({ name: 'Groceries', color: '#ff8800', task_count: 0, open_count: 0 });
      const response = await send('e', 'POST', 'me/lists', { body: { name: 'Chores' } });
      expect(response.status).toBe(201);
      const second = listSchema.parse(await response.json());
      expect(response.headers.get('location')).toBe(`/api/me/lists/${second.id}`);
      expect(second.position).toBe(first.position + 1);
      expect(second.color).toBeNull();
      const taken = await send('e', 'POST', 'me/lists', { body: { name: 'GROCERIES' } });
      expect(taken.status).toBe(409);
      await problemOf(taken);
      expect(await errorPaths(await send('e', 'POST', 'me/lists', { body: { name: ' ', color: 'orange', position: 2 } }))).toEqual(['color', 'name', 'position']);
      expect((await lists('e')).map((list) => list.name)).toEqual(['Groceries', 'Chores']);
      for (const list of [first, second]) await send('e', 'DELETE', `me/lists/${list.id}`);
    });

    it('renames, recolours and moves a list; the others shift and positions stay 0..n-1', async () => {
      const made: ListDto[] = [];
      for (const name of ['A', 'B', 'C', 'D']) made.push(await createList('e', { name }));
      const moved = listSchema.parse(await bodyOf(await send('e', 'PATCH', `me/lists/${made[3]!.id}`, { body: { position: 0, name: 'D first', color: '#00aa00' } }), 200));
      expect(moved).toMatchObject({ name: 'D first', color: '#00aa00', position: 0 });
      expect((await lists('e')).map((list) => `${list.position}:${list.name}`)).toEqual(['0:D first', '1:A', '2:B', '3:C']);
      await send('e', 'PATCH', `me/lists/${made[0]!.id}`, { body: { position: 99 } });
      expect((await lists('e')).map((list) => `${list.position}:${list.name}`)).toEqual(['0:D first', '1:B', '2:C', '3:A']);
      expect((await send('e', 'PATCH', `me/lists/${made[1]!.id}`, { body: { name: 'c' } })).status).toBe(409);
      await send('e', 'DELETE', `me/lists/${made[1]!.id}`);
      expect((await lists('e')).map((list) => `${list.position}:${list.name}`)).toEqual(['0:D first', '1:C', '2:A']);
      for (const list of made) await send('e', 'DELETE', `me/lists/${list.id}`);
      expect(await lists('e')).toEqual([]);
    });

    it('counts its tasks and its open ones as tasks come, complete, move and go', async () => {
      const list = await createList('e', { name: 'Counted' });
      const count = async () => (await lists('e')).find((each) => each.id === list.id)!;
      const one = await create('e', { title: 'one', list_id: list.id });
      const two = await create('e', { title: 'two', list_id: list.id, completed: true });
      expect(await count()).toMatchObject({ task_count: 2, open_count: 1 });
      await send('e', 'PATCH', `me/tasks/${one.id}/complete`);
      expect(await count()).toMatchObject({ task_count: 2, open_count: 0 });
      await send('e', 'PATCH', `me/tasks/${two.id}`, { body: { list_id: null, completed: false } });
      expect(await count()).toMatchObject({ task_count: 1, open_count: 0 });
      await send('e', 'DELETE', `me/tasks/${one.id}`);
      expect(await count()).toMatchObject({ task_count: 0, open_count: 0 });
      await send('e', 'DELETE', `me/tasks/${two.id}`);
      await send('e', 'DELETE', `me/lists/${list.id}`);
    });

    it('deletes a list with its tasks; the Inbox keeps its own', async () => {
      const list = await createList('e', { name: 'Doomed' });
      const inside = [await create('e', { title: 'inside 1', list_id: list.id }), await create('e', { title: 'inside 2', list_id: list.id })];
      const outside = await create('e', { title: 'outside' });
      const response = await send('e', 'DELETE', `me/lists/${list.id}`);
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
      for (const task of inside) expect((await send('e', 'GET', `me/tasks/${task.id}`)).status).toBe(404);
      expect((await send('e', 'GET', `me/tasks/${outside.id}`)).status).toBe(200);
      expect((await send('e', 'DELETE', `me/lists/${list.id}`)).status).toBe(404);
      await send('e', 'DELETE', `me/tasks/${outside.id}`);
    });

    it('answers 404, the same way, for unknown, malformed and other users’ lists, and changes none', async () => {
      const theirs = await createList('d', { name: 'Private list' });
      const answers = new Set<string>();
      for (const id of [String(theirs.id), '987654321', 'abc', '0', '1.5']) {
        for (const [method, body] of [['PATCH', { name: 'hijacked' }], ['DELETE', undefined]] as const) {
          const response = await send('e', method, `me/lists/${id}`, body ? { body } : {});
          expect(response.status, `${method} ${id}`).toBe(404);
          answers.add(JSON.stringify(await problemOf(response)));
        }
      }
      expect(answers.size).toBe(1);
      expect((await lists('d')).find((list) => list.id === theirs.id)?.name).toBe('Private list');
      await send('d', 'DELETE', `me/lists/${theirs.id}`);
    });
  });

  describe('tags', () => {
    it('lists every tag the user’s tasks carry with its count, completed tasks included, ignoring case in the order', async () => {
      const a = await create('e', { title: 'tag a', tags: ['zeta', 'Alpha'] });
      const b = await create('e', { title: 'tag b', tags: ['alpha', 'beta'], completed: true });
      expect(await tagsOf('e')).toEqual([
        { name: 'Alpha', count: 2 },
        { name: 'beta', count: 1 },
        { name: 'zeta', count: 1 },
      ]);
      for (const task of [a, b]) await send('e', 'DELETE', `me/tasks/${task.id}`);
      expect(await tagsOf('e')).toEqual([]);
    });

    it('renames a tag on every task, merges into an existing one, and removes one everywhere', async () => {
      const one = await create('e', { title: 'one', tags: ['todo', 'later'] });
      const two = await create('e', { title: 'two', tags: ['Later'] });
      const renamed = tagSummarySchema.parse(await bodyOf(await send('e', 'PATCH', 'me/tags/TODO', { body: { name: 'Next up' } }), 200));
      expect(renamed).toEqual({ name: 'Next up', count: 1 });
      expect((await send('e', 'GET', `me/tasks/${one.id}`).then((r) => r.json())) as TaskDto).toMatchObject({ tags: ['later', 'Next up'] });
      // Merge: "later" into "Next up"; task one carried both and now carries it once.
      expect(tagSummarySchema.parse(await bodyOf(await send('e', 'PATCH', 'me/tags/later', { body: { name: 'next UP' } }), 200))).toEqual({ name: 'Next up', count: 2 });
      expect(await tagsOf('e')).toEqual([{ name: 'Next up', count: 2 }]);
      // A name with a space, a slash and accents, percent-encoded in the path.
      await bodyOf(await send('e', 'PATCH', `me/tags/${encodeURIComponent('Next up')}`, { body: { name: 'à/faire' } }), 200);
      expect(await tagsOf('e')).toEqual([{ name: 'à/faire', count: 2 }]);
      const deleted = await send('e', 'DELETE', `me/tags/${encodeURIComponent('À/FAIRE')}`);
      expect(deleted.status).toBe(204);
      expect(((await send('e', 'GET', `me/tasks/${two.id}`).then((r) => r.json())) as TaskDto).tags).toEqual([]);
      expect(await tagsOf('e')).toEqual([]);
      for (const task of [one, two]) await send('e', 'DELETE', `me/tasks/${task.id}`);
    });

    it('answers 404 for a tag the user does not have (someone else’s included), and 422 for a bad new name', async () => {
      const theirs = await create('d', { title: 'their tag', tags: ['secret-tag'] });
      for (const [method, body] of [['PATCH', { name: 'mine now' }], ['DELETE', undefined]] as const) {
        expect((await send('e', method, 'me/tags/secret-tag', body ? { body } : {})).status, method).toBe(404);
      }
      const mine = await create('e', { title: 'my tag', tags: ['mine'] });
      expect(await errorPaths(await send('e', 'PATCH', 'me/tags/mine', { body: { name: 'a,b' } }))).toEqual(['name']);
      expect(taskSchema.parse(await bodyOf(await send('d', 'GET', `me/tasks/${theirs.id}`), 200)).tags).toEqual(['secret-tag']);
      for (const [actor, task] of [['d', theirs], ['e', mine]] as const) await send(actor, 'DELETE', `me/tasks/${task.id}`);
    });
  });

  describe('bulk changes', () => {
    const bulk = (actor: User, body: unknown) => send(actor, 'POST', 'me/tasks/bulk', { body });

    it('completes, reopens, sets the priority, tags and moves tasks by id, counting only the user’s own', async () => {
      const mine = [await create('e', { title: 'bulk 1' }), await create('e', { title: 'bulk 2', completed: true }), await create('e', { title: 'bulk 3' })];
      const theirs = await create('d', { title: 'not for e' });
      const ids = [...mine.map((task) => task.id), theirs.id, 987_654_321];
      expect(await bodyOf(await bulk('e', { ids, action: 'complete' }), 200)).toEqual({ affected: 3 });
      expect((await titlesOf('e', 'status=completed')).sort()).toEqual(['bulk 1', 'bulk 2', 'bulk 3']);
      expect(await bodyOf(await bulk('e', { ids: [mine[0]!.id], action: 'reopen' }), 200)).toEqual({ affected: 1 });
      expect(await bodyOf(await bulk('e', { ids, action: 'set_priority', priority: 'high' }), 200)).toEqual({ affected: 3 });
      expect(await bodyOf(await bulk('e', { ids, action: 'add_tag', tag: 'Batch' }), 200)).toEqual({ affected: 3 });
      expect(await bodyOf(await bulk('e', { ids: [mine[0]!.id], action: 'remove_tag', tag: 'batch' }), 200)).toEqual({ affected: 1 });
      const list = await createList('e', { name: 'Bulk target' });
      expect(await bodyOf(await bulk('e', { ids, action: 'move', list_id: list.id }), 200)).toEqual({ affected: 3 });
      expect(await titlesOf('e', `list=${list.id}&tag=batch&priority=high`)).toEqual(['bulk 3', 'bulk 2']);
      expect(taskSchema.parse(await bodyOf(await send('d', 'GET', `me/tasks/${theirs.id}`), 200))).toEqual(theirs);
      expect(await bodyOf(await bulk('e', { ids, action: 'move', list_id: null }), 200)).toEqual({ affected: 3 });
      expect(await bodyOf(await bulk('e', { ids, action: 'delete' }), 200)).toEqual({ affected: 3 });
      expect(await titlesOf('e', '')).toEqual([]);
      await send('e', 'DELETE', `me/lists/${list.id}`);
      await send('d', 'DELETE', `me/tasks/${theirs.id}`);
    });

    it('acts on every task a filter matches, as "clear completed" does, in one request', async () => {
      for (let i = 0; i < 12; i++) await create('e', { title: `filtered ${i}`, completed: i % 3 === 0, tags: i % 2 === 0 ? ['even'] : [] });
      expect(await bodyOf(await bulk('e', { filter: { status: 'completed' }, action: 'delete' }), 200)).toEqual({ affected: 4 });
      expect((await send('e', 'GET', 'me/tasks')).headers.get('x-total-count')).toBe('8');
      expect(await bodyOf(await bulk('e', { filter: { tag: ['EVEN'], q: 'filtered' }, action: 'complete' }), 200)).toEqual({ affected: 4 });
      expect((await send('e', 'GET', 'me/tasks?status=pending')).headers.get('x-total-count')).toBe('4');
      expect(await bodyOf(await bulk('e', { filter: {}, action: 'delete' }), 200)).toEqual({ affected: 8 });
    });

    it('refuses a malformed change with 422 naming the field, and changes nothing', async () => {
      const task = await create('e', { title: 'untouched' });
      const theirs = await createList('d', { name: 'Bulk theirs' });
      for (const [body, paths] of [
        [{ action: 'complete' }, ['ids']],
        [{ ids: [task.id], filter: {}, action: 'complete' }, ['ids']],
        [{ ids: [], action: 'complete' }, ['ids']],
        [{ ids: Array.from({ length: 1001 }, (_, i) => i + 1), action: 'complete' }, ['ids']],
        [{ ids: ['1'], action: 'complete' }, ['ids.0']],
        [{ ids: [task.id], action: 'archive' }, ['action']],
        [{ ids: [task.id] }, ['action']],
        [{ ids: [task.id], action: 'set_priority', priority: 'urgent' }, ['priority']],
        [{ ids: [task.id], action: 'add_tag', tag: 'a,b' }, ['tag']],
        [{ ids: [task.id], action: 'move' }, ['list_id']],
        [{ ids: [task.id], action: 'move', list_id: theirs.id }, ['list_id']],
        [{ filter: { list: theirs.id }, action: 'delete' }, ['filter.list']],
        [{ filter: { status: 'done', owner: 'x' }, action: 'delete' }, ['filter.owner', 'filter.status']],
        [{ ids: [task.id], action: 'delete', user_id: 'x' }, ['user_id']],
      ] as const) {
        expect(await errorPaths(await bulk('e', body)), JSON.stringify(body)).toEqual([...paths].sort());
      }
      expect(taskSchema.parse(await bodyOf(await send('e', 'GET', `me/tasks/${task.id}`), 200))).toEqual(task);
      await send('e', 'DELETE', `me/tasks/${task.id}`);
      await send('d', 'DELETE', `me/lists/${theirs.id}`);
    });
  });

  describe('identity on every new endpoint', () => {
    it('answers 403 "Access denied: user identity mismatch" for another user’s path', async () => {
      const other = api.userId('d');
      for (const [method, path, body] of [
        ['POST', `${other}/tasks/bulk`, { ids: [1], action: 'delete' }],
        ['GET', `${other}/lists`, undefined],
        ['POST', `${other}/lists`, { name: 'planted' }],
        ['PATCH', `${other}/lists/1`, { name: 'x' }],
        ['DELETE', `${other}/lists/1`, undefined],
        ['GET', `${other}/tags`, undefined],
        ['PATCH', `${other}/tags/home`, { name: 'x' }],
        ['DELETE', `${other}/tags/home`, undefined],
      ] as const) {
        const response = await send('e', method, path, body === undefined ? {} : { body });
        expect(response.status, `${method} ${path}`).toBe(403);
        expect((await problemOf(response)).detail).toBe('Access denied: user identity mismatch');
      }
    });

    it('answers 401 without a token on every new endpoint', async () => {
      for (const [method, path] of [
        ['POST', 'me/tasks/bulk'],
        ['GET', 'me/lists'],
        ['POST', 'me/lists'],
        ['PATCH', 'me/lists/1'],
        ['DELETE', 'me/lists/1'],
        ['GET', 'me/tags'],
        ['PATCH', 'me/tags/x'],
        ['DELETE', 'me/tags/x'],
      ] as const) {
        const response = await api.send('anonymous', method, path, method === 'GET' || method === 'DELETE' ? {} : { body: {} });
        expect(response.status, `${method} ${path}`).toBe(401);
        await problemOf(response);
      }
    });
  });
}
