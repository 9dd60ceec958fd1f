// credit_note.created / credit_note.updated / credit_note.voided
import { upsertCreditNote } from "@/db/queries/stripe-projection";
import { normalizeCreditNote } from "../normalize/credit-note";
import { appliedOrStale, date, freshness, rejected, type Handler } from "./context";

export const applyCreditNoteEvent: Handler = async (ctx) => {
  const n = normalizeCreditNote(ctx.event.data.object);
  if (!n.ok) return rejected(n);
  const c = n.value;
  const applied = await upsertCreditNote(ctx.workspaceId, ctx.tx, {
    ...c,
    created: new Date(c.created),
    voidedAt: date(c.voidedAt),
    ...freshness(ctx, c.status === "void" ? 1 : 0),
  });
  return appliedOrStale(applied, c.customerId ? [c.customerId] : []);
};
