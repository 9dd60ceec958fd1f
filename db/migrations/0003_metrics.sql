CREATE TABLE "fx_rates" (
	"workspace_id" text NOT NULL,
	"currency" char(3) NOT NULL,
	"rate_date" date NOT NULL,
	"rate" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fx_rates_workspace_id_currency_rate_date_pk" PRIMARY KEY("workspace_id","currency","rate_date")
);
--> statement-breakpoint
CREATE TABLE "metric_settings" (
	"workspace_id" text PRIMARY KEY NOT NULL,
	"policy" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "mrr_changes" (
	"workspace_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"day" date NOT NULL,
	"mrr" bigint NOT NULL,
	"previous_mrr" bigint NOT NULL,
	"kind" text,
	"amount" bigint NOT NULL,
	"fx_impact" bigint DEFAULT 0 NOT NULL,
	"annual_mrr" bigint DEFAULT 0 NOT NULL,
	"trialing" boolean DEFAULT false NOT NULL,
	"involuntary" boolean DEFAULT false NOT NULL,
	"event_ids" text[] NOT NULL,
	"unconverted" jsonb,
	"warnings" text[] NOT NULL,
	CONSTRAINT "mrr_changes_workspace_id_customer_id_day_pk" PRIMARY KEY("workspace_id","customer_id","day")
);
--> statement-breakpoint
ALTER TABLE "fx_rates" ADD CONSTRAINT "fx_rates_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_settings" ADD CONSTRAINT "metric_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD CONSTRAINT "mrr_changes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mrr_changes_day_idx" ON "mrr_changes" USING btree ("workspace_id","day");