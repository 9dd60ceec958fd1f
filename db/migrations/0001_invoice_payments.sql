CREATE TABLE "invoice_payments" (
	"workspace_id" text NOT NULL,
	"id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"status" text NOT NULL,
	"amount_paid" bigint,
	"amount_requested" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"is_default" boolean NOT NULL,
	"charge_id" text,
	"payment_intent_id" text,
	"created" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"canceled_at" timestamp with time zone,
	"connection_id" text NOT NULL,
	"last_event_key" text NOT NULL,
	"last_event_id" text NOT NULL,
	"last_event_created" timestamp with time zone NOT NULL,
	CONSTRAINT "invoice_payments_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "charges" ADD COLUMN "payment_intent_id" text;--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoice_payments_charge_idx" ON "invoice_payments" USING btree ("workspace_id","charge_id");--> statement-breakpoint
CREATE INDEX "invoice_payments_payment_intent_idx" ON "invoice_payments" USING btree ("workspace_id","payment_intent_id");--> statement-breakpoint
CREATE INDEX "charges_payment_intent_idx" ON "charges" USING btree ("workspace_id","payment_intent_id");