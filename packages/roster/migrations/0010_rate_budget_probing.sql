ALTER TABLE "rate_budgets" ADD COLUMN "limit_source" text DEFAULT 'assumed' NOT NULL;--> statement-breakpoint
ALTER TABLE "rate_budgets" ADD COLUMN "raised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rate_budgets" ADD COLUMN "probe_hold_until" timestamp with time zone;