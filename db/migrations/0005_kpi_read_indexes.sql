CREATE TABLE "trial_marks" (
	"workspace_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"seq" integer NOT NULL,
	"trial_from" timestamp with time zone NOT NULL,
	"trial_end" timestamp with time zone,
	"next_from" timestamp with time zone,
	"later_trial_from" timestamp with time zone,
	"converted_at_next" boolean NOT NULL,
	"converted_at_trial_end" boolean NOT NULL,
	CONSTRAINT "trial_marks_workspace_id_customer_id_subscription_id_seq_pk" PRIMARY KEY("workspace_id","customer_id","subscription_id","seq")
);
--> statement-breakpoint
DROP INDEX "mrr_changes_entry_idx";--> statement-breakpoint
DROP INDEX "mrr_changes_flagged_idx";--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD COLUMN "next_day" date;--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD COLUMN "zero_since" date;--> statement-breakpoint
ALTER TABLE "trial_marks" ADD CONSTRAINT "trial_marks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "trial_marks_next_idx" ON "trial_marks" USING btree ("workspace_id","next_from");--> statement-breakpoint
CREATE INDEX "trial_marks_end_idx" ON "trial_marks" USING btree ("workspace_id","trial_end");--> statement-breakpoint
CREATE INDEX "invoice_payment_failures_failed_idx" ON "invoice_payment_failures" USING btree ("workspace_id","failed_at");--> statement-breakpoint
CREATE INDEX "mrr_changes_entry_idx" ON "mrr_changes" USING btree ("workspace_id","kind","day","customer_id") WHERE kind in ('new', 'reactivation', 'churn');--> statement-breakpoint
CREATE INDEX "mrr_changes_flagged_idx" ON "mrr_changes" USING btree ("workspace_id","day","next_day") WHERE unconverted is not null or cardinality(warnings) > 0;
--> statement-breakpoint
-- Existing ledgers: each row's next day, and on a return to paying the day the customer stopped paying. Trial
-- marks are filled by the next ledger rebuild (`admin rebuild`).
UPDATE "mrr_changes" m SET "next_day" = n."next_day", "zero_since" = n."zero_since"
FROM (
  SELECT "workspace_id", "customer_id", "day",
    lead("day") OVER w AS "next_day",
    CASE WHEN "previous_mrr" <= 0 AND "mrr" > 0 THEN max("day") FILTER (WHERE "previous_mrr" > 0 AND "mrr" <= 0) OVER (
      w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS "zero_since"
  FROM "mrr_changes"
  WINDOW w AS (PARTITION BY "workspace_id", "customer_id" ORDER BY "day")
) n
WHERE m."workspace_id" = n."workspace_id" AND m."customer_id" = n."customer_id" AND m."day" = n."day"
  AND (n."next_day" IS NOT NULL OR n."zero_since" IS NOT NULL);
