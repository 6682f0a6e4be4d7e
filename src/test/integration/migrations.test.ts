import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { expect, it } from 'vitest';
import { migrationsFolder } from '@/server/db/client';
import { pgliteExtensions } from '@/server/db/pglite-extensions';

// A database that already has tasks when 0001_task_counts runs gets its counts backfilled: the
// queries only keep counts from then on.

function statementsOf(tag: string): string[] {
  return readFileSync(path.join(migrationsFolder, `${tag}.sql`), 'utf8')
    .split('--> statement-breakpoint')
    .filter((statement) => statement.trim() !== '');
}

it('0001_task_counts backfills the counts of existing tasks', async () => {
  const db = new PGlite({ extensions: await pgliteExtensions() });
  try {
    for (const statement of statementsOf('0000_init')) await db.exec(statement);
    await db.exec(`
      insert into "user" (id, name, email) values ('u1', 'One', 'one@example.com'), ('u2', 'Two', 'two@example.com'),
        ('u3', 'Three', 'three@example.com');
      insert into tasks (user_id, title, completed)
        select 'u1', 't' || n, n % 3 = 0 from generate_series(1, 10) n
        union all select 'u2', 'only', true;
    `);
    for (const statement of statementsOf('0001_task_counts')) await db.exec(statement);
    const { rows } = await db.query('select user_id, total, completed from task_counts order by user_id');
    expect(rows).toEqual([
      { user_id: 'u1', total: 10, completed: 3 },
      { user_id: 'u2', total: 1, completed: 1 },
    ]);
  } finally {
    await db.close();
  }
});
