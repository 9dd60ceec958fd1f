import Link from "next/link";
import type { ReactNode } from "react";

/** Builds an href on `base` with the current params, overriding some (undefined removes a param). */
export function withParams(
  base: string,
  current: Record<string, string | undefined>,
  over: Record<string, string | undefined>,
) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...current, ...over })) if (v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

/** A column header that sorts on the server: a link that sets `sort` and flips `dir`, page back to 1. */
export function SortHeader({
  label,
  sortKey,
  base,
  params,
  current,
  align = "left",
}: {
  label: string;
  sortKey: string;
  base: string;
  params: Record<string, string | undefined>;
  current: { sort: string; dir: "asc" | "desc" };
  align?: "left" | "right";
}) {
  const active = current.sort === sortKey;
  const nextDir =
    active && current.dir === "desc"
      ? "asc"
      : active
        ? "desc"
        : sortKey === "amount" || sortKey === "mrr" || sortKey === "day" || sortKey === "created"
          ? "desc"
          : "asc";
  const aria = active ? (current.dir === "asc" ? "ascending" : "descending") : "none";
  return (
    <th
      scope="col"
      aria-sort={aria}
      className={`px-3 py-2 font-medium text-gray-700 ${align === "right" ? "text-right" : "text-left"}`}
    >
      <Link
        href={withParams(base, params, { sort: sortKey, dir: nextDir, page: undefined })}
        className="hover:underline"
        data-testid={`sort-${sortKey}`}
      >
        {label}
        {active ? <span aria-hidden="true">{current.dir === "asc" ? " ↑" : " ↓"}</span> : null}
      </Link>
    </th>
  );
}

export function Pagination({
  base,
  params,
  page,
  pageSize,
  total,
}: {
  base: string;
  params: Record<string, string | undefined>;
  page: number;
  pageSize: number;
  total: number;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const link = (p: number, label: ReactNode, testId: string) => (
    <Link
      href={withParams(base, params, { page: p === 1 ? undefined : String(p) })}
      className="rounded-md border border-gray-300 px-3 py-1 hover:bg-gray-50"
      data-testid={testId}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label="Pagination" className="mt-3 flex items-center gap-2 text-sm" data-testid="pagination">
      {page > 1 ? link(page - 1, "Previous", "page-prev") : null}
      <span className="text-gray-600">
        Page {page} of {pages}
      </span>
      {page < pages ? link(page + 1, "Next", "page-next") : null}
    </nav>
  );
}

export function TableShell({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-gray-200 bg-white">
      <table className="min-w-full divide-y divide-gray-200 text-sm" data-testid={testId}>
        {children}
      </table>
    </div>
  );
}
