CREATE TABLE "mrr_cohort_monthly" (
	"workspace_id" text NOT NULL,
	"cohort" char(7) NOT NULL,
	"month" char(7) NOT NULL,
	"mrr_delta" bigint DEFAULT 0 NOT NULL,
	"annual_delta" bigint DEFAULT 0 NOT NULL,
	"cmrr_delta" bigint DEFAULT 0 NOT NULL,
	"annual_cmrr_delta" bigint DEFAULT 0 NOT NULL,
	"positive_delta" integer DEFAULT 0 NOT NULL,
	"paying_delta" integer DEFAULT 0 NOT NULL,
	"trialing_delta" integer DEFAULT 0 NOT NULL,
	"new" bigint DEFAULT 0 NOT NULL,
	"expansion" bigint DEFAULT 0 NOT NULL,
	"contraction" bigint DEFAULT 0 NOT NULL,
	"churn" bigint DEFAULT 0 NOT NULL,
	"reactivation" bigint DEFAULT 0 NOT NULL,
	"fx_impact" bigint DEFAULT 0 NOT NULL,
	"involuntary_churn" bigint DEFAULT 0 NOT NULL,
	"members" integer DEFAULT 0 NOT NULL,
	"initial_mrr" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "mrr_cohort_monthly_workspace_id_cohort_month_pk" PRIMARY KEY("workspace_id","cohort","month")
);
--> statement-breakpoint
CREATE TABLE "mrr_daily" (
	"workspace_id" text NOT NULL,
	"day" date NOT NULL,
	"mrr_delta" bigint DEFAULT 0 NOT NULL,
	"annual_delta" bigint DEFAULT 0 NOT NULL,
	"cmrr_delta" bigint DEFAULT 0 NOT NULL,
	"annual_cmrr_delta" bigint DEFAULT 0 NOT NULL,
	"positive_delta" integer DEFAULT 0 NOT NULL,
	"paying_delta" integer DEFAULT 0 NOT NULL,
	"trialing_delta" integer DEFAULT 0 NOT NULL,
	"new" bigint DEFAULT 0 NOT NULL,
	"expansion" bigint DEFAULT 0 NOT NULL,
	"contraction" bigint DEFAULT 0 NOT NULL,
	"churn" bigint DEFAULT 0 NOT NULL,
	"reactivation" bigint DEFAULT 0 NOT NULL,
	"fx_impact" bigint DEFAULT 0 NOT NULL,
	"involuntary_churn" bigint DEFAULT 0 NOT NULL,
	"members" integer DEFAULT 0 NOT NULL,
	"initial_mrr" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "mrr_daily_workspace_id_day_pk" PRIMARY KEY("workspace_id","day")
);
--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD COLUMN "cmrr" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD COLUMN "annual_cmrr" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD COLUMN "annual_delta" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD COLUMN "cmrr_delta" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD COLUMN "annual_cmrr_delta" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD COLUMN "paying_delta" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD COLUMN "trialing_delta" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD COLUMN "cohort" char(7);--> statement-breakpoint
ALTER TABLE "mrr_changes" ADD COLUMN "first_new" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "mrr_cohort_monthly" ADD CONSTRAINT "mrr_cohort_monthly_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mrr_daily" ADD CONSTRAINT "mrr_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mrr_changes_entry_idx" ON "mrr_changes" USING btree ("workspace_id","day") WHERE kind in ('new', 'reactivation', 'churn');--> statement-breakpoint
CREATE INDEX "mrr_changes_moves_idx" ON "mrr_changes" USING btree ("workspace_id","day","kind","customer_id") WHERE kind is not null;--> statement-breakpoint
CREATE INDEX "mrr_changes_flagged_idx" ON "mrr_changes" USING btree ("workspace_id","customer_id") WHERE unconverted is not null or cardinality(warnings) > 0;--> statement-breakpoint
-- Ledgers written before the rollups existed: annotate their rows, then sum them into the rollups. Their
-- committed MRR starts at 0; `npm run admin -- rebuild` (or any policy change) recomputes it.
WITH annotated AS (
	SELECT workspace_id, customer_id, day,
		annual_mrr - coalesce(lag(annual_mrr) OVER w, 0) AS annual_delta,
		cmrr - coalesce(lag(cmrr) OVER w, 0) AS cmrr_delta,
		annual_cmrr - coalesce(lag(annual_cmrr) OVER w, 0) AS annual_cmrr_delta,
		paying::int - coalesce(lag(paying::int) OVER w, 0) AS paying_delta,
		(trialing AND NOT paying)::int - coalesce(lag((trialing AND NOT paying)::int) OVER w, 0) AS trialing_delta,
		to_char(min(day) FILTER (WHERE kind = 'new') OVER c, 'YYYY-MM') AS cohort,
		kind = 'new' AND day = min(day) FILTER (WHERE kind = 'new') OVER c AS first_new
	FROM (
		SELECT *, mrr > 0 OR EXISTS (SELECT 1 FROM jsonb_each_text(coalesce(unconverted, '{}'::jsonb)) u WHERE u.value::numeric > 0) AS paying
		FROM mrr_changes
	) m
	WINDOW w AS (PARTITION BY workspace_id, customer_id ORDER BY day),
		c AS (PARTITION BY workspace_id, customer_id)
)
UPDATE mrr_changes m SET annual_delta = a.annual_delta, cmrr_delta = a.cmrr_delta, annual_cmrr_delta = a.annual_cmrr_delta, paying_delta = a.paying_delta,
	trialing_delta = a.trialing_delta, cohort = a.cohort, first_new = coalesce(a.first_new, false)
