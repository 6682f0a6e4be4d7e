-- Lists, tags and the task fields of "Finding tasks" (docs/decisions/0013-finding-tasks.md).
-- pg_trgm serves the substring search, btree_gin puts user_id into the same GIN index; both are
-- trusted extensions (a database owner may create them) and ship with PGlite.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE TYPE "public"."task_priority" AS ENUM('none', 'low', 'medium', 'high');--> statement-breakpoint
CREATE TABLE "lists" (
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "lists_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" text NOT NULL,
	"name" varchar(64) NOT NULL,
	"color" varchar(7),
	"position" integer NOT NULL,
	"task_count" integer DEFAULT 0 NOT NULL,
	"open_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lists_pkey" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
CREATE TABLE "tags" (
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "tags_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" text NOT NULL,
	"name" varchar(32) NOT NULL,
	CONSTRAINT "tags_pkey" PRIMARY KEY("user_id","id")
);
--> statement-breakpoint
CREATE TABLE "task_tags" (
	"user_id" text NOT NULL,
	"task_id" bigint NOT NULL,
	"tag_id" bigint NOT NULL,
	CONSTRAINT "task_tags_pkey" PRIMARY KEY("user_id","task_id","tag_id")
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "list_id" bigint;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "priority" "task_priority" DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "due_date" date;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "due_time" time;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "timezone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "lists" ADD CONSTRAINT "lists_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tags" ADD CONSTRAINT "tags_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_tags" ADD CONSTRAINT "task_tags_task_fk" FOREIGN KEY ("user_id","task_id") REFERENCES "public"."tasks"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_tags" ADD CONSTRAINT "task_tags_tag_fk" FOREIGN KEY ("user_id","tag_id") REFERENCES "public"."tags"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lists_user_name_idx" ON "lists" USING btree ("user_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "tags_user_name_idx" ON "tags" USING btree ("user_id",lower("name"));--> statement-breakpoint
CREATE INDEX "task_tags_tag_idx" ON "task_tags" USING btree ("user_id","tag_id","task_id");--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_list_fk" FOREIGN KEY ("user_id","list_id") REFERENCES "public"."lists"("user_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tasks_list_idx" ON "tasks" USING btree ("user_id","list_id","id");--> statement-breakpoint
CREATE INDEX "tasks_updated_idx" ON "tasks" USING btree ("user_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "tasks_title_idx" ON "tasks" USING btree ("user_id",lower("title") collate "C","id");--> statement-breakpoint
CREATE INDEX "tasks_priority_idx" ON "tasks" USING btree ("user_id","priority","id");--> statement-breakpoint
CREATE INDEX "tasks_priority_asc_idx" ON "tasks" USING btree ("user_id","priority",(-"id"));--> statement-breakpoint
CREATE INDEX "tasks_due_idx" ON "tasks" USING btree ("user_id",coalesce("due_date", '-infinity'::date),coalesce("due_time", '24:00'::time),"id");--> statement-breakpoint
CREATE INDEX "tasks_due_asc_idx" ON "tasks" USING btree ("user_id",coalesce("due_date", 'infinity'::date),coalesce("due_time", '24:00'::time),(-"id"));--> statement-breakpoint
CREATE INDEX "tasks_search_idx" ON "tasks" USING gin ("user_id",("title" || ' ' || coalesce("description", '')) gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_due_time_needs_date" CHECK ("tasks"."due_time" is null or "tasks"."due_date" is not null);--> statement-breakpoint
-- The task triggers of 0003 keep each list's counts too, grouped by (user_id, list_id), in the
-- same lock order as before: the user's counter row, then the list rows.
CREATE OR REPLACE FUNCTION task_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO task_counts AS counts (user_id, total, completed)
  SELECT user_id, count(*)::int, (count(*) FILTER (WHERE completed))::int
  FROM inserted_tasks GROUP BY user_id ORDER BY user_id
  ON CONFLICT (user_id) DO UPDATE
    SET total = counts.total + excluded.total, completed = counts.completed + excluded.completed;
  UPDATE lists AS list
  SET task_count = list.task_count + added.total, open_count = list.open_count + added.open
  FROM (
    SELECT user_id, list_id, count(*)::int AS total, (count(*) FILTER (WHERE NOT completed))::int AS open
    FROM inserted_tasks WHERE list_id IS NOT NULL GROUP BY user_id, list_id ORDER BY user_id, list_id
  ) AS added
  WHERE list.user_id = added.user_id AND list.id = added.list_id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION task_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
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
  -- A task that moved, or was completed or reopened, leaves one list's counts and joins another's.
  UPDATE lists AS list
  SET task_count = list.task_count + changed.total, open_count = list.open_count + changed.open
  FROM (
    SELECT user_id, list_id, sum(total)::int AS total, sum(open)::int AS open
    FROM (
      SELECT user_id, list_id, 1 AS total, (NOT completed)::int AS open FROM updated_tasks WHERE list_id IS NOT NULL
      UNION ALL
      SELECT user_id, list_id, -1, -((NOT completed)::int) FROM replaced_tasks WHERE list_id IS NOT NULL
    ) AS moves
    GROUP BY user_id, list_id HAVING sum(total) <> 0 OR sum(open) <> 0 ORDER BY user_id, list_id
  ) AS changed
  WHERE list.user_id = changed.user_id AND list.id = changed.list_id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION task_counts_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE task_counts AS counts
  SET total = counts.total - gone.total, completed = counts.completed - gone.completed
  FROM (
    SELECT user_id, count(*)::int AS total, (count(*) FILTER (WHERE completed))::int AS completed
    FROM deleted_tasks GROUP BY user_id ORDER BY user_id
  ) AS gone
  WHERE counts.user_id = gone.user_id;
  UPDATE lists AS list
  SET task_count = list.task_count - gone.total, open_count = list.open_count - gone.open
  FROM (
    SELECT user_id, list_id, count(*)::int AS total, (count(*) FILTER (WHERE NOT completed))::int AS open
    FROM deleted_tasks WHERE list_id IS NOT NULL GROUP BY user_id, list_id ORDER BY user_id, list_id
  ) AS gone
  WHERE list.user_id = gone.user_id AND list.id = gone.list_id;
  RETURN NULL;
END
$$;
