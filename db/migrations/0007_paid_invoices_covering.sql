DROP INDEX "invoices_paid_idx";--> statement-breakpoint
CREATE INDEX "invoices_paid_idx" ON "invoices" USING btree ("workspace_id","paid_at","status","currency","amount_paid","created");