FROM annotated a
WHERE m.workspace_id = a.workspace_id AND m.customer_id = a.customer_id AND m.day = a.day;
--> statement-breakpoint
INSERT INTO mrr_daily (workspace_id, day, mrr_delta, annual_delta, cmrr_delta, annual_cmrr_delta, positive_delta, paying_delta, trialing_delta, new, expansion, contraction, churn, reactivation, fx_impact, involuntary_churn, members, initial_mrr)
SELECT workspace_id, day, sum(mrr - previous_mrr), sum(annual_delta), sum(cmrr_delta), sum(annual_cmrr_delta), sum((mrr > 0)::int - (previous_mrr > 0)::int),
	sum(paying_delta), sum(trialing_delta),
	coalesce(sum(amount) FILTER (WHERE kind = 'new'), 0), coalesce(sum(amount) FILTER (WHERE kind = 'expansion'), 0),
	coalesce(sum(amount) FILTER (WHERE kind = 'contraction'), 0), coalesce(sum(amount) FILTER (WHERE kind = 'churn'), 0),
	coalesce(sum(amount) FILTER (WHERE kind = 'reactivation'), 0), sum(fx_impact),
	coalesce(sum(amount) FILTER (WHERE kind = 'churn' AND involuntary), 0),
	count(*) FILTER (WHERE first_new), coalesce(sum(amount) FILTER (WHERE first_new), 0)
FROM mrr_changes GROUP BY workspace_id, day;
--> statement-breakpoint
INSERT INTO mrr_cohort_monthly (workspace_id, cohort, month, mrr_delta, annual_delta, cmrr_delta, annual_cmrr_delta, positive_delta, paying_delta, trialing_delta, new, expansion, contraction, churn, reactivation, fx_impact, involuntary_churn, members, initial_mrr)
SELECT workspace_id, cohort, to_char(day, 'YYYY-MM'), sum(mrr - previous_mrr), sum(annual_delta), sum(cmrr_delta),
	sum(annual_cmrr_delta),
	sum((mrr > 0)::int - (previous_mrr > 0)::int), sum(paying_delta), sum(trialing_delta),
	coalesce(sum(amount) FILTER (WHERE kind = 'new'), 0), coalesce(sum(amount) FILTER (WHERE kind = 'expansion'), 0),
	coalesce(sum(amount) FILTER (WHERE kind = 'contraction'), 0), coalesce(sum(amount) FILTER (WHERE kind = 'churn'), 0),
	coalesce(sum(amount) FILTER (WHERE kind = 'reactivation'), 0), sum(fx_impact),
	coalesce(sum(amount) FILTER (WHERE kind = 'churn' AND involuntary), 0),
	count(*) FILTER (WHERE first_new), coalesce(sum(amount) FILTER (WHERE first_new), 0)
FROM mrr_changes WHERE cohort IS NOT NULL GROUP BY workspace_id, cohort, to_char(day, 'YYYY-MM');
