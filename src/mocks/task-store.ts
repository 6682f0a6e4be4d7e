import type { BulkChange } from '@/lib/api/bulk-schemas';
import type { ImportPlan } from '@/lib/api/export-format';
import type { CreateListInput, ListDto, TagDto, UpdateListInput } from '@/lib/api/list-schemas';
import { fieldProblem, problems } from '@/lib/api/problem';
import { completionOf, scheduleOf, type RecurringTask } from '@/lib/api/task-lifecycle';
import { toTaskFields, toTaskJson, type TaskRecord } from '@/lib/api/task-json';
import { compareRows, compareTasks, sortKeys, taskMatches, type Clock } from '@/lib/api/task-order';
import {
  createTaskSchema,
  withWords,
  type CreateTaskBody,
  type CreateTaskInput,
  type CursorPosition,
  type ListTasksQuery,
  type TaskDto,
  type UpdateTaskInput,
} from '@/lib/api/task-schemas';
import type { IdempotencyRecord, IdempotencyStore } from '@/lib/api/idempotency';
import { NOTIFICATIONS_MAX, type MarkReadInput, type NotificationDto } from '@/lib/api/notification-schemas';
import { compareText, sortTags } from '@/lib/api/text';
import { zonedNow } from '@/lib/dates';

/**
 * The msw mock's data: every user's tasks, lists and tags in memory, changed the way the server
 * changes them (same defaults, same refusals, same order), so the contract suite holds both.
 */

interface ListRecord {
  id: number;
  userId: string;
  name: string;
  color: string | null;
  position: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A task as the store keeps it: the record, and the server's internal columns the rules read. */
type StoredTask = TaskRecord & Pick<RecurringTask, 'recurStart' | 'recurDone'> & { remindedAt: Date | null };

const LIST_NOT_YOURS = 'must be one of your lists, or null for the Inbox';
const TIME_NEEDS_DATE = 'needs a due_date: a time is a time of the due day';

export class MockTaskStore {
  private tasks = new Map<number, StoredTask>();
  private lists = new Map<number, ListRecord>();
  /** Per user: each tag's spelling, by lower-cased name (the first spelling used). */
  private tagNames = new Map<string, Map<string, string>>();
  private timeZones = new Map<string, string>();
  private fired: (NotificationDto & { userId: string })[] = [];
  private lastNotificationId = 0;
  private feeds = new Map<string, string>();
  private idempotencyKeys = new Map<string, IdempotencyRecord>();
  private lastId = 0;
  private lastListId = 0;
  private lastTime = 0;

  /** A timestamp that never repeats or goes back, as updated_at must move on every write. */
  private now(): Date {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1);
    return new Date(this.lastTime);
  }

  /** The user's "today" and "now" (their time zone, UTC unless set with `setTimeZone`). */
  clock(userId: string): Clock {
    return zonedNow(this.timeZones.get(userId) ?? 'UTC');
  }

  setTimeZone(userId: string, timeZone: string): void {
    this.timeZones.set(userId, timeZone);
  }

  private ownTask(userId: string, id: number): StoredTask | undefined {
    const task = this.tasks.get(id);
    return task && task.userId === userId ? task : undefined;
  }

  private ownList(userId: string, id: number): ListRecord | undefined {
    const list = this.lists.get(id);
    return list && list.userId === userId ? list : undefined;
  }

  /** The stored spellings of these tags, registering new ones; sorted as the API returns them. */
  private spell(userId: string, names: readonly string[]): string[] {
    let known = this.tagNames.get(userId);
    if (!known) this.tagNames.set(userId, (known = new Map()));
    return sortTags(
      names.map((name) => {
        const key = name.toLowerCase();
        if (!known.has(key)) known.set(key, name);
        return known.get(key)!;
      }),
    );
  }

