import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

// Better Auth's tables, as its drizzle adapter expects them (emailAndPassword + the jwt plugin).
// Column names are snake_case in SQL (drizzle.config.ts `casing`), camelCase in TypeScript.

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
  timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

export const users = pgTable('user', {
  id: text().primaryKey(),
  name: text().notNull(),
  email: text().notNull().unique(),
  emailVerified: boolean().notNull().default(false),
  image: text(),
  /** IANA time zone: "today" and "overdue" are in it (a Better Auth additional field, see auth.ts). */
  timezone: text().notNull().default('UTC'),
  /** Mail a reminder when it fires, besides the in-app notification (an additional field, see auth.ts). */
  emailReminders: boolean().notNull().default(true),
  /** Sign-in asks for a second factor (Better Auth's twoFactor plugin sets it once a code confirmed the setup). */
  twoFactorEnabled: boolean().notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const sessions = pgTable(
  'session',
  {
    id: text().primaryKey(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    token: text().notNull().unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    ipAddress: text(),
    userAgent: text(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (table) => [index('session_user_id_idx').on(table.userId)],
);

export const accounts = pgTable(
  'account',
  {
    id: text().primaryKey(),
    accountId: text().notNull(),
    providerId: text().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text(),
    refreshToken: text(),
    idToken: text(),
    accessTokenExpiresAt: timestamp({ withTimezone: true }),
    refreshTokenExpiresAt: timestamp({ withTimezone: true }),
    scope: text(),
    password: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index('account_user_id_idx').on(table.userId)],
);

export const verifications = pgTable(
  'verification',
  {
    id: text().primaryKey(),
    identifier: text().notNull(),
    value: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index('verification_identifier_idx').on(table.identifier)],
);

/** Signing keys of Better Auth's jwt plugin; the task API reads the public halves to verify tokens. */
export const jwks = pgTable('jwks', {
  id: text().primaryKey(),
  publicKey: text().notNull(),
  privateKey: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull(),
  expiresAt: timestamp({ withTimezone: true }),
  alg: text(),
  crv: text(),
});

/**
 * The twoFactor plugin's authenticator secret and backup codes, both encrypted with the auth
 * secret; one row per user. `verified` stays false until a code confirmed the setup; the failure
 * count and lock are Better Auth's account-level brake on guessing.
 */
export const twoFactors = pgTable(
  'two_factor',
  {
    id: text().primaryKey(),
    secret: text().notNull(),
    backupCodes: text().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    verified: boolean().notNull().default(true),
    failedVerificationCount: integer().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true }),
  },
  // Better Auth reads it by user only (its schema also indexes the secret, which is encrypted and never looked up).
  (table) => [uniqueIndex('two_factor_user_id_idx').on(table.userId)],
);

/** A task's priority; PostgreSQL orders an enum as declared, so `priority desc` is high first. */
export const taskPriority = pgEnum('task_priority', ['none', 'low', 'medium', 'high']);
/** Where a recurring task's next occurrence is counted from: its due date, or the day it was completed. */
export const recurFrom = pgEnum('recur_from', ['due', 'completion']);

/** A wall-clock time of day, `HH:MM` on the wire (PostgreSQL's `time` answers `HH:MM:SS`). */
const wallTime = customType<{ data: string; driverData: string }>({
  dataType: () => 'time',
  fromDriver: (value) => value.slice(0, 5),
});

/** A user's lists of tasks; the Inbox is no list (`list_id` null). */
export const lists = pgTable(
  'lists',
  {
    id: bigint({ mode: 'number' }).generatedAlwaysAsIdentity(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: varchar({ length: 64 }).notNull(),
    color: varchar({ length: 7 }),
    /** 0-based, no gaps, per user (server/tasks/lists.ts keeps them so). */
    position: integer().notNull(),
    /** Kept by the task triggers, like task_counts (drizzle/0004_lists_tags_and_task_fields.sql). */
    taskCount: integer().notNull().default(0),
    openCount: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'lists_pkey', columns: [table.userId, table.id] }),
    uniqueIndex('lists_user_name_idx').on(table.userId, sql`lower(${table.name})`),
  ],
);

export const tasks = pgTable(
  'tasks',
  {
    id: bigint({ mode: 'number' }).generatedAlwaysAsIdentity(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    listId: bigint({ mode: 'number' }),
    title: varchar({ length: 255 }).notNull(),
    description: text(),
    completed: boolean().notNull().default(false),
    priority: taskPriority().notNull().default('none'),
    dueDate: date({ mode: 'string' }),
    dueTime: wallTime(),
    /** When it was last completed (an occurrence, for a recurring task). */
    completedAt: timestamp({ withTimezone: true }),
    /** The RRULE value, canonical (lib/recurrence.ts). */
    recurrence: varchar({ length: 200 }),
    recurFrom: recurFrom().notNull().default('due'),
    /** The series' first date (DTSTART), set with the rule: "due" occurrences count from it. */
    recurStart: date({ mode: 'string' }),
    /** Occurrences completed since the rule was set: a COUNT is used up against it. */
    recurDone: integer().notNull().default(0),
    remindAt: timestamp({ withTimezone: true }),
    /** When the reminder for this remind_at fired; null while armed. Moving remind_at arms it again. */
    remindedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // Read backwards, the key is "this user's tasks, newest first" (docs/decisions/0001-tasks-keyed-by-user-id-and-id.md).
  // Every other index starts with user_id too, and each serves one sort or filter of "Finding
  // tasks" as a keyset walk (docs/decisions/0013-finding-tasks.md).
  (table) => [
    primaryKey({ name: 'tasks_pkey', columns: [table.userId, table.id] }),
    // A list is the user's own: (user_id, list_id) must name one of their lists; deleting it deletes its tasks.
    foreignKey({ name: 'tasks_list_fk', columns: [table.userId, table.listId], foreignColumns: [lists.userId, lists.id] }).onDelete('cascade'),
    check('tasks_due_time_needs_date', sql`${table.dueTime} is null or ${table.dueDate} is not null`),
    check('tasks_recurrence_needs_date', sql`${table.recurrence} is null or (${table.dueDate} is not null and ${table.recurStart} is not null)`),
    // The reminders still to fire, across users, soonest first: what the claim reads (server/reminders).
    index('tasks_reminders_idx').on(table.remindAt).where(sql`${table.remindAt} is not null and ${table.remindedAt} is null and not ${table.completed}`),
    index('tasks_list_idx').on(table.userId, table.listId, table.id),
    index('tasks_updated_idx').on(table.userId, table.updatedAt, table.id),
    index('tasks_title_idx').on(table.userId, sql`lower(${table.title}) collate "C"`, table.id),
    index('tasks_priority_idx').on(table.userId, table.priority, table.id),
    index('tasks_priority_asc_idx').on(table.userId, table.priority, sql`(-${table.id})`),
    index('tasks_due_idx').on(table.userId, sql`coalesce(${table.dueDate}, '-infinity'::date)`, sql`coalesce(${table.dueTime}, '24:00'::time)`, table.id),
    index('tasks_due_asc_idx').on(table.userId, sql`coalesce(${table.dueDate}, 'infinity'::date)`, sql`coalesce(${table.dueTime}, '24:00'::time)`, sql`(-${table.id})`),
    // The due filters (overdue, today, week, due_from/due_to) compare the date itself, which the two
    // sort indexes above only hold inside coalesce(): this one serves them as a range, with the id
    // for the tag join and the count, read from the index alone.
    index('tasks_due_date_idx').on(table.userId, table.dueDate, table.id),
    index('tasks_search_idx').using('gin', table.userId, sql`(${table.title} || ' ' || coalesce(${table.description}, '')) gin_trgm_ops`),
  ],
);

/** Each user's tags: one spelling per name, ignoring case (the first one used). */
export const tags = pgTable(
  'tags',
  {
    id: bigint({ mode: 'number' }).generatedAlwaysAsIdentity(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: varchar({ length: 32 }).notNull(),
  },
  (table) => [
    primaryKey({ name: 'tags_pkey', columns: [table.userId, table.id] }),
    uniqueIndex('tags_user_name_idx').on(table.userId, sql`lower(${table.name})`),
  ],
);

/** Which tasks carry which tags; both sides are the same user's (the keys include user_id). */
export const taskTags = pgTable(
  'task_tags',
  {
    userId: text().notNull(),
    taskId: bigint({ mode: 'number' }).notNull(),
    tagId: bigint({ mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ name: 'task_tags_pkey', columns: [table.userId, table.taskId, table.tagId] }),
    foreignKey({ name: 'task_tags_task_fk', columns: [table.userId, table.taskId], foreignColumns: [tasks.userId, tasks.id] }).onDelete('cascade'),
    foreignKey({ name: 'task_tags_tag_fk', columns: [table.userId, table.tagId], foreignColumns: [tags.userId, tags.id] }).onDelete('cascade'),
    index('task_tags_tag_idx').on(table.userId, table.tagId, table.taskId),
  ],
);

/**
 * Each user's task counts, kept by triggers on tasks (drizzle/0003_task_count_triggers.sql) for
 * every write, whoever makes it, so `X-Total-Count` is one primary-key read
 * (docs/decisions/0002-task-counts-by-trigger.md).
 * Pending is total − completed. A user with no row yet has no tasks.
 */
export const taskCounts = pgTable('task_counts', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  total: integer().notNull().default(0),
  completed: integer().notNull().default(0),
});

/** A reminder that fired: what the bell lists. It keeps the task's title; the task may be gone since. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint({ mode: 'number' }).generatedAlwaysAsIdentity(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    taskId: bigint({ mode: 'number' }),
    title: varchar({ length: 255 }).notNull(),
    /** The remind_at it fired for. */
    fireAt: timestamp({ withTimezone: true }).notNull(),
    readAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ name: 'notifications_pkey', columns: [table.userId, table.id] }),
    index('notifications_unread_idx').on(table.userId, table.id).where(sql`${table.readAt} is null`),
  ],
);

