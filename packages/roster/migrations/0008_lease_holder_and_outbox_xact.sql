ALTER TABLE "outbox" ADD COLUMN "xact_id" bigint DEFAULT (pg_current_xact_id()::text)::bigint NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox_cursors" ADD COLUMN "last_xact" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "provisioning_cycles" ADD COLUMN "holder" text;--> statement-breakpoint
ALTER TABLE "provisioning_cycles" ADD COLUMN "scope" jsonb;--> statement-breakpoint
CREATE INDEX "outbox_xact_idx" ON "outbox" USING btree ("xact_id","id");