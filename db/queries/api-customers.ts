import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { customers, mrrChanges, subscriptions } from "../schema";

/** The customer record, its subscriptions (latest state) and its MRR history, for the read API. */
export async function findCustomerDetail(workspaceId: string, db: Executor, customerId: string) {
  const [customer] = await db
    .select({
      id: customers.id,
      email: customers.email,
      name: customers.name,
      currency: customers.currency,
      created: customers.created,
      deleted: customers.deleted,
    })
    .from(customers)
    .where(and(eq(customers.workspaceId, workspaceId), eq(customers.id, customerId)));
  const [subs, history] = await Promise.all([
    db
      .select({
        state: subscriptions.state,
        created: subscriptions.created,
        status: subscriptions.status,
        currentPeriodEnd: subscriptions.currentPeriodEnd,
      })
      .from(subscriptions)
      .where(and(eq(subscriptions.workspaceId, workspaceId), eq(subscriptions.customerId, customerId)))
      .orderBy(asc(subscriptions.created)),
    db
      .select()
      .from(mrrChanges)
      .where(and(eq(mrrChanges.workspaceId, workspaceId), eq(mrrChanges.customerId, customerId)))
      .orderBy(asc(mrrChanges.day)),
  ]);
  if (!customer && subs.length === 0) return undefined;
  return { customer, subscriptions: subs, history };
}
