import Link from "next/link";
import { formatBillingInterval } from "@/lib/format";

type Options = { plans: { id: string; name: string }[]; billing: string[]; currencies: string[] };
type Values = {
  from: string;
  to: string;
  interval: string;
  plan?: string;
  billing?: string;
  currency?: string;
  compare: boolean;
};

const field = "mt-1 block w-full rounded-md border border-gray-300 bg-white px-2 py-1.5 text-sm shadow-sm";

/**
 * The finance view's controls as a plain GET form: the state is the URL (shareable, back-button friendly), it works
 * without JavaScript, and every control is a native, keyboard-reachable element.
 */
export function RangeControls({
  action,
  values,
  options,
  presets,
}: {
  action: string;
  values: Values;
  options: Options;
  presets: { label: string; href: string }[];
}) {
  return (
    <form
      method="get"
      action={action}
      className="rounded-lg border border-gray-200 bg-white p-4"
      data-testid="range-controls"
    >
      <div className="grid grid-cols-2 gap-3 md:grid-cols-8">
        <label className="text-xs font-medium text-gray-700">
          From
          <input type="date" name="from" defaultValue={values.from} className={field} data-testid="control-from" />
        </label>
        <label className="text-xs font-medium text-gray-700">
          To
          <input type="date" name="to" defaultValue={values.to} className={field} data-testid="control-to" />
        </label>
        <label className="text-xs font-medium text-gray-700">
          Interval
          <select name="interval" defaultValue={values.interval} className={field} data-testid="control-interval">
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
            <option value="quarter">Quarter</option>
          </select>
        </label>
        <label className="text-xs font-medium text-gray-700">
          Plan
          <select name="plan" defaultValue={values.plan ?? ""} className={field} data-testid="control-plan">
            <option value="">All plans</option>
            {options.plans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-gray-700">
          Billing interval
          <select name="billing" defaultValue={values.billing ?? ""} className={field} data-testid="control-billing">
            <option value="">All intervals</option>
            {options.billing.map((b) => (
              <option key={b} value={b}>
                {formatBillingInterval(b)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-gray-700">
          Currency
          <select name="currency" defaultValue={values.currency ?? ""} className={field} data-testid="control-currency">
            <option value="">All currencies</option>
            {options.currencies.map((c) => (
              <option key={c} value={c}>
                {c.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="text-xs font-medium text-gray-700">
          Compare
          <select
            name="compare"
            defaultValue={values.compare ? "1" : "0"}
            className={field}
            data-testid="control-compare"
          >
            <option value="1">Previous period</option>
            <option value="0">No comparison</option>
          </select>
        </label>
        <div className="flex items-end">
          <button
            type="submit"
            className="w-full rounded-md bg-blue-700 px-3 py-2 text-sm font-medium text-white hover:bg-blue-800"
            data-testid="control-apply"
          >
            Apply
          </button>
        </div>
      </div>
      <p className="mt-2 text-xs text-gray-500">
        Country: not available yet (the Stripe projection does not store customer addresses).
        {presets.map((p) => (
          <Link key={p.label} href={p.href} className="ml-3 text-blue-700 underline">
            {p.label}
          </Link>
        ))}
      </p>
    </form>
  );
}