  /** Tags no task of the user carries any more are forgotten (as the server drops them). */
  private forgetUnused(userId: string, names: readonly string[]): void {
    const carried = new Set(this.userTasks(userId).flatMap((task) => task.tags.map((tag) => tag.toLowerCase())));
    for (const name of names) if (!carried.has(name.toLowerCase())) this.tagNames.get(userId)?.delete(name.toLowerCase());
  }

  private userTasks(userId: string): StoredTask[] {
    return [...this.tasks.values()].filter((task) => task.userId === userId);
  }

  /** The recurrence fields of a write, or its refusal (lib/api/task-lifecycle.ts, as the server). */
  private schedule(current: Pick<RecurringTask, 'dueDate' | 'recurrence'>, changes: { dueDate?: string | null; recurrence?: string | null }) {
    const outcome = scheduleOf(current, changes);
    if ('refused' in outcome) throw fieldProblem(outcome.refused.path, outcome.refused.message);
    return outcome.fields;
  }

  create(userId: string, input: CreateTaskInput): TaskDto {
    if (input.list_id !== null && !this.ownList(userId, input.list_id)) throw fieldProblem('list_id', LIST_NOT_YOURS);
    const at = this.now();
    const fields = toTaskFields(input);
    const task: StoredTask = {
      ...fields,
      recurStart: null,
      recurDone: 0,
      ...this.schedule({ dueDate: null, recurrence: null }, fields),
      completedAt: input.completed ? at : null,
      remindedAt: null,
      tags: this.spell(userId, input.tags),
      id: ++this.lastId,
      userId,
      createdAt: at,
      updatedAt: at,
    };
    this.tasks.set(task.id, task);
    return toTaskJson(task);
  }

  get(userId: string, id: number): TaskDto | undefined {
    const task = this.ownTask(userId, id);
    return task && toTaskJson(task);
  }

  update(userId: string, id: number, changes: UpdateTaskInput): TaskDto | undefined {
    const task = this.ownTask(userId, id);
    if (!task) return undefined;
    const fields = toTaskFields(changes);
    if (fields.listId != null && !this.ownList(userId, fields.listId)) throw fieldProblem('list_id', LIST_NOT_YOURS);
    if (fields.dueDate === null && fields.dueTime === undefined) fields.dueTime = null;
    const dueTime = fields.dueTime === undefined ? task.dueTime : fields.dueTime;
    const dueDate = fields.dueDate === undefined ? task.dueDate : fields.dueDate;
    if (dueTime !== null && dueDate === null) {
      throw fieldProblem('due_time', TIME_NEEDS_DATE);
    }
    const schedule = fields.dueDate !== undefined || fields.recurrence !== undefined ? this.schedule(task, fields) : {};
    const rearmed = fields.remindAt !== undefined && fields.remindAt?.getTime() !== task.remindAt?.getTime() ? { remindedAt: null } : {};
    const completion = fields.completed === undefined ? {} : { completedAt: fields.completed ? (task.completed ? task.completedAt : this.now()) : null };
    const removed = task.tags;
    Object.assign(task, fields, schedule, rearmed, completion, fields.tags ? { tags: this.spell(userId, fields.tags) } : {}, { updatedAt: this.now() });
    if (fields.tags) this.forgetUnused(userId, removed);
    return toTaskJson(task);
  }

  /** `/complete`: done or not done, a recurring task moved on to its next occurrence (as the server). */
  complete(userId: string, id: number, completed: boolean | undefined): TaskDto | undefined {
    const task = this.ownTask(userId, id);
    if (!task) return undefined;
    Object.assign(task, completionOf(task, completed ?? !task.completed, new Date(), this.timeZones.get(userId) ?? 'UTC'), { updatedAt: this.now() });
    return toTaskJson(task);
  }

  delete(userId: string, id: number): boolean {
    return this.ownTask(userId, id) !== undefined && this.tasks.delete(id);
  }

  /** This user's tasks, newest first. */
  list(userId: string): TaskDto[] {
    return this.userTasks(userId)
      .sort((a, b) => b.id - a.id)
      .map(toTaskJson);
  }

