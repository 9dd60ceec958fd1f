import Link from "next/link";

const field = "mt-1 block w-full rounded-md border border-gray-300 bg-white px-2 py-1.5 text-sm shadow-sm";

/**
 * The as-of day and period of the marketing and success views as a plain GET form: the state is the URL, it works
 * without JavaScript, and every control is a native, keyboard-reachable element.
 */
export function McsViewControls({
  action,
  date,
  interval,
  today,
  settingsHref,
}: {
  action: string;
  date: string;
  interval: string;
  today: string;
  /** The KPI settings page, for members who may change them. */
  settingsHref?: string;
}) {
  return (
    <form
      method="get"
      action={action}
      className="flex flex-wrap items-end gap-3 rounded-lg border border-gray-200 bg-white p-4"
      data-testid="view-controls"
    >
      <label className="text-xs font-medium text-gray-700">
        As of
        <input type="date" name="date" defaultValue={date} max={today} className={field} data-testid="control-date" />
      </label>
      <label className="text-xs font-medium text-gray-700">
        Period
        <select name="interval" defaultValue={interval} className={field} data-testid="control-interval">
          <option value="week">Week</option>
          <option value="month">Month</option>
          <option value="quarter">Quarter</option>
          <option value="year">Year</option>
        </select>
      </label>
      <button
        type="submit"
        className="rounded-md bg-blue-700 px-3 py-2 text-sm font-medium text-white hover:bg-blue-800"
        data-testid="control-apply"
      >
        Apply
      </button>
      <Link href={`${action}?interval=${interval}`} className="py-2 text-sm text-blue-700 underline">
        Today
      </Link>
      {settingsHref ? (
        <Link
          href={settingsHref}
          className="ml-auto py-2 text-sm text-blue-700 underline"
          data-testid="kpi-settings-link"
        >
          KPI settings
        </Link>
      ) : null}
    </form>
  );
}
