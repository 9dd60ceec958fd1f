import type { Executor } from "@/db/client";
import { auditLog } from "@/db/schema";
import { newId } from "@/lib/ids";
import type { Ctx } from "./context";

/** One audit row, written in the same transaction as the change it records. Details hold ids, never secrets. */
export async function insertAudit(
  tx: Executor,
  ctx: Pick<Ctx, "actorUserId"> & { workspace: Pick<Ctx["workspace"], "id"> },
  action: string,
  target: string | null,
  details: Record<string, unknown> = {},
) {
  await tx.insert(auditLog).values({
    workspaceId: ctx.workspace.id,
    id: newId("aud"),
    actorUserId: ctx.actorUserId,
    action,
    target,
    details,
  });
}
