ALTER TABLE "subscription_versions" ADD COLUMN "repeats" boolean;--> statement-breakpoint
-- ADR 0015. Judge the stored versions once: a version repeats when its state equals the state of the version
-- before it in the subscription's (valid_from, event_key) order. Done before the index exists, so the index is
-- built once, on the judged rows.
UPDATE "subscription_versions" v SET "repeats" = j.repeats
FROM (
  SELECT workspace_id, subscription_id, event_id,
    coalesce(state = lag(state) OVER (PARTITION BY workspace_id, subscription_id ORDER BY valid_from, event_key), false) AS repeats
  FROM "subscription_versions"
) j
WHERE v.workspace_id = j.workspace_id AND v.subscription_id = j.subscription_id AND v.event_id = j.event_id;--> statement-breakpoint
CREATE INDEX "subscription_versions_changes_idx" ON "subscription_versions" USING btree ("workspace_id","customer_id","valid_from","event_key") WHERE repeats is not true;--> statement-breakpoint
-- A version whose state changes (pastDueSince recomputed, a discount or coupon resolved later) is judged again, and
-- so is the one after it: the customer's next ledger refresh reads both (db/queries/ledger-refresh.ts).
CREATE FUNCTION subscription_versions_unjudge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.repeats := NULL;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER subscription_versions_state_changed BEFORE UPDATE OF state ON "subscription_versions"
  FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION subscription_versions_unjudge();
