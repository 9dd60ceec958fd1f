CREATE TABLE "ledger_pending_customers" (
	"workspace_id" text NOT NULL,
	"customer_id" text NOT NULL,
	CONSTRAINT "ledger_pending_customers_workspace_id_customer_id_pk" PRIMARY KEY("workspace_id","customer_id")
);
--> statement-breakpoint
ALTER TABLE "metric_settings" ADD COLUMN "pending" jsonb;--> statement-breakpoint
ALTER TABLE "metric_settings" ADD COLUMN "ledger_epoch" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_pending_customers" ADD CONSTRAINT "ledger_pending_customers_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- ADR 0017. The ledger context now carries the policy change being applied (metric_settings.pending), so every
-- ledger refresh knows to record its customers in ledger_pending_customers. The rest is 0011's function as it was.
DROP FUNCTION northstar_config_shared(text, boolean, text, interval);--> statement-breakpoint
CREATE FUNCTION northstar_config_shared(ws text, with_context boolean, customer text DEFAULT NULL,
  wait interval DEFAULT interval '5 seconds')
RETURNS TABLE (timezone text, currency text, policy jsonb, settings jsonb, fx json, pending jsonb)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  prev text;
BEGIN
  IF NOT pg_try_advisory_xact_lock_shared(7428002, hashtext(ws)) THEN
    prev := current_setting('lock_timeout');
    PERFORM set_config('lock_timeout', greatest(1, (extract(epoch FROM wait) * 1000)::bigint)::text, true);
    PERFORM pg_advisory_xact_lock_shared(7428002, hashtext(ws));
    PERFORM set_config('lock_timeout', prev, true);
  END IF;
  IF customer IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('northstar.ledger:' || ws || ':' || customer));
  END IF;
  IF NOT with_context THEN
    RETURN QUERY SELECT NULL::text, NULL::text, NULL::jsonb, NULL::jsonb, NULL::json, NULL::jsonb;
    RETURN;
  END IF;
  RETURN QUERY
    SELECT w.timezone, w.currency::text, ms.policy, ms.settings,
      (SELECT json_agg(json_build_object('currency', f.currency, 'rateDate', f.rate_date::text, 'rate', f.rate)
                       ORDER BY f.currency, f.rate_date)
         FROM fx_rates f WHERE f.workspace_id = w.id),
      ms.pending
    FROM (SELECT 1) AS one
    LEFT JOIN workspaces w ON w.id = ws
    LEFT JOIN metric_settings ms ON ms.workspace_id = w.id;
END
$$;
