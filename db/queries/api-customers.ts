import { and, asc, eq, sql } from "drizzle-orm";
import type { SubscriptionState } from "@/lib/metrics/types";
import type { SubscriptionRecord } from "@/lib/stripe/types";
import { rowsOf, type Executor } from "../client";
import { customers, mrrChanges } from "../schema";

/**
 * The customer record, its subscriptions as they stood at `before` (each one's version in force then; a
 * subscription that began later is left out), and its MRR history, for the read API. The history is whole: the
 * caller cuts it at its as-of day.
 */
export async function findCustomerDetail(workspaceId: string, db: Executor, customerId: string, before: Date) {
  const [[customer], subs, history] = await Promise.all([
    db
      .select({
        id: customers.id,
        email: customers.email,
        name: customers.name,
        currency: customers.currency,
        created: customers.created,
        deleted: customers.deleted,
        lastEventCreated: customers.lastEventCreated,
      })
      .from(customers)
      .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId))),
    db.execute(sql`
      select v.state, v.source, s.created
      from (
        select distinct on (subscription_id) subscription_id, state, source from subscription_versions
        where workspace_id = ${workspaceId} and customer_id = ${customerId} and valid_from < ${before.toISOString()}
        order by subscription_id, valid_from desc, event_key desc
      ) v
      join subscriptions s on s.workspace_id = ${workspaceId} and s.id = v.subscription_id
      order by s.created, v.subscription_id`),
    db
      .select()
      .from(mrrChanges)
      .where(and(eq(mrrChanges.workspaceId, workspaceId), eq(mrrChanges.customerId, customerId)))
      .orderBy(asc(mrrChanges.day)),
  ]);
  const subscriptions = rowsOf<{ state: SubscriptionState; source: SubscriptionRecord; created: string | Date }>(
    subs,
  ).map((r) => ({ state: r.state, source: r.source, created: new Date(r.created) }));
  if (!customer && subscriptions.length === 0 && history.length === 0) return undefined;
  return { customer, subscriptions, history };
}
