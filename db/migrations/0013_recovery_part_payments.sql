-- The customers paying with only unconverted parts (no FX rate) count in customer churn and retention: the few
-- ledger rows on which that begins or ends inside a window are read from these two partial indexes.
CREATE INDEX "mrr_changes_unconverted_day_idx" ON "mrr_changes" USING btree ("workspace_id","day","next_day","customer_id") WHERE mrr <= 0 and unconverted @? '$.* ? (@ > 0)';--> statement-breakpoint
CREATE INDEX "mrr_changes_unconverted_next_idx" ON "mrr_changes" USING btree ("workspace_id","next_day","day","customer_id") WHERE mrr <= 0 and unconverted @? '$.* ? (@ > 0)';--> statement-breakpoint
-- Failed-payment recovery counts what was paid on an invoice still open (a part payment), not only invoices paid
-- in full (lib/metrics/cash.ts amountRecoveredBy). A part payment has no time of its own in the invoice: it is
-- known to be paid by the `created` of the event that reported the invoice's state (`last_event_created`). The
-- recovery part of an invoice now carries, as `paid_at`, the instant by which its amount paid is known to be paid:
-- `paid_at` of a paid invoice, `last_event_created` of an open one with something paid, else null (not recovered;
-- void and uncollectible invoices included). Then the rollup is built again from the invoices.
CREATE OR REPLACE FUNCTION payment_recovery_daily_apply(parts payment_recovery_part[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  zero_ws text[];
  zero_days date[];
BEGIN
  WITH d AS (
    SELECT p.workspace_id, (p.failed_at AT TIME ZONE w.timezone)::date AS day, p.currency, p.due,
      CASE WHEN p.paid_at IS NOT NULL THEN (p.paid_at AT TIME ZONE w.timezone)::date ELSE 'infinity'::date END AS paid_day,
      CASE WHEN p.paid_at IS NOT NULL THEN p.amount_paid ELSE 0 END AS amount_paid,
      CASE WHEN p.created > p.failed_at THEN p.created ELSE '-infinity'::timestamptz END AS created_after,
      sum(p.sign)::int AS count
    FROM unnest(parts) p
    JOIN workspaces w ON w.id = p.workspace_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(p.sign) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
  ), up AS (
    INSERT INTO payment_recovery_daily AS c (workspace_id, day, currency, due, paid_day, amount_paid, created_after, count)
    SELECT * FROM d
    ON CONFLICT (workspace_id, day, currency, due, paid_day, amount_paid, created_after)
      DO UPDATE SET count = c.count + excluded.count
    RETURNING c.workspace_id, c.day, c.count
  )
  SELECT array_agg(workspace_id), array_agg(day) INTO zero_ws, zero_days FROM up WHERE count = 0;
  IF zero_ws IS NOT NULL THEN
    DELETE FROM payment_recovery_daily c USING unnest(zero_ws, zero_days) z(workspace_id, day)
    WHERE c.workspace_id = z.workspace_id AND c.day = z.day AND c.count = 0;
  END IF;
END $$;
--> statement-breakpoint
-- The instant by which an invoice's amount paid is known to be paid (null: nothing recovered).
-- Arguments: the invoice's status, paid_at, amount_paid and last_event_created.
CREATE FUNCTION payment_recovery_paid_at(text, timestamptz, bigint, timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN $1 = 'paid' THEN $2 WHEN $1 = 'open' AND $3 > 0 THEN $4 END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION payment_recovery_parts(o invoices[], n invoices[]) RETURNS payment_recovery_part[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN array(
    SELECT (i.sign, i.workspace_id, i.currency, i.status,
      payment_recovery_paid_at(i.status, i.paid_at, i.amount_paid, i.last_event_created), i.amount_paid, i.created,
      f.failed_at, f.amount_due)::payment_recovery_part
    FROM (SELECT u.*, -1 AS sign FROM unnest(o) u UNION ALL SELECT u.*, 1 FROM unnest(n) u) i
    CROSS JOIN LATERAL (
      SELECT failed_at, amount_due FROM invoice_payment_failures f
      WHERE f.workspace_id = i.workspace_id AND f.invoice_id = i.id
      ORDER BY failed_at, event_id LIMIT 1) f);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoice_payment_failures_cash_rollups() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  o invoice_payment_failures[] := '{}';
  n invoice_payment_failures[] := '{}';
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN SELECT coalesce(array_agg(r), '{}') INTO o FROM old_rows r; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN SELECT coalesce(array_agg(r), '{}') INTO n FROM new_rows r; END IF;
  IF cardinality(o) + cardinality(n) = 0 THEN RETURN NULL; END IF;
  PERFORM payment_recovery_daily_apply(array(
    WITH touched AS (
      SELECT DISTINCT workspace_id, invoice_id FROM (SELECT * FROM unnest(o) UNION ALL SELECT * FROM unnest(n)) t
    ), before AS (
      SELECT f.* FROM invoice_payment_failures f JOIN touched t USING (workspace_id, invoice_id)
      WHERE (f.workspace_id, f.invoice_id, f.event_id) NOT IN (SELECT workspace_id, invoice_id, event_id FROM unnest(n))
      UNION ALL SELECT * FROM unnest(o)
    ), firsts AS (
      SELECT DISTINCT ON (b.workspace_id, b.invoice_id) -1 AS sign, b.workspace_id, b.invoice_id, b.failed_at, b.amount_due
      FROM before b ORDER BY b.workspace_id, b.invoice_id, b.failed_at, b.event_id
    ), parts AS (
      SELECT * FROM firsts
      UNION ALL
      (SELECT DISTINCT ON (f.workspace_id, f.invoice_id) 1, f.workspace_id, f.invoice_id, f.failed_at, f.amount_due
       FROM invoice_payment_failures f JOIN touched t USING (workspace_id, invoice_id)
       ORDER BY f.workspace_id, f.invoice_id, f.failed_at, f.event_id)
    )
    SELECT (p.sign, i.workspace_id, i.currency, i.status, payment_recovery_paid_at(i.status, i.paid_at, i.amount_paid, i.last_event_created),
      i.amount_paid, i.created, p.failed_at, p.amount_due)::payment_recovery_part
    FROM parts p JOIN invoices i ON i.workspace_id = p.workspace_id AND i.id = p.invoice_id));
  RETURN NULL;
END $$;
--> statement-breakpoint
SELECT cash_rollups_rebuild(id) FROM workspaces;
