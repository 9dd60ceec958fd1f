CREATE TABLE "paid_invoice_daily" (
	"workspace_id" text NOT NULL,
	"day" date NOT NULL,
	"currency" char(3) NOT NULL,
	"amount" bigint NOT NULL,
	"created_after" timestamp with time zone DEFAULT '-infinity'::timestamptz NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "paid_invoice_daily_pk" PRIMARY KEY("workspace_id","day","currency","amount","created_after")
);
--> statement-breakpoint
CREATE TABLE "payment_recovery_daily" (
	"workspace_id" text NOT NULL,
	"day" date NOT NULL,
	"currency" char(3) NOT NULL,
	"due" bigint NOT NULL,
	"paid_day" date DEFAULT 'infinity'::date NOT NULL,
	"amount_paid" bigint DEFAULT 0 NOT NULL,
	"created_after" timestamp with time zone DEFAULT '-infinity'::timestamptz NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "payment_recovery_daily_pk" PRIMARY KEY("workspace_id","day","currency","due","paid_day","amount_paid","created_after")
);
--> statement-breakpoint
ALTER TABLE "paid_invoice_daily" ADD CONSTRAINT "paid_invoice_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_recovery_daily" ADD CONSTRAINT "payment_recovery_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- ADR 0014. The cash rollups are kept by statement triggers over the transition tables: each writing statement
-- takes its rows' old contributions out and puts their new ones in, with one upsert per rollup. Counts that reach
-- 0 are deleted. Keys are applied in order, so concurrent writers lock rollup rows in the same order.
CREATE FUNCTION paid_invoice_daily_apply(o invoices[], n invoices[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  zero_ws text[];
  zero_days date[];
BEGIN
  WITH d AS (
    SELECT i.workspace_id, (i.paid_at AT TIME ZONE w.timezone)::date AS day, i.currency, i.amount_paid AS amount,
      CASE WHEN i.created > i.paid_at THEN i.created ELSE '-infinity'::timestamptz END AS created_after,
      sum(i.sign)::int AS count
    FROM (SELECT u.*, 1 AS sign FROM unnest(n) u UNION ALL SELECT u.*, -1 FROM unnest(o) u) i
    JOIN workspaces w ON w.id = i.workspace_id
    WHERE i.status = 'paid' AND i.paid_at IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(i.sign) <> 0
    ORDER BY 1, 2, 3, 4, 5
  ), up AS (
    INSERT INTO paid_invoice_daily AS c (workspace_id, day, currency, amount, created_after, count)
    SELECT * FROM d
    ON CONFLICT (workspace_id, day, currency, amount, created_after) DO UPDATE SET count = c.count + excluded.count
    RETURNING c.workspace_id, c.day, c.count
  )
  SELECT array_agg(workspace_id), array_agg(day) INTO zero_ws, zero_days FROM up WHERE count = 0;
  IF zero_ws IS NOT NULL THEN
    DELETE FROM paid_invoice_daily c USING unnest(zero_ws, zero_days) z(workspace_id, day)
    WHERE c.workspace_id = z.workspace_id AND c.day = z.day AND c.count = 0;
  END IF;
END $$;
--> statement-breakpoint
-- One invoice's part in the recovery rollup: the invoice with its first failed attempt, counted `sign` times.
CREATE TYPE payment_recovery_part AS (
  sign int, workspace_id text, currency char(3), status text, paid_at timestamptz, amount_paid bigint,
  created timestamptz, failed_at timestamptz, due bigint
);
--> statement-breakpoint
CREATE FUNCTION payment_recovery_daily_apply(parts payment_recovery_part[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  zero_ws text[];
  zero_days date[];
BEGIN
  WITH d AS (
    SELECT p.workspace_id, (p.failed_at AT TIME ZONE w.timezone)::date AS day, p.currency, p.due,
      CASE WHEN p.status = 'paid' AND p.paid_at IS NOT NULL THEN (p.paid_at AT TIME ZONE w.timezone)::date
        ELSE 'infinity'::date END AS paid_day,
      CASE WHEN p.status = 'paid' AND p.paid_at IS NOT NULL THEN p.amount_paid ELSE 0 END AS amount_paid,
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
-- The parts of some invoices, the old ones counted -1 and the new ones +1, each with its first failed attempt as
-- the failures table holds it now (by time, then event id); invoices without a failure have none.
CREATE FUNCTION payment_recovery_parts(o invoices[], n invoices[]) RETURNS payment_recovery_part[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN array(
    SELECT (i.sign, i.workspace_id, i.currency, i.status, i.paid_at, i.amount_paid, i.created, f.failed_at,
      f.amount_due)::payment_recovery_part
    FROM (SELECT u.*, -1 AS sign FROM unnest(o) u UNION ALL SELECT u.*, 1 FROM unnest(n) u) i
    CROSS JOIN LATERAL (
      SELECT failed_at, amount_due FROM invoice_payment_failures f
      WHERE f.workspace_id = i.workspace_id AND f.invoice_id = i.id
      ORDER BY failed_at, event_id LIMIT 1) f);
END $$;
--> statement-breakpoint
-- Both rollups' parts of some invoices: the old rows' taken out, the new rows' put in.
CREATE FUNCTION invoices_cash_apply(o invoices[], n invoices[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  parts payment_recovery_part[];
BEGIN
  IF cardinality(o) + cardinality(n) = 0 THEN RETURN; END IF;
  PERFORM paid_invoice_daily_apply(o, n);
  parts := payment_recovery_parts(o, n);
  IF cardinality(parts) > 0 THEN PERFORM payment_recovery_daily_apply(parts); END IF;
END $$;
--> statement-breakpoint
-- The trigger functions run with generic plans: a custom plan for each call would cost more than the work. An
-- invoice's parts depend on that invoice alone, so a big statement (a rebuild deleting a workspace's invoices) is
-- applied in chunks of 5,000 rows, with bounded memory.
CREATE FUNCTION invoices_cash_rollups() RETURNS trigger LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  r invoices;
  o invoices[] := '{}';
  n invoices[] := '{}';
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    FOR r IN SELECT * FROM old_rows LOOP
      o := o || r;
      IF cardinality(o) = 5000 THEN
        PERFORM invoices_cash_apply(o, '{}');
        o := '{}';
      END IF;
    END LOOP;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    FOR r IN SELECT * FROM new_rows LOOP
      n := n || r;
      IF cardinality(n) = 5000 THEN
        PERFORM invoices_cash_apply('{}', n);
        n := '{}';
      END IF;
    END LOOP;
  END IF;
  PERFORM invoices_cash_apply(o, n);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER invoices_cash_rollups_insert AFTER INSERT ON invoices REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invoices_cash_rollups();
--> statement-breakpoint
CREATE TRIGGER invoices_cash_rollups_update AFTER UPDATE ON invoices REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invoices_cash_rollups();
--> statement-breakpoint
CREATE TRIGGER invoices_cash_rollups_delete AFTER DELETE ON invoices REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invoices_cash_rollups();
--> statement-breakpoint
-- A failure moves its invoice's part when it changes the invoice's first failed attempt: the part before the
-- statement (the failures without its new rows, with its old ones) comes out, the part after it goes in.
CREATE FUNCTION invoice_payment_failures_cash_rollups() RETURNS trigger LANGUAGE plpgsql
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
    SELECT (p.sign, i.workspace_id, i.currency, i.status, i.paid_at, i.amount_paid, i.created, p.failed_at,
      p.amount_due)::payment_recovery_part
    FROM parts p JOIN invoices i ON i.workspace_id = p.workspace_id AND i.id = p.invoice_id));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER invoice_payment_failures_cash_rollups_insert AFTER INSERT ON invoice_payment_failures
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_payment_failures_cash_rollups();
--> statement-breakpoint
CREATE TRIGGER invoice_payment_failures_cash_rollups_update AFTER UPDATE ON invoice_payment_failures
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_payment_failures_cash_rollups();
--> statement-breakpoint
CREATE TRIGGER invoice_payment_failures_cash_rollups_delete AFTER DELETE ON invoice_payment_failures
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION invoice_payment_failures_cash_rollups();
--> statement-breakpoint
-- Both rollups of a workspace from its invoices and failures: the backfill below, and a change of time zone.
CREATE FUNCTION cash_rollups_rebuild(ws text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  inv invoices[];
  after_id text := '';
BEGIN
  DELETE FROM paid_invoice_daily WHERE workspace_id = ws;
  DELETE FROM payment_recovery_daily WHERE workspace_id = ws;
  LOOP
    SELECT coalesce(array_agg(i ORDER BY i.id), '{}') INTO inv FROM (
      SELECT * FROM invoices WHERE workspace_id = ws AND id > after_id ORDER BY id LIMIT 5000) i;
    EXIT WHEN cardinality(inv) = 0;
    PERFORM invoices_cash_apply('{}', inv);
    after_id := inv[cardinality(inv)].id;
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION workspaces_cash_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cash_rollups_rebuild(NEW.id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER workspaces_cash_rollups AFTER UPDATE OF timezone ON workspaces
  FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) EXECUTE FUNCTION workspaces_cash_rollups();
--> statement-breakpoint
SELECT cash_rollups_rebuild(id) FROM workspaces;
