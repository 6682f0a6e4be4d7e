-- (user_id, id) becomes the key, and its index replaces both tasks_pkey (id) and tasks_user_id_id_idx.
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_pkey";--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_pkey" PRIMARY KEY("user_id","id");--> statement-breakpoint
DROP INDEX "tasks_user_id_id_idx";
