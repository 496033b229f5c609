DROP INDEX "users_department_idx";--> statement-breakpoint
CREATE INDEX "users_department_lower_idx" ON "users" USING btree (lower("department"));