  /** Adds tasks as they would have been created (any create body), oldest first. */
  seed(userId: string, inputs: CreateTaskBody[]): TaskDto[] {
    return inputs.map((input) => this.create(userId, createTaskSchema.parse(input)));
  }

  private assertOwnList(userId: string, list: ListTasksQuery['list'], path: string, what: string): void {
    if (typeof list === 'number' && !this.ownList(userId, list)) throw fieldProblem(path, 'must be one of your list ids, or inbox', what);
  }

  /** `GET /tasks`: a page of the query's tasks in its order after its cursor, how many match, and the next cursor. */
  find(userId: string, query: ListTasksQuery): { tasks: TaskDto[]; total: number; next: CursorPosition | undefined } {
    this.assertOwnList(userId, query.list, 'list', 'The query');
    const clock = this.clock(userId);
    const matching = this.list(userId)
      .filter((task) => taskMatches(task, query, clock))
      .sort((a, b) => compareTasks(query.sort, query.order, a, b));
    const position = (task: TaskDto): CursorPosition => ({ keys: sortKeys(task, query.sort, query.order), id: task.id });
    const after = query.after ? matching.filter((task) => compareRows(query.sort, query.order, position(task), query.after!) > 0) : matching;
    const page = after.slice(0, query.limit);
    return { tasks: page, total: matching.length, next: after.length > query.limit ? position(page.at(-1)!) : undefined };
  }

  // Lists ------------------------------------------------------------------------------------

  private userLists(userId: string): ListRecord[] {
    return [...this.lists.values()].filter((list) => list.userId === userId).sort((a, b) => a.position - b.position || a.id - b.id);
  }

  private listJson(list: ListRecord): ListDto {
    const tasks = this.userTasks(list.userId).filter((task) => task.listId === list.id);
    return {
      id: list.id,
      name: list.name,
      color: list.color,
      position: list.position,
      task_count: tasks.length,
      open_count: tasks.filter((task) => !task.completed).length,
      created_at: list.createdAt.toISOString(),
      updated_at: list.updatedAt.toISOString(),
    };
  }

  private assertNameFree(userId: string, name: string, except?: number): void {
    if (this.userLists(userId).some((list) => list.id !== except && list.name.toLowerCase() === name.toLowerCase())) {
      throw problems.conflict(`You already have a list named “${name}”.`);
    }
  }

  listLists(userId: string): ListDto[] {
    return this.userLists(userId).map((list) => this.listJson(list));
  }

  createList(userId: string, input: CreateListInput): ListDto {
    this.assertNameFree(userId, input.name);
    const at = this.now();
    const list: ListRecord = { id: ++this.lastListId, userId, name: input.name, color: input.color, position: this.userLists(userId).length, createdAt: at, updatedAt: at };
    this.lists.set(list.id, list);
    return this.listJson(list);
  }

  updateList(userId: string, id: number, changes: UpdateListInput): ListDto {
    const list = this.ownList(userId, id);
    if (!list) throw problems.notFound();
    if (changes.name !== undefined) this.assertNameFree(userId, changes.name, id);
    if (changes.position !== undefined) {
      const others = this.userLists(userId).filter((other) => other.id !== id);
      others.splice(Math.min(changes.position, others.length), 0, list);
      others.forEach((other, position) => (other.position = position));
    }
    Object.assign(list, changes.name !== undefined ? { name: changes.name } : {}, changes.color !== undefined ? { color: changes.color } : {}, { updatedAt: this.now() });
    return this.listJson(list);
  }

  deleteList(userId: string, id: number): void {
    if (!this.ownList(userId, id)) throw problems.notFound();
    for (const task of this.userTasks(userId)) if (task.listId === id) this.tasks.delete(task.id);
    this.lists.delete(id);
    this.userLists(userId).forEach((list, position) => (list.position = position));
  }

  // Your data --------------------------------------------------------------------------------

