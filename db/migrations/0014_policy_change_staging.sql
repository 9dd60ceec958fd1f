-- A policy change's computed difference, staged batch by batch and moved into the ledger at the swap (ADR 0017).
-- Unlogged: a crash empties it, and the change then computes again (the swap checks every staged row is there).
CREATE UNLOGGED TABLE "ledger_staged_changes" (
	"workspace_id" text NOT NULL,
	"run_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"rows" jsonb NOT NULL,
	"deletes" jsonb NOT NULL,
	"marks" jsonb NOT NULL,
	"unmarks" jsonb NOT NULL,
	CONSTRAINT "ledger_staged_changes_workspace_id_run_id_customer_id_pk" PRIMARY KEY("workspace_id","run_id","customer_id")
);
--> statement-breakpoint
ALTER TABLE "ledger_staged_changes" ADD CONSTRAINT "ledger_staged_changes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;