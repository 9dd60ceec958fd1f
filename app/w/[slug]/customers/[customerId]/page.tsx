import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import {
  findCustomer,
  listCustomerInvoices,
  listCustomerStripeEvents,
  listCustomerSubscriptions,
} from "@/db/queries/customers";
import { UNKNOWN_COUNTRY } from "@/db/queries/dashboard";
import { listMrrChanges } from "@/db/queries/mrr";
import { requireAccess } from "@/lib/auth/access";
import { formatBillingInterval, formatInstant, formatMoney } from "@/lib/format";
import { formatCountry } from "@/lib/kpi/dashboard-params";
import { todayIn } from "@/lib/kpi/today";
import { MoneyAreaChart } from "@/app/_components/charts";
import { TableShell } from "@/app/_components/data-table";

export const metadata = { title: "Customer" };

const KIND_LABEL: Record<string, string> = {
  new: "New",
  expansion: "Expansion",
  contraction: "Contraction",
  churn: "Churn",
  reactivation: "Reactivation",
};
const OUTCOME_STYLE: Record<string, string> = {
  applied: "bg-emerald-100 text-emerald-800",
  ignored: "bg-gray-100 text-gray-700",
  stale: "bg-amber-100 text-amber-800",
  rejected: "bg-rose-100 text-rose-800",
};
const th = "px-3 py-2 text-left font-medium text-gray-700";
const td = "px-3 py-2";