/** A user's calendar feed: the SHA-256 of its secret (the URL holds the secret itself, never stored). */
export const calendarFeeds = pgTable('calendar_feeds', {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretHash: text().notNull().unique(),
  createdAt: createdAt(),
});

/**
 * `Idempotency-Key`s of the task API's POSTs, per user, for 24 hours: the first answer, replayed
 * to a retry with the same key and body (server/http/idempotency.ts). `status` is null while the
 * first request is still being answered.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: varchar({ length: 255 }).notNull(),
    /** Method, path and SHA-256 of the body: the same key with another request is refused. */
    fingerprint: text().notNull(),
    status: integer(),
    headers: text(),
    body: text(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ name: 'idempotency_keys_pkey', columns: [table.userId, table.key] }), index('idempotency_keys_age_idx').on(table.userId, table.createdAt)],
);

/**
 * Counters of the rate limits (the task API's quota, failed tokens per address, Better Auth's
 * sign-in and sign-up limits) shared by every instance on one PostgreSQL server when no
 * `REDIS_URL` is set: rate-limiter-flexible's Drizzle store updates a row in one atomic upsert
 * (server/http/limiter.ts). Rows expired an hour ago are purged with each reminder run.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text().primaryKey(),
    points: integer().notNull(),
    expire: timestamp({ withTimezone: true, mode: 'date' }),
  },
  (table) => [index('rate_limits_expire_idx').on(table.expire)],
);

export type Task = typeof tasks.$inferSelect;
export type NewTask = typeof tasks.$inferInsert;

/** updated_at moves forward on every write, even two writes inside one millisecond. */
export const nextUpdatedAt = sql`greatest(now(), ${tasks.updatedAt} + interval '1 millisecond')`;
