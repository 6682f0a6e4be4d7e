CREATE TABLE "task_counts" (
	"user_id" text PRIMARY KEY NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"completed" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "task_counts" ADD CONSTRAINT "task_counts_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill: the counts of the tasks that exist before the queries start keeping them.
INSERT INTO "task_counts" ("user_id", "total", "completed")
SELECT "user_id", count(*)::int, (count(*) FILTER (WHERE "completed"))::int FROM "tasks" GROUP BY "user_id";
