-- The due filters (overdue, today, week, due_from, due_to) as an index range: the two due sort
-- indexes hold the date only inside coalesce(), so a filter on the date itself scanned the table.
CREATE INDEX "tasks_due_date_idx" ON "tasks" USING btree ("user_id","due_date","id");
