import Link from "next/link";
import { formatBillingInterval } from "@/lib/format";

type Options = {
  plans: { id: string; name: string }[];
  billing: string[];
  currencies: string[];
  /** Filter values with their labels ("DE" → "Germany (DE)"), in display order. */
  countries: { value: string; label: string }[];
};
type Values = {
  from: string;
  to: string;
  interval: string;
  plan?: string;
  billing?: string;
  currency?: string;
  country?: string;
  compare: boolean;
};

const field = "mt-1 block w-full rounded-md border border-gray-300 bg-white px-2 py-1.5 text-sm shadow-sm";

/** One customer filter: "all" (empty, no filter) or one value. The test id is `control-<name>`. */
function FilterSelect({
  label,
  name,
  value,
  all,
  options,
}: {
  label: string;
  name: string;
  value: string | undefined;
  all: string;
  options: { value: string; label: string }[];
}) {
  return (
    <label className="text-xs font-medium text-gray-700">
      {label}
      <select name={name} defaultValue={value ?? ""} className={field} data-testid={`control-${name}`}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

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
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5 2xl:grid-cols-9">
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
        <FilterSelect
          label="Plan"
          name="plan"
          value={values.plan}
          all="All plans"
          options={options.plans.map((p) => ({ value: p.id, label: p.name }))}
        />
        <FilterSelect
          label="Billing interval"
          name="billing"
          value={values.billing}
          all="All intervals"
          options={options.billing.map((b) => ({ value: b, label: formatBillingInterval(b) }))}
        />
        <FilterSelect
          label="Currency"
          name="currency"
          value={values.currency}
          all="All currencies"
          options={options.currencies.map((c) => ({ value: c, label: c.toUpperCase() }))}
        />
        <FilterSelect
          label="Country"
          name="country"
          value={values.country}
          all="All countries"
          options={options.countries}
        />
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
        Filters combine; country is the customer&apos;s billing address, else its shipping address.
        {presets.map((p) => (
          <Link key={p.label} href={p.href} className="ml-3 text-blue-700 underline">
            {p.label}
          </Link>
        ))}
      </p>
    </form>
  );
}
