CREATE TABLE "accounts" (
	"user_id" text NOT NULL,
	"type" text NOT NULL,
	"provider" text NOT NULL,
	"provider_account_id" text NOT NULL,
	"refresh_token" text,
	"access_token" text,
	"expires_at" integer,
	"token_type" text,
	"scope" text,
	"id_token" text,
	"session_state" text,
	CONSTRAINT "accounts_provider_provider_account_id_pk" PRIMARY KEY("provider","provider_account_id")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"token_prefix" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_by" text,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"actor_user_id" text,
	"action" text NOT NULL,
	"target" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_log_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" text,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitations_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_workspace_id_user_id_pk" PRIMARY KEY("workspace_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"count" bigint NOT NULL,
	"reset_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"password_hash" text,
	"email_verified" timestamp with time zone,
	"image" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"currency" char(3) DEFAULT 'usd' NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "charges" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text,
	"invoice_id" text,
	"amount" bigint NOT NULL,
	"amount_captured" bigint NOT NULL,
	"amount_refunded" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text NOT NULL,
	"paid" boolean NOT NULL,
	"created" timestamp with time zone NOT NULL,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "charges_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "connections" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"livemode" boolean,
	"account_id" text,
	"webhook_secret" text NOT NULL,
	"secret_key" text,
	"api_base" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connections_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "coupons" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"data" jsonb NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "coupons_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "credit_notes" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"invoice_id" text,
	"customer_id" text,
	"status" text NOT NULL,
	"currency" char(3) NOT NULL,
	"amount" bigint NOT NULL,
	"total" bigint NOT NULL,
	"created" timestamp with time zone NOT NULL,
	"voided_at" timestamp with time zone,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "credit_notes_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"email" text,
	"name" text,
	"currency" char(3),
	"created" timestamp with time zone,
	"delinquent" boolean DEFAULT false NOT NULL,
	"discount_id" text,
	"deleted" boolean DEFAULT false NOT NULL,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "customers_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "discounts" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"coupon_id" text NOT NULL,
	"coupon" jsonb,
	"customer_id" text,
	"subscription_id" text,
	"subscription_item_id" text,
	"start" timestamp with time zone NOT NULL,
	"end" timestamp with time zone,
	"deleted" boolean DEFAULT false NOT NULL,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "discounts_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"workspace_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"id" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"subscription_id" text,
	"subscription_item_id" text,
	"price_id" text,
	"quantity" integer,
	"proration" boolean NOT NULL,
	"period_start" timestamp with time zone,
	"period_end" timestamp with time zone,
	"discount_amount" bigint NOT NULL,
	CONSTRAINT "invoice_lines_workspace_id_invoice_id_id_pk" PRIMARY KEY("workspace_id","invoice_id","id")
);
--> statement-breakpoint
CREATE TABLE "invoice_payment_failures" (
	"workspace_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"event_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"failed_at" timestamp with time zone NOT NULL,
	"amount_due" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"attempt_count" integer NOT NULL,
	CONSTRAINT "invoice_payment_failures_workspace_id_invoice_id_event_id_pk" PRIMARY KEY("workspace_id","invoice_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"subscription_id" text,
	"status" text,
	"currency" char(3) NOT NULL,
	"amount_due" bigint NOT NULL,
	"amount_paid" bigint NOT NULL,
	"amount_remaining" bigint NOT NULL,
	"subtotal" bigint NOT NULL,
	"total" bigint NOT NULL,
	"attempt_count" integer NOT NULL,
	"billing_reason" text,
	"created" timestamp with time zone NOT NULL,
	"period_start" timestamp with time zone,
	"period_end" timestamp with time zone,
	"finalized_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"marked_uncollectible_at" timestamp with time zone,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "invoices_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"input" jsonb NOT NULL,
	"progress" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "jobs_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "prices" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"product_id" text,
	"currency" char(3) NOT NULL,
	"type" text NOT NULL,
	"source_object" text NOT NULL,
	"data" jsonb NOT NULL,
	"deleted" boolean DEFAULT false NOT NULL,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "prices_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "products" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text,
	"active" boolean NOT NULL,
	"created" timestamp with time zone,
	"deleted" boolean DEFAULT false NOT NULL,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "products_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "promotion_codes" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"code" text NOT NULL,
	"coupon_id" text,
	"active" boolean NOT NULL,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "promotion_codes_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"charge_id" text,
	"amount" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text,
	"created" timestamp with time zone NOT NULL,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "refunds_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "stripe_backfill_cursors" (
	"workspace_id" text NOT NULL,
	"connection_id" text NOT NULL,
	"object_type" text NOT NULL,
	"run_started_at" timestamp with time zone NOT NULL,
	"starting_after" text,
	"done" boolean DEFAULT false NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stripe_backfill_cursors_workspace_id_connection_id_object_type_pk" PRIMARY KEY("workspace_id","connection_id","object_type")
);
--> statement-breakpoint
CREATE TABLE "stripe_event_outcomes" (
	"workspace_id" text NOT NULL,
	"connection_id" text NOT NULL,
	"event_id" text NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"event_type" text NOT NULL,
	"event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "stripe_event_outcomes_workspace_id_connection_id_event_id_pk" PRIMARY KEY("workspace_id","connection_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"workspace_id" text NOT NULL,
	"connection_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"api_version" text,
	"created" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stripe_events_workspace_id_connection_id_id_pk" PRIMARY KEY("workspace_id","connection_id","id")
);
--> statement-breakpoint
CREATE TABLE "subscription_items" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"price_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"current_period_start" timestamp with time zone,
	"current_period_end" timestamp with time zone,
	"last_event_key" text NOT NULL,
	CONSTRAINT "subscription_items_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "subscription_schedules" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"subscription_id" text,
	"status" text NOT NULL,
	"end_behavior" text NOT NULL,
	"phases" jsonb NOT NULL,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "subscription_schedules_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "subscription_versions" (
	"workspace_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"event_id" text NOT NULL,
	"connection_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"event_key" text NOT NULL,
	"state" jsonb NOT NULL,
	"source" jsonb NOT NULL,
	"refs" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "subscription_versions_workspace_id_subscription_id_event_id_pk" PRIMARY KEY("workspace_id","subscription_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"status" text NOT NULL,
	"currency" char(3) NOT NULL,
	"created" timestamp with time zone NOT NULL,
	"current_period_start" timestamp with time zone,
	"current_period_end" timestamp with time zone,
	"cancel_at_period_end" boolean NOT NULL,
	"canceled_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"trial_end" timestamp with time zone,
	"state" jsonb NOT NULL,
	"source" jsonb NOT NULL,
	"refs" text[] DEFAULT '{}'::text[] NOT NULL,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "subscriptions_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
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
CREATE TABLE "ingest_events" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"customer_id" text,
	"email" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ingest_events_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charges" ADD CONSTRAINT "charges_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discounts" ADD CONSTRAINT "discounts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_payment_failures" ADD CONSTRAINT "invoice_payment_failures_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prices" ADD CONSTRAINT "prices_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_codes" ADD CONSTRAINT "promotion_codes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_backfill_cursors" ADD CONSTRAINT "stripe_backfill_cursors_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_event_outcomes" ADD CONSTRAINT "stripe_event_outcomes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_events" ADD CONSTRAINT "stripe_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_items" ADD CONSTRAINT "subscription_items_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_schedules" ADD CONSTRAINT "subscription_schedules_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_versions" ADD CONSTRAINT "subscription_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fx_rates" ADD CONSTRAINT "fx_rates_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_settings" ADD CONSTRAINT "metric_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD CONSTRAINT "mrr_changes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_events" ADD CONSTRAINT "ingest_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_token_hash_key" ON "api_keys" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("workspace_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "memberships_user_idx" ON "memberships" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "workspaces_slug_key" ON "workspaces" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "charges_created_idx" ON "charges" USING btree ("workspace_id","created");--> statement-breakpoint
CREATE UNIQUE INDEX "connections_id_key" ON "connections" USING btree ("id");--> statement-breakpoint
CREATE INDEX "invoices_paid_idx" ON "invoices" USING btree ("workspace_id","paid_at");--> statement-breakpoint
CREATE INDEX "invoices_customer_idx" ON "invoices" USING btree ("workspace_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_id_key" ON "jobs" USING btree ("id");--> statement-breakpoint
CREATE INDEX "refunds_created_idx" ON "refunds" USING btree ("workspace_id","created");--> statement-breakpoint
CREATE INDEX "stripe_event_outcomes_outcome_idx" ON "stripe_event_outcomes" USING btree ("workspace_id","outcome");--> statement-breakpoint
CREATE INDEX "stripe_events_replay_idx" ON "stripe_events" USING btree ("workspace_id","created","id");--> statement-breakpoint
CREATE INDEX "subscription_items_sub_idx" ON "subscription_items" USING btree ("workspace_id","subscription_id");--> statement-breakpoint
CREATE INDEX "subscription_versions_order_idx" ON "subscription_versions" USING btree ("workspace_id","subscription_id","valid_from","event_key");--> statement-breakpoint
CREATE INDEX "subscription_versions_customer_idx" ON "subscription_versions" USING btree ("workspace_id","customer_id","valid_from");--> statement-breakpoint
CREATE INDEX "subscription_versions_refs_idx" ON "subscription_versions" USING gin ("refs");--> statement-breakpoint
CREATE INDEX "subscriptions_customer_idx" ON "subscriptions" USING btree ("workspace_id","customer_id");--> statement-breakpoint
CREATE INDEX "mrr_changes_day_idx" ON "mrr_changes" USING btree ("workspace_id","day");--> statement-breakpoint
CREATE INDEX "ingest_events_type_time_idx" ON "ingest_events" USING btree ("workspace_id","type","occurred_at");