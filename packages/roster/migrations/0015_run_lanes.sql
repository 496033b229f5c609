DROP INDEX "provisioning_cycles_one_running";--> statement-breakpoint
ALTER TABLE "provisioning_cycles" ADD COLUMN "lane" text DEFAULT 'main' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "provisioning_cycles_one_running" ON "provisioning_cycles" USING btree ("application_id","lane") WHERE status = 'running';