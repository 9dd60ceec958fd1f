import Link from "next/link";
import { getDb } from "@/db/client";
import { listMovementRows, type MovementSort } from "@/db/queries/dashboard";
import { requireAccess } from "@/lib/auth/access";
import { formatDay, formatMoney } from "@/lib/format";
import { parseFinanceParams, parseListParams, toFinanceQuery } from "@/lib/kpi/dashboard-params";
import { Pagination, SortHeader, TableShell } from "@/app/_components/data-table";
import { EmptyRange } from "@/app/_components/empty-state";

export const metadata = { title: "MRR movements" };

const SORTS: readonly MovementSort[] = ["day", "amount", "customer", "kind"];
const KIND_LABEL: Record<string, string> = {
  new: "New",
  expansion: "Expansion",
  contraction: "Contraction",
  churn: "Churn",
  reactivation: "Reactivation",
};

/** The movements behind a number or a chart bar: customer, day, amount and the Stripe events that caused it. */
export default async function MovementsPage({ params, searchParams }: PageProps<"/w/[slug]/finance/movements">) {
  // Movements name customers, so the drill-down needs both permissions (finance members have both).
  const { workspace } = await requireAccess((await params).slug, "finance.read");
  await requireAccess(workspace.slug, "customers.read");
  const sp = await searchParams;
  const view = parseFinanceParams(sp, workspace.timezone);
  const list = parseListParams(sp, SORTS, "day");
  const from = view.from;
  const result = await listMovementRows(workspace.id, await getDb(), {
    from,
    to: view.to,
    kinds: list.kinds,
    filter: view.filter,
    sort: list.sort,
    dir: list.dir,
    limit: list.limit,
    offset: list.offset,
  });
  const w = `/w/${workspace.slug}`;
  const base = `${w}/finance/movements`;
  const current: Record<string, string | undefined> = {
    from,
    to: view.to,
    kind: list.kinds.join(",") || undefined,
    plan: view.filter.plan,
    billing: view.filter.billing,
    currency: view.filter.currency,
    country: view.filter.country,
    sort: list.sort,
    dir: list.dir,
  };
  const cur = workspace.currency;
  const kindsText = list.kinds.length ? list.kinds.map((k) => KIND_LABEL[k]).join(" and ") : "All";
  const exportHref = `${w}/finance/export${toFinanceQuery({ from, to: view.to, filter: view.filter }, { type: "movements", kind: current.kind, sort: list.sort, dir: list.dir })}`;
  return (
    <div className="space-y-4">
      <nav className="text-sm" aria-label="Breadcrumb">
        <Link href={`${w}/finance${toFinanceQuery({ filter: view.filter })}`} className="text-blue-700 underline">
          Finance
        </Link>{" "}
        / Movements
      </nav>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold" data-testid="movements-title">
          {kindsText} movements, {formatDay(from)} – {formatDay(view.to)}
        </h1>
        <a href={exportHref} className="text-sm text-blue-700 underline" data-testid="export-csv">
          Export CSV
        </a>
      </div>
      <p className="text-sm text-gray-600" data-testid="movements-summary">
        {result.total} {result.total === 1 ? "movement" : "movements"}, net{" "}
        <strong>{formatMoney(result.sum, cur, { signed: true })}</strong>
      </p>
      {result.total === 0 ? (
        <EmptyRange what="movements" testId="movements-empty" />
      ) : (
        <TableShell testId="movements-list">
          <thead className="bg-gray-50">
            <tr>
              <SortHeader label="Customer" sortKey="customer" base={base} params={current} current={list} />
              <SortHeader label="Day" sortKey="day" base={base} params={current} current={list} />
              <SortHeader label="Movement" sortKey="kind" base={base} params={current} current={list} />
              <SortHeader label="Amount" sortKey="amount" base={base} params={current} current={list} align="right" />
              <th scope="col" className="px-3 py-2 text-right font-medium text-gray-700">
                MRR before → after
              </th>
              <th scope="col" className="px-3 py-2 text-left font-medium text-gray-700">
                Stripe events
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {result.rows.map((r) => (
              <tr key={`${r.customerId}-${r.day}`} data-testid={`movement-${r.customerId}-${r.day}`}>
                <td className="px-3 py-2">
                  <Link
                    href={`${w}/customers/${encodeURIComponent(r.customerId)}`}
                    className="text-blue-700 hover:underline"
                    data-testid="movement-customer"
                  >
                    {r.name ?? r.email ?? r.customerId}
                  </Link>
                  {r.name || r.email ? <span className="block text-xs text-gray-500">{r.customerId}</span> : null}
                </td>
                <td className="px-3 py-2 tabular-nums">{r.day}</td>
                <td className="px-3 py-2">{KIND_LABEL[r.kind]}</td>
                <td
                  className={`px-3 py-2 text-right tabular-nums ${r.amount >= 0 ? "text-emerald-700" : "text-rose-700"}`}
                >
                  {formatMoney(r.amount, cur, { signed: true })}
                </td>
                <td className="px-3 py-2 text-right tabular-nums text-gray-600">
                  {formatMoney(r.previousMrr, cur)} → {formatMoney(r.mrr, cur)}
                </td>
                <td className="px-3 py-2 font-mono text-xs">
                  {r.eventIds.length === 0
                    ? "—"
                    : r.eventIds.map((id) => (
                        <Link
                          key={id}
                          href={`${w}/customers/${encodeURIComponent(r.customerId)}#event-${id}`}
                          className="mr-2 text-blue-700 hover:underline"
                          data-testid="movement-event"
                        >
                          {id}
                        </Link>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </TableShell>
      )}
      <Pagination base={base} params={current} page={list.page} pageSize={list.limit} total={result.total} />
    </div>
  );
}
