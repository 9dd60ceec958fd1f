-- ADR 0016. A workspace's configuration lock: every transaction that writes what the ledger or the cash rollups
-- derive (a Stripe event, a backfill page) holds it shared from its first statement; every change of what they
-- derive it with (time zone, currency, policies, FX rates) and every rebuild holds it exclusively. The advisory key
-- is (7428002, hashtext(workspace id)); 7428001 is the migrations' lock.
--
-- northstar_config_shared takes the shared lock and then reads the ledger context (time zone, currency, policies,
-- settings, FX rates). It is VOLATILE plpgsql, so its read takes a snapshot of its own, after the lock: the context
-- it returns is the one the transaction will hold until it commits, even when the calling statement's snapshot is
-- older. Without the context (with_context false) it returns one row of nulls. A wait longer than `wait` (a
-- configuration change or a rebuild in progress) fails with lock_not_available (55P03), so a webhook answers 503 and
-- Stripe retries later, instead of holding a connection for the length of a rebuild.
--
-- With `customer`, it then takes that customer's ledger lock (exclusive, the key of lib/kpi/ledger.ts, no bound on
-- the wait), so an event of one customer waits for another event of that customer before it writes anything: its
-- projection sees the other's rows, and neither holds a row the other's ledger refresh needs (ADR 0016).
CREATE FUNCTION northstar_config_shared(ws text, with_context boolean, customer text DEFAULT NULL,
  wait interval DEFAULT interval '5 seconds')
RETURNS TABLE (timezone text, currency text, policy jsonb, settings jsonb, fx json)
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
    RETURN QUERY SELECT NULL::text, NULL::text, NULL::jsonb, NULL::jsonb, NULL::json;
    RETURN;
  END IF;
  RETURN QUERY
    SELECT w.timezone, w.currency::text, ms.policy, ms.settings,
      (SELECT json_agg(json_build_object('currency', f.currency, 'rateDate', f.rate_date::text, 'rate', f.rate)
                       ORDER BY f.currency, f.rate_date)
         FROM fx_rates f WHERE f.workspace_id = w.id)
    FROM (SELECT 1) AS one
    LEFT JOIN workspaces w ON w.id = ws
    LEFT JOIN metric_settings ms ON ms.workspace_id = w.id;
END
$$;
