CREATE TABLE "mrr_flag_daily" (
	"workspace_id" text NOT NULL,
	"day" date NOT NULL,
	"flag" text NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "mrr_flag_daily_workspace_id_day_flag_pk" PRIMARY KEY("workspace_id","day","flag")
);
--> statement-breakpoint
ALTER TABLE "mrr_flag_daily" ADD CONSTRAINT "mrr_flag_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Fill the flag rollup from the existing ledgers: each row adds its flags on its day and takes them away on its
-- next row's day (the select of FLAG_SUMS in db/queries/mrr.ts, for every workspace).
INSERT INTO "mrr_flag_daily" ("workspace_id", "day", "flag", "rows", "amount")
SELECT workspace_id, day, flag, sum(n)::int, sum(a)::bigint FROM (
  SELECT m.workspace_id, f.day, f.flag, f.n, f.a
  FROM mrr_changes m,
    LATERAL (SELECT 'warning:' || w AS flag, 0::numeric AS a FROM unnest(m.warnings) w
             UNION ALL
             SELECT 'unconverted:' || u.key, u.value::numeric FROM jsonb_each_text(coalesce(m.unconverted, '{}'::jsonb)) u) x,
    LATERAL (VALUES (m.day, x.flag, 1, x.a), (m.next_day, x.flag, -1, -x.a)) f(day, flag, n, a)
  WHERE f.day IS NOT NULL
) t
GROUP BY workspace_id, day, flag
HAVING sum(n) <> 0 OR sum(a) <> 0;