export default async function CustomerPage({ params }: PageProps<"/w/[slug]/customers/[customerId]">) {
  const { slug, customerId: rawId } = await params;
  const { workspace } = await requireAccess(slug, "customers.read");
  const id = decodeURIComponent(rawId);
  const db = await getDb();
  const [customer, ledger, subscriptions, invoices, events] = [
    await findCustomer(workspace.id, db, id),
    await listMrrChanges(workspace.id, db, { to: "9999-12-31", customerIds: [id] }),
    await listCustomerSubscriptions(workspace.id, db, id),
    await listCustomerInvoices(workspace.id, db, id),
    await listCustomerStripeEvents(workspace.id, db, id),
  ];
  if (!customer && ledger.length === 0 && events.length === 0) notFound();
  const today = todayIn(workspace.timezone);
  const cur = workspace.currency;
  const tz = workspace.timezone;
  const past = ledger.filter((r) => r.day <= today);
  const mrrNow = past.at(-1)?.mrr ?? 0;
  // One point per change, plus today, so the chart ends at the current value.
  const chart = [
    ...past.map((r) => ({ day: r.day, MRR: r.mrr })),
    ...(past.length ? [{ day: today, MRR: mrrNow }] : []),
  ];
  const w = `/w/${workspace.slug}`;
  return (
    <div className="space-y-6">
      <nav className="text-sm" aria-label="Breadcrumb">
        <Link href={`${w}/customers`} className="text-blue-700 underline">
          Customers
        </Link>{" "}
        / {id}
      </nav>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold" data-testid="customer-title">
            {customer?.name ?? customer?.email ?? id}
          </h1>
          <p className="text-sm text-gray-600">
            {customer?.email ?? "no email"} · <span className="font-mono">{id}</span> ·{" "}
            <span data-testid="customer-country">{formatCountry(customer?.country ?? UNKNOWN_COUNTRY)}</span>
            {customer?.deleted ? " · deleted in Stripe" : ""}
            {customer?.delinquent ? " · delinquent" : ""}
          </p>
        </div>
        <div className="text-right">
          <p className="text-sm text-gray-600">MRR today</p>
          <p className="text-2xl font-semibold tabular-nums" data-testid="customer-mrr">
            {formatMoney(mrrNow, cur)}
          </p>
        </div>
      </header>

      <section className="rounded-lg border border-gray-200 bg-white p-4">
        <h2 className="font-medium">MRR history</h2>
        {chart.length ? (
          <MoneyAreaChart data={chart} index="day" categories={["MRR"]} currency={cur} testId="customer-mrr-chart" />
        ) : (
          <p className="text-sm text-gray-500">This customer has never paid.</p>
        )}
      </section>

      <section className="space-y-2">
        <h2 className="font-medium">MRR changes</h2>
        <TableShell testId="customer-ledger">
          <thead className="bg-gray-50">
            <tr>
              <th className={th}>Day</th>
              <th className={th}>Movement</th>
              <th className={`${th} text-right`}>Amount</th>
              <th className={`${th} text-right`}>MRR after</th>
              <th className={th}>Caused by</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {ledger.map((r) => (
              <tr key={r.day} data-testid={`ledger-${r.day}`}>
                <td className={`${td} tabular-nums`}>
                  {r.day}
                  {r.day > today ? (
                    <span className="ml-2 rounded bg-gray-100 px-1.5 text-xs text-gray-600">scheduled</span>
                  ) : null}
                </td>
                <td className={td}>{r.kind ? KIND_LABEL[r.kind] : r.trialing ? "Trial" : "No MRR change"}</td>
                <td className={`${td} text-right tabular-nums`}>
                  {r.kind ? formatMoney(r.amount, cur, { signed: true }) : "—"}
                </td>
                <td className={`${td} text-right tabular-nums`}>{formatMoney(r.mrr, cur)}</td>
                <td className={`${td} font-mono text-xs`}>
                  {r.eventIds.map((e) => (
                    <a key={e} href={`#event-${e}`} className="mr-2 text-blue-700 hover:underline">
                      {e}
                    </a>
                  ))}
                  {r.warnings.length ? <span className="text-amber-700">{r.warnings.join(", ")}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </TableShell>
      </section>

      <section className="space-y-2">
        <h2 className="font-medium">Subscriptions</h2>
        <TableShell testId="customer-subscriptions">
          <thead className="bg-gray-50">
            <tr>
              <th className={th}>Subscription</th>
              <th className={th}>Status</th>
              <th className={th}>Items</th>
              <th className={th}>Discounts</th>
              <th className={th}>Current period ends</th>
              <th className={th}>Cancellation</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {subscriptions.map((s) => (
              <tr key={s.id}>
                <td className={`${td} font-mono text-xs`}>{s.id}</td>
                <td className={td}>{s.status}</td>
                <td className={td}>
                  {s.state.items.map((i) => (
                    <span key={i.id} className="block">
                      {s.products[i.price.productId ?? ""] ?? i.price.nickname ?? i.price.id} × {i.quantity} ·{" "}
                      {formatBillingInterval(`${i.price.interval}:${i.price.intervalCount}`)} ·{" "}
                      {i.price.unitAmountDecimal
                        ? formatMoney(Number(i.price.unitAmountDecimal), i.price.currency)
                        : "tiered"}
                    </span>
                  ))}
                </td>
                <td className={td}>
                  {[...s.state.discounts, ...s.state.items.flatMap((i) => i.discounts)].map((d) => (
                    <span key={d.id} className="block text-xs">
                      {d.coupon.id}:{" "}
                      {d.coupon.percentOff
                        ? `${d.coupon.percentOff}% off`
                        : d.coupon.amountOff
                          ? `${formatMoney(d.coupon.amountOff, d.coupon.currency ?? s.currency)} off`
                          : ""}{" "}
                      {d.coupon.duration}
                      {d.end ? ` until ${formatInstant(d.end, tz)}` : ""}
                    </span>
                  ))}
                </td>
                <td className={td}>{s.currentPeriodEnd ? formatInstant(s.currentPeriodEnd, tz) : "—"}</td>
                <td className={td}>
                  {s.endedAt
                    ? `ended ${formatInstant(s.endedAt, tz)}`
                    : s.cancelAtPeriodEnd
                      ? "at period end"
                      : s.canceledAt
                        ? `requested ${formatInstant(s.canceledAt, tz)}`
                        : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </TableShell>
        {subscriptions.length === 0 ? (
          <p className="text-sm text-gray-500">No subscriptions in the projection.</p>
        ) : null}
      </section>

      <section className="space-y-2">
        <h2 className="font-medium">Invoices</h2>
        <TableShell testId="customer-invoices">
          <thead className="bg-gray-50">
            <tr>
              <th className={th}>Invoice</th>
              <th className={th}>Created</th>
              <th className={th}>Status</th>
              <th className={th}>Reason</th>
              <th className={`${th} text-right`}>Due</th>
              <th className={`${th} text-right`}>Paid</th>
              <th className={th}>Paid at</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {invoices.map((i) => (
              <tr key={i.id}>
                <td className={`${td} font-mono text-xs`}>{i.id}</td>
                <td className={td}>{formatInstant(i.created, tz)}</td>
                <td className={td}>
                  {i.status ?? "—"}
                  {i.attemptCount > 1 ? ` (${i.attemptCount} attempts)` : ""}
                </td>
                <td className={td}>{i.billingReason ?? "—"}</td>
                <td className={`${td} text-right tabular-nums`}>{formatMoney(i.amountDue, i.currency)}</td>
                <td className={`${td} text-right tabular-nums`}>{formatMoney(i.amountPaid, i.currency)}</td>
                <td className={td}>{i.paidAt ? formatInstant(i.paidAt, tz) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </TableShell>
        {invoices.length === 0 ? <p className="text-sm text-gray-500">No invoices.</p> : null}
      </section>

      <section className="space-y-2">
        <h2 className="font-medium">Stripe events</h2>
        <p className="text-xs text-gray-500">
          Every stored event about this customer, with what Northstar did with it: applied, ignored (a type we do not
          use), stale (older than the state already held) or rejected (failed validation).
        </p>
        <TableShell testId="customer-events">
          <thead className="bg-gray-50">
            <tr>
              <th className={th}>Event</th>
              <th className={th}>Type</th>
              <th className={th}>Created</th>
              <th className={th}>Outcome</th>
              <th className={th}>Reason</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {events.map((e) => (
              <tr
                key={`${e.connectionId}-${e.id}`}
                id={`event-${e.id}`}
                data-testid={`event-${e.id}`}
                className="target:bg-yellow-50"
              >
                <td className={`${td} font-mono text-xs`}>{e.id}</td>
                <td className={td}>{e.type}</td>
                <td className={td}>{formatInstant(e.created, tz)}</td>
                <td className={td}>
                  <span
                    className={`rounded px-1.5 py-0.5 text-xs ${OUTCOME_STYLE[e.outcome ?? ""] ?? "bg-gray-100 text-gray-600"}`}
                  >
                    {e.outcome ?? "pending"}
                  </span>
                </td>
                <td className={`${td} text-xs text-gray-600`}>{e.reason ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </TableShell>
        {events.length === 0 ? (
          <p className="text-sm text-gray-500">No stored Stripe events mention this customer.</p>
        ) : null}
      </section>
    </div>
  );
}
