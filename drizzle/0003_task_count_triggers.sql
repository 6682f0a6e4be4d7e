-- task_counts is kept by the database itself: one statement-level trigger per kind of write on
-- tasks, reading the statement's transition table. Every writer (the API's typed Drizzle writes,
-- a bulk change of thousands of rows, the bench's seeding, an operator's SQL) keeps the counts
-- right without knowing about them, at the cost of one counter update per user per statement.
-- Rows are grouped and taken in user_id order, so two multi-user statements lock counters in the
-- same order. See docs/decisions/0002-task-counts-by-trigger.md.
CREATE FUNCTION task_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO task_counts AS counts (user_id, total, completed)
  SELECT user_id, count(*)::int, (count(*) FILTER (WHERE completed))::int
  FROM inserted_tasks GROUP BY user_id ORDER BY user_id
  ON CONFLICT (user_id) DO UPDATE
    SET total = counts.total + excluded.total, completed = counts.completed + excluded.completed;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks
  REFERENCING NEW TABLE AS inserted_tasks
  FOR EACH STATEMENT EXECUTE FUNCTION task_counts_after_insert();--> statement-breakpoint
-- The old and new versions of each row, joined on the key: under READ COMMITTED an update that
-- waited for a concurrent writer of the same row sees that writer's version as its old one, so
-- two concurrent toggles move the count twice, correctly.
CREATE FUNCTION task_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE task_counts AS counts
  SET completed = counts.completed + changed.delta
  FROM (
    SELECT new_row.user_id, sum(new_row.completed::int - old_row.completed::int)::int AS delta
    FROM updated_tasks AS new_row
    JOIN replaced_tasks AS old_row ON old_row.user_id = new_row.user_id AND old_row.id = new_row.id
    GROUP BY new_row.user_id ORDER BY new_row.user_id
  ) AS changed
  WHERE counts.user_id = changed.user_id AND changed.delta <> 0;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- On every update (PostgreSQL allows no `OF completed` column list with transition tables): an
-- update that leaves `completed` alone finds no delta and writes nothing.
CREATE TRIGGER task_counts_update AFTER UPDATE ON tasks
  REFERENCING OLD TABLE AS replaced_tasks NEW TABLE AS updated_tasks
  FOR EACH STATEMENT EXECUTE FUNCTION task_counts_after_update();--> statement-breakpoint
CREATE FUNCTION task_counts_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE task_counts AS counts
  SET total = counts.total - gone.total, completed = counts.completed - gone.completed
  FROM (
    SELECT user_id, count(*)::int AS total, (count(*) FILTER (WHERE completed))::int AS completed
    FROM deleted_tasks GROUP BY user_id ORDER BY user_id
  ) AS gone
  WHERE counts.user_id = gone.user_id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks
  REFERENCING OLD TABLE AS deleted_tasks
  FOR EACH STATEMENT EXECUTE FUNCTION task_counts_after_delete();
