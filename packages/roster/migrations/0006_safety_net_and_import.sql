CREATE TABLE "import_items" (
	"session_id" uuid NOT NULL,
	"target_id" text NOT NULL,
	"category" text NOT NULL,
	"directory_user_id" uuid,
	"identity" text NOT NULL,
	"target" jsonb NOT NULL,
	"differences" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason_code" text,
	"reason" text,
	"source_profile" text,
	"apply_status" text,
	"apply_error" jsonb,
	"applied_at" timestamp with time zone,
	CONSTRAINT "import_items_session_id_target_id_pk" PRIMARY KEY("session_id","target_id")
);
--> statement-breakpoint
CREATE TABLE "import_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"status" text NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"progress" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "membership_links" (
	"application_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"target_membership_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "membership_links_application_id_group_id_user_id_pk" PRIMARY KEY("application_id","group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "provisioning_notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"recipient" text,
	"subject" text NOT NULL,
	"status" text NOT NULL,
	"error" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provisioning_plan_actions" (
	"plan_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"object_type" text NOT NULL,
	"directory_id" uuid,
	"identity" text,
	"action" text NOT NULL,
	"detail" jsonb NOT NULL,
	CONSTRAINT "provisioning_plan_actions_plan_id_seq_pk" PRIMARY KEY("plan_id","seq")
);
--> statement-breakpoint
CREATE TABLE "provisioning_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"cycle_id" uuid,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reason" jsonb,
	"created_by" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "provisioning_configs" ADD COLUMN "health" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "import_items" ADD CONSTRAINT "import_items_session_id_import_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."import_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_sessions" ADD CONSTRAINT "import_sessions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_links" ADD CONSTRAINT "membership_links_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_notifications" ADD CONSTRAINT "provisioning_notifications_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_plan_actions" ADD CONSTRAINT "provisioning_plan_actions_plan_id_provisioning_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."provisioning_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_plans" ADD CONSTRAINT "provisioning_plans_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_items_category_idx" ON "import_items" USING btree ("session_id","category","identity");--> statement-breakpoint
CREATE INDEX "import_sessions_app_idx" ON "import_sessions" USING btree ("application_id","created_at");--> statement-breakpoint
CREATE INDEX "membership_links_user_idx" ON "membership_links" USING btree ("application_id","user_id");--> statement-breakpoint
CREATE INDEX "provisioning_notifications_app_idx" ON "provisioning_notifications" USING btree ("application_id","at");--> statement-breakpoint
CREATE INDEX "provisioning_plan_actions_action_idx" ON "provisioning_plan_actions" USING btree ("plan_id","action");--> statement-breakpoint
CREATE INDEX "provisioning_plans_app_idx" ON "provisioning_plans" USING btree ("application_id","created_at");