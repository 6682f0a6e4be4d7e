import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { problems } from '@/lib/api/problem';
import { sortTags } from '@/lib/api/text';
import type { Db } from '@/server/db/client';
import { tags, taskTags } from '@/server/db/schema';
import { assertUser, rowsOf } from './rows';

// Tags are entities of their user: one row per name ignoring case, spelled as first used, and
// linked to tasks through task_tags (both keyed by user_id, so a link never crosses users).

/**
 * The tags of the task row `outer` names (a table or CTE with user_id and id), sorted by name
 * ignoring case: one index probe per task. Written out rather than with column objects: in a
 * single-table select Drizzle unqualifies the columns of a selected expression, which would make
 * the subquery's own user_id ambiguous.
 */
export function tagsOf(outer: 'tasks' | 'updated'): SQL<string[]> {
  return sql.raw(`coalesce((
    select array_agg(t.name order by lower(t.name) collate "C")
    from task_tags tt join tags t on t.user_id = tt.user_id and t.id = tt.tag_id
    where tt.user_id = "${outer}".user_id and tt.task_id = "${outer}".id
  ), '{}')`) as SQL<string[]>;
}

/** The tags of the `tasks` row in scope. */
export const tagsOfTask = tagsOf('tasks');

/** The lower-cased name SQL compares tags by (the unique index is on it). */
const lowered = (names: readonly string[]) => names.map((name) => name.toLowerCase());

/** The user's tags of these names (made when missing), by lower-cased name. */
export async function ensureTags(db: Db, userId: string, names: readonly string[]): Promise<Map<string, { id: number; name: string }>> {
  if (names.length === 0) return new Map();
  const rows = await rowsOf<{ id: string | number; name: string }>(
    db,
    sql`with wanted(name) as (select * from unnest(${sql.param([...names])}::text[])),
        added as (
          insert into ${tags} (user_id, name) select ${userId}, name from wanted
          on conflict (user_id, lower(name)) do nothing
          returning id, name
        )
        select id, name from added
        union all
        select ${tags.id}, ${tags.name} from ${tags} where ${tags.userId} = ${userId} and lower(${tags.name}) = any(${sql.param(lowered(names))}::text[])`,
  );
  return new Map(rows.map((row) => [row.name.toLowerCase(), { id: Number(row.id), name: row.name }]));
}

/** Removes the user's tags that no task carries any more, among `tagIds`. */
export async function dropUnusedTags(db: Db, userId: string, tagIds: readonly number[]): Promise<void> {
  if (tagIds.length === 0) return;
  await db
    .delete(tags)
    .where(
      and(
        eq(tags.userId, userId),
        inArray(tags.id, [...tagIds]),
        sql`not exists (select 1 from ${taskTags} where ${taskTags.userId} = ${userId} and ${taskTags.tagId} = ${tags.id})`,
      ),
    );
}

/** Gives the task exactly these tags (by name, ignoring case); returns their stored spellings, sorted. */
export async function replaceTaskTags(db: Db, userId: string, taskId: number, names: readonly string[]): Promise<string[]> {
  const wanted = await ensureTags(db, userId, names);
  const wantedIds = [...wanted.values()].map((tag) => tag.id);
  const removed = await db
    .delete(taskTags)
    .where(
      and(
        eq(taskTags.userId, userId),
        eq(taskTags.taskId, taskId),
        wantedIds.length > 0 ? sql`${taskTags.tagId} <> all(${sql.param(wantedIds)}::bigint[])` : undefined,
      ),
    )
    .returning({ tagId: taskTags.tagId });
  if (wantedIds.length > 0) {
    await db
      .insert(taskTags)
      .values(wantedIds.map((tagId) => ({ userId, taskId, tagId })))
      .onConflictDoNothing();
  }
  await dropUnusedTags(
    db,
    userId,
    removed.map((row) => row.tagId),
  );
  return sortTags([...wanted.values()].map((tag) => tag.name));
}

export interface TagSummary {
  name: string;
  count: number;
}

/** Every tag the user's tasks carry, with how many carry it, by name ignoring case. */
export async function listTags(db: Db, userId: string): Promise<TagSummary[]> {
  const rows: TagSummary[] = await db
    .select({ name: tags.name, count: sql<number>`count(*)::int` })
    .from(tags)
    .innerJoin(taskTags, and(eq(taskTags.userId, tags.userId), eq(taskTags.tagId, tags.id)))
    .where(eq(tags.userId, userId))
    .groupBy(tags.id, tags.name)
    .orderBy(sql`lower(${tags.name}) collate "C"`);
  if (rows.length === 0) await assertUser(db, userId);
  return rows;
}

async function findTag(db: Db, userId: string, name: string): Promise<{ id: number; name: string } | undefined> {
  const [tag] = await db
    .select({ id: tags.id, name: tags.name })
    .from(tags)
    .where(and(eq(tags.userId, userId), sql`lower(${tags.name}) = ${name.toLowerCase()}`));
  return tag;
}

const tagNotFound = () => problems.notFound();

/**
 * Renames a tag on every task; when another tag already has the new name (ignoring case), the
 * two merge into that one. A rename that only changes case respells the tag.
 */
export async function renameTag(db: Db, userId: string, from: string, to: string): Promise<TagSummary> {
  return db.transaction(async (tx) => {
    const source = await findTag(tx as unknown as Db, userId, from);
    if (!source) throw tagNotFound();
    const target = await findTag(tx as unknown as Db, userId, to);
    if (!target || target.id === source.id) {
      await tx.update(tags).set({ name: to }).where(and(eq(tags.userId, userId), eq(tags.id, source.id)));
    } else {
      await tx.execute(sql`
        insert into ${taskTags} (user_id, task_id, tag_id)
        select user_id, task_id, ${target.id} from ${taskTags} where user_id = ${userId} and tag_id = ${source.id}
        on conflict do nothing`);
      await tx.delete(tags).where(and(eq(tags.userId, userId), eq(tags.id, source.id)));
    }
    const id = target?.id ?? source.id;
    const [summary] = await tx
      .select({ name: tags.name, count: sql<number>`(select count(*)::int from ${taskTags} where ${taskTags.userId} = ${userId} and ${taskTags.tagId} = ${id})` })
      .from(tags)
      .where(and(eq(tags.userId, userId), eq(tags.id, id)));
    return summary!;
  });
}

/** Removes a tag from every task (and the tag itself). */
export async function deleteTag(db: Db, userId: string, name: string): Promise<void> {
  const deleted = await db
    .delete(tags)
    .where(and(eq(tags.userId, userId), sql`lower(${tags.name}) = ${name.toLowerCase()}`))
    .returning({ id: tags.id });
  if (deleted.length === 0) throw tagNotFound();
}
