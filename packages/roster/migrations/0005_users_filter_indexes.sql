CREATE INDEX "users_job_title_idx" ON "users" USING btree ("job_title");--> statement-breakpoint
CREATE INDEX "users_organization_idx" ON "users" USING btree ("organization");--> statement-breakpoint
CREATE INDEX "users_location_idx" ON "users" USING btree ("location");--> statement-breakpoint
CREATE INDEX "users_custom_idx" ON "users" USING gin ("custom" jsonb_path_ops);