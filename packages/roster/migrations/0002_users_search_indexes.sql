CREATE INDEX "users_display_name_pattern_idx" ON "users" USING btree (lower("display_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "users_given_name_pattern_idx" ON "users" USING btree (lower("given_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "users_family_name_pattern_idx" ON "users" USING btree (lower("family_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "users_employee_id_pattern_idx" ON "users" USING btree (lower("employee_id") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "users_email_sort_idx" ON "users" USING btree (lower("email"),"id");