  /** What an export holds: the lists in order, the tasks oldest first (as the server writes them). */
  exportData(userId: string): { lists: ListDto[]; tasks: TaskDto[] } {
    return { lists: this.listLists(userId), tasks: this.list(userId).reverse() };
  }

  timeZoneOf(userId: string): string {
    return this.timeZones.get(userId) ?? 'UTC';
  }

  /**
   * Adds a planned import (lib/api/export-format.ts checked every row): lists matched by name
   * ignoring case or created last, tasks with new ids, the file's created_at and completed_at, a
   * past reminder as fired. Nothing here can refuse, so it is all or nothing as on the server.
   */
  importData(userId: string, plan: ImportPlan): number {
    const now = this.now();
    const listIds = new Map(this.userLists(userId).map((list) => [list.name.toLowerCase(), list.id]));
    for (const wanted of plan.lists) {
      if (!listIds.has(wanted.name.toLowerCase())) listIds.set(wanted.name.toLowerCase(), this.createList(userId, { name: wanted.name, color: wanted.color }).id);
    }
    for (const { input, list, createdAt, completedAt } of plan.tasks) {
      const fields = toTaskFields({ ...input, list_id: list === null ? null : listIds.get(list.toLowerCase())! });
      const task: StoredTask = {
        ...fields,
        recurStart: null,
        recurDone: 0,
        ...this.schedule({ dueDate: null, recurrence: null }, fields),
        completedAt: completedAt !== undefined ? completedAt : input.completed ? now : null,
        remindedAt: fields.remindAt !== null && fields.remindAt <= now ? fields.remindAt : null,
        tags: this.spell(userId, input.tags),
        id: ++this.lastId,
        userId,
        createdAt: createdAt ?? now,
        updatedAt: now,
      };
      this.tasks.set(task.id, task);
    }
    return plan.tasks.length;
  }

  // Tags -------------------------------------------------------------------------------------

  listTags(userId: string): TagDto[] {
    const counts = new Map<string, number>();
    for (const task of this.userTasks(userId)) for (const tag of task.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    return [...counts]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => compareText(a.name.toLowerCase(), b.name.toLowerCase()));
  }

  renameTag(userId: string, from: string, to: string): TagDto {
    const known = this.tagNames.get(userId);
    const source = known?.get(from.toLowerCase());
    if (!known || source === undefined) throw problems.notFound();
    const target = known.get(to.toLowerCase());
    const name = target !== undefined && target.toLowerCase() !== source.toLowerCase() ? target : to;
    known.delete(source.toLowerCase());
    known.set(name.toLowerCase(), name);
    let count = 0;
    for (const task of this.userTasks(userId)) {
      if (!task.tags.some((tag) => tag.toLowerCase() === source.toLowerCase() || tag.toLowerCase() === name.toLowerCase())) continue;
      task.tags = sortTags([...task.tags.filter((tag) => tag.toLowerCase() !== source.toLowerCase() && tag.toLowerCase() !== name.toLowerCase()), name]);
      count++;
    }
    return { name, count };
  }

  deleteTag(userId: string, name: string): void {
    const known = this.tagNames.get(userId);
    if (!known?.has(name.toLowerCase())) throw problems.notFound();
    known.delete(name.toLowerCase());
    for (const task of this.userTasks(userId)) task.tags = task.tags.filter((tag) => tag.toLowerCase() !== name.toLowerCase());
  }

  // Bulk -------------------------------------------------------------------------------------

