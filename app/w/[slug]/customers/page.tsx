import Link from "next/link";
import { getDb } from "@/db/client";
import { listCustomerPage, type CustomerSort } from "@/db/queries/customers";
import { requireAccess } from "@/lib/auth/access";
import { formatBillingInterval, formatDay, formatMoney } from "@/lib/format";
import { formatCountry, parseFinanceParams, parseListParams, toFinanceQuery } from "@/lib/kpi/dashboard-params";
import { Pagination, SortHeader, TableShell } from "@/app/_components/data-table";

export const metadata = { title: "Customers" };

const SORTS: readonly CustomerSort[] = ["mrr", "name", "email", "created", "plan"];

export default async function CustomersPage({ params, searchParams }: PageProps<"/w/[slug]/customers">) {
  const { workspace } = await requireAccess((await params).slug, "customers.read");
  const sp = await searchParams;
  // The finance view's filters and as-of day apply here too, so a drill-down keeps its context.
  const view = parseFinanceParams({ ...sp, to: sp.asOf }, workspace.timezone);
  const list = parseListParams(sp, SORTS, "mrr");
  const result = await listCustomerPage(workspace.id, await getDb(), {
    asOf: view.to,
    ...(list.q ? { q: list.q } : {}),
    status: list.status,
    filter: view.filter,
    ...(list.cohort ? { cohort: list.cohort } : {}),
    sort: list.sort,
    dir: list.dir,
    limit: list.limit,
    offset: list.offset,
  });
  const w = `/w/${workspace.slug}`;
  const base = `${w}/customers`;
  const current: Record<string, string | undefined> = {
    asOf: typeof sp.asOf === "string" ? view.to : undefined,
    q: list.q,
    status: list.status === "all" ? undefined : list.status,
    cohort: list.cohort,
    plan: view.filter.plan,
    billing: view.filter.billing,
    currency: view.filter.currency,
    country: view.filter.country,
    sort: list.sort,
    dir: list.dir,
  };
  const cur = workspace.currency;
  const exportHref = `${w}/finance/export${toFinanceQuery({ to: view.to, filter: view.filter }, { type: "customers", q: list.q, status: current.status, cohort: list.cohort, sort: list.sort, dir: list.dir })}`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold" data-testid="customers-title">
          Customers{list.status === "paying" ? " paying" : ""}
          {list.cohort ? `, cohort ${list.cohort}` : ""}
          {view.filter.country ? `, ${formatCountry(view.filter.country)}` : ""} as of {formatDay(view.to)}
        </h1>
        <a href={exportHref} className="text-sm text-blue-700 underline" data-testid="export-csv">
          Export CSV
        </a>
      </div>
      <form method="get" action={base} className="flex flex-wrap items-end gap-3 text-sm">
        {Object.entries(current)
          .filter(([k, v]) => v !== undefined && k !== "q" && k !== "status")
          .map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
        <label className="text-xs font-medium text-gray-700">
          Search
          <input
            name="q"
            defaultValue={list.q ?? ""}
            placeholder="Name, email or cus_…"
            className="mt-1 block rounded-md border border-gray-300 px-2 py-1.5 text-sm"
            data-testid="customer-search"
          />
        </label>
        <label className="text-xs font-medium text-gray-700">
          Show
          <select
            name="status"
            defaultValue={list.status}
            className="mt-1 block rounded-md border border-gray-300 bg-white px-2 py-1.5 text-sm"
          >
            <option value="all">All customers</option>
            <option value="paying">Paying only</option>
          </select>
        </label>
        <button type="submit" className="rounded-md bg-blue-700 px-3 py-2 font-medium text-white hover:bg-blue-800">
          Search
        </button>
      </form>
      <p className="text-sm text-gray-600" data-testid="customers-summary">
        {result.total} customers, {formatMoney(result.totalMrr, cur)} MRR
      </p>
      <TableShell testId="customers-list">
        <thead className="bg-gray-50">
          <tr>
            <SortHeader label="Customer" sortKey="name" base={base} params={current} current={list} />
            <SortHeader label="Email" sortKey="email" base={base} params={current} current={list} />
            <SortHeader label="Plan" sortKey="plan" base={base} params={current} current={list} />
            <th scope="col" className="px-3 py-2 text-left font-medium text-gray-700">
              Billing
            </th>
            <th scope="col" className="px-3 py-2 text-left font-medium text-gray-700">
              Country
            </th>
            <SortHeader label="MRR" sortKey="mrr" base={base} params={current} current={list} align="right" />
            <SortHeader label="Since" sortKey="created" base={base} params={current} current={list} />
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {result.rows.map((c) => (
            <tr key={c.id} data-testid={`customer-row-${c.id}`}>
              <td className="px-3 py-2">
                <Link href={`${base}/${encodeURIComponent(c.id)}`} className="text-blue-700 hover:underline">
                  {c.name ?? c.id}
                </Link>
                {c.trialing && c.mrr === 0 ? (
                  <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs text-amber-800">trial</span>
                ) : null}
              </td>
              <td className="px-3 py-2 text-gray-600">{c.email ?? "—"}</td>
              <td className="px-3 py-2">{c.plan ?? "—"}</td>
              <td className="px-3 py-2">{formatBillingInterval(c.billing)}</td>
              <td className="px-3 py-2" title={c.country ? formatCountry(c.country) : "Unknown country"}>
                {c.country ?? "—"}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatMoney(c.mrr, cur)}</td>
              <td className="px-3 py-2 tabular-nums text-gray-600">
                {c.created ? c.created.toISOString().slice(0, 10) : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </TableShell>
      {result.total === 0 ? (
        <p className="text-sm text-gray-500" data-testid="customers-empty">
          No customers match. Customers appear when Stripe sends their first event.
        </p>
      ) : null}
      <Pagination base={base} params={current} page={list.page} pageSize={list.limit} total={result.total} />
    </div>
  );
}
