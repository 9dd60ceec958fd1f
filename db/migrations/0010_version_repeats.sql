-- ADR 0015. The stored versions start as "not a repeat", which is always safe (the refresh reads them) and needs
-- no rewrite of the table: a constant default is kept in the catalog. Each customer's next ledger refresh judges its
-- versions and stores the repeats it finds. New versions get no default: the insert judges them, or leaves null.
ALTER TABLE "subscription_versions" ADD COLUMN "repeats" boolean DEFAULT false;--> statement-breakpoint
ALTER TABLE "subscription_versions" ALTER COLUMN "repeats" DROP DEFAULT;--> statement-breakpoint
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
