CREATE TABLE "links" (
	"application_id" uuid NOT NULL,
	"object_type" text NOT NULL,
	"directory_id" uuid NOT NULL,
	"target_id" text NOT NULL,
	"last_hash" text,
	"last_written" jsonb,
	"state" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "links_application_id_object_type_directory_id_pk" PRIMARY KEY("application_id","object_type","directory_id")
);
--> statement-breakpoint
CREATE TABLE "oauth_handshakes" (
	"state" text PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"code_verifier" text NOT NULL,
	"admin_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_cursors" (
	"consumer" text PRIMARY KEY NOT NULL,
	"last_id" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provisioning_configs" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"connection" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secrets" text,
	"token_expires_at" timestamp with time zone,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" text DEFAULT 'off' NOT NULL,
	"state_reason" jsonb,
	"last_cycle_at" timestamp with time zone,
	"next_cycle_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provisioning_cycles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"progress" jsonb DEFAULT '{"total":0,"done":0}'::jsonb NOT NULL,
	"error" jsonb,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "provisioning_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"application_id" uuid NOT NULL,
	"cycle_id" uuid,
	"object_type" text NOT NULL,
	"directory_id" uuid,
	"target_id" text,
	"identity" text,
	"action" text NOT NULL,
	"status" text NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error_code" text,
	"error_message" text,
	"advice" text,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "provisioning_retries" (
	"application_id" uuid NOT NULL,
	"object_type" text NOT NULL,
	"directory_id" uuid NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provisioning_retries_application_id_object_type_directory_id_pk" PRIMARY KEY("application_id","object_type","directory_id")
);
--> statement-breakpoint
CREATE TABLE "rate_budgets" (
	"account_key" text PRIMARY KEY NOT NULL,
	"limit_per_minute" integer NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used" integer DEFAULT 0 NOT NULL,
	"blocked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "links" ADD CONSTRAINT "links_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth_handshakes" ADD CONSTRAINT "oauth_handshakes_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_configs" ADD CONSTRAINT "provisioning_configs_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_cycles" ADD CONSTRAINT "provisioning_cycles_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_events" ADD CONSTRAINT "provisioning_events_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_retries" ADD CONSTRAINT "provisioning_retries_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "links_target_key" ON "links" USING btree ("application_id","object_type","target_id");--> statement-breakpoint
CREATE INDEX "provisioning_cycles_app_idx" ON "provisioning_cycles" USING btree ("application_id","started_at");--> statement-breakpoint
CREATE INDEX "provisioning_events_app_at_idx" ON "provisioning_events" USING btree ("application_id","at");--> statement-breakpoint
CREATE INDEX "provisioning_events_directory_idx" ON "provisioning_events" USING btree ("application_id","directory_id");--> statement-breakpoint
CREATE INDEX "provisioning_retries_due_idx" ON "provisioning_retries" USING btree ("next_attempt_at");