  bulk(userId: string, change: BulkChange): number {
    let matched: TaskRecord[];
    if (change.ids) {
      const ids = new Set(change.ids);
      matched = this.userTasks(userId).filter((task) => ids.has(task.id));
    } else {
      const filter = withWords(change.filter!);
      this.assertOwnList(userId, filter.list, 'filter.list', 'The body');
      const clock = this.clock(userId);
      matched = this.userTasks(userId).filter((task) => taskMatches(toTaskJson(task), filter, clock));
    }
    if (change.action === 'move' && change.list_id !== null && !this.ownList(userId, change.list_id)) throw fieldProblem('list_id', LIST_NOT_YOURS);
    const at = () => this.now();
    for (const task of matched) {
      switch (change.action) {
        case 'complete':
        case 'reopen':
          if (task.completed !== (change.action === 'complete')) this.complete(userId, task.id, change.action === 'complete');
          break;
        case 'delete':
          this.tasks.delete(task.id);
          break;
        case 'move':
          if (task.listId !== change.list_id) Object.assign(task, { listId: change.list_id, updatedAt: at() });
          break;
        case 'set_priority':
          if (task.priority !== change.priority) Object.assign(task, { priority: change.priority, updatedAt: at() });
          break;
        case 'add_tag':
          if (!task.tags.some((tag) => tag.toLowerCase() === change.tag.toLowerCase())) task.tags = this.spell(userId, [...task.tags, change.tag]);
          break;
        case 'remove_tag':
          task.tags = task.tags.filter((tag) => tag.toLowerCase() !== change.tag.toLowerCase());
          break;
      }
    }
    if (change.action === 'remove_tag') this.forgetUnused(userId, [change.tag]);
    return matched.length;
  }

  // Reminders and the calendar feed ----------------------------------------------------------

  /** Every armed reminder that has come, once each (the server's claim, server/reminders.ts). */
  fireDueReminders(now = new Date()): number {
    let count = 0;
    for (const task of this.tasks.values()) {
      if (!task.remindAt || task.remindedAt || task.completed || task.remindAt > now) continue;
      task.remindedAt = now;
      this.fired.push({ id: ++this.lastNotificationId, userId: task.userId, task_id: task.id, title: task.title, fire_at: task.remindAt.toISOString(), read_at: null });
      count += 1;
    }
    return count;
  }

  notifications(userId: string, unread: boolean): NotificationDto[] {
    return this.fired
      .filter((each) => each.userId === userId && (!unread || each.read_at === null))
      .sort((a, b) => b.id - a.id)
      .slice(0, NOTIFICATIONS_MAX)
      .map(({ userId: _owner, ...notification }) => ({ ...notification }));
  }

  markNotificationsRead(userId: string, which: MarkReadInput): void {
    const ids = 'ids' in which ? new Set(which.ids) : undefined;
    const at = new Date().toISOString();
    for (const each of this.fired) if (each.userId === userId && each.read_at === null && (!ids || ids.has(each.id))) each.read_at = at;
  }

  /** A new feed secret for the user (the old one stops), or none with `off`. */
  rotateCalendarFeed(userId: string, options: { off?: boolean } = {}): string {
    if (options.off) {
      this.feeds.delete(userId);
      return '';
    }
    const secret = Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) => byte.toString(16).padStart(2, '0')).join('');
    this.feeds.set(userId, secret);
    return secret;
  }

  /** A user's Idempotency-Keys, in memory (the server keeps them in a table). */
  idempotencyStore(userId: string): IdempotencyStore {
    const keys = this.idempotencyKeys;
    const id = (key: string) => `${userId}\n${key}`;
    return {
      claim: async (key, fingerprint) => {
        if (keys.has(id(key))) return false;
        keys.set(id(key), { fingerprint, answer: undefined, createdAt: new Date() });
        return true;
      },
      find: async (key) => keys.get(id(key)),
      save: async (key, answer) => {
        const record = keys.get(id(key));
        if (record) record.answer = answer;
      },
      release: async (key) => void keys.delete(id(key)),
    };
  }

  reset(): void {
    this.idempotencyKeys.clear();
    this.fired = [];
    this.lastNotificationId = 0;
    this.feeds.clear();
    this.tasks.clear();
    this.lists.clear();
    this.tagNames.clear();
    this.timeZones.clear();
    this.lastId = 0;
    this.lastListId = 0;
  }
}
