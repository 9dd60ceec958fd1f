"use client";

// The client side of every dashboard chart. recharts draws in the browser, and Tremor's value formatters are
// functions, which a server component cannot pass down: pages name a `format` kind instead, and `Chart`,
// `ChartBarList` and `ChartDonut` build the formatter here. The named charts below are those settings, fixed once
// per kind of reading. Every chart takes plain data and, for drill-down, plain hrefs per point.

import { AreaChart, BarChart, BarList, DonutChart, LineChart, SparkAreaChart, type Color } from "@tremor/react";
import { useRouter } from "next/navigation";
import { formatCount, formatMoney, formatPercent } from "@/lib/format";
import { formatDuration, formatPoints } from "./mcs-format";

type Row = Record<string, string | number | null>;
/** links[indexValue][category] → href of the list behind that point; "*" for any category. */
type Links = Record<string, Record<string, string>>;

/** How values read on axes and tooltips. Money needs the currency; "compact" kinds shorten for axes ($1.2K). */
export type ValueFormat =
  | { format: "money" | "moneyCompact"; currency: string }
  | { format: "percent" | "count" | "points" | "duration"; currency?: never };

function toFormatter({ format, currency }: ValueFormat): (v: number) => string {
  switch (format) {
    case "money":
      return (v) => formatMoney(Math.round(v), currency);
    case "moneyCompact":
      return (v) => formatMoney(Math.round(v), currency, { compact: true });
    case "percent":
      return (v) => formatPercent(v, { digits: 1 });
    case "count":
      return (v) => formatCount(v);
    case "points":
      return (v) => formatPoints(v);
    case "duration":
      return (v) => formatDuration(v, { compact: true });
  }
}

const PALETTE: Color[] = ["blue", "emerald", "amber", "violet", "rose", "cyan", "slate", "fuchsia"];

function useDrill(links: Links | undefined, index: string) {
  const router = useRouter();
  if (!links) return undefined;
  return (v: unknown) => {
    const e = v as (Row & { categoryClicked?: string }) | null | undefined;
    if (!e) return;
    const key = String(e[index] ?? "");
    const href = links[key]?.[e.categoryClicked ?? ""] ?? links[key]?.["*"];
    if (href) router.push(href);
  };
}

type SeriesProps = {
  data: Row[];
  index: string;
  categories: string[];
  colors?: Color[];
  links?: Links;
  testId?: string;
};

export type ChartProps = SeriesProps &
  ValueFormat & {
    type: "area" | "bar" | "line";
    /** Tailwind height class of the plot. */
    height?: "h-48" | "h-56" | "h-64" | "h-72";
    yAxisWidth?: number;
    /** Bars or areas stacked (with negative values below zero). */
    stack?: boolean;
    /** Bars only: "vertical" draws horizontal bars, one per index value. */
    layout?: "horizontal" | "vertical";
    minValue?: number;
    maxValue?: number;
    allowDecimals?: boolean;
    showLegend?: boolean;
    /** Areas and lines: false keeps a null (an undefined rate) as a gap instead of joining over it. */
    connectNulls?: boolean;
  };

/** A series over an index (periods, days, stages) as areas, bars or lines. */
export function Chart({
  type,
  data,
  index,
  categories,
  colors = PALETTE,
  links,
  testId,
  height = "h-64",
  yAxisWidth = 56,
  stack = false,
  layout = "horizontal",
  minValue,
  maxValue,
  allowDecimals = true,
  showLegend = true,
  connectNulls = false,
  ...format
}: ChartProps) {
  const onValueChange = useDrill(links, index);
  const common = {
    data,
    index,
    categories,
    colors,
    valueFormatter: toFormatter(format as ValueFormat),
    yAxisWidth,
    allowDecimals,
    showLegend,
    className: height,
    ...(minValue === undefined ? {} : { minValue }),
    ...(maxValue === undefined ? {} : { maxValue }),
    ...(onValueChange ? { onValueChange } : {}),
  };
  return (
    <div data-testid={testId}>
      {type === "bar" ? (
        <BarChart {...common} stack={stack} layout={layout} />
      ) : type === "area" ? (
        <AreaChart {...common} stack={stack} connectNulls={connectNulls} />
      ) : (
        <LineChart {...common} connectNulls={connectNulls} />
      )}
    </div>
  );
}

/** Ranked rows with a value each (a breakdown); each row links to the list behind it when `href` is set. */
export function ChartBarList({
  data,
  color = "blue",
  testId,
  ...format
}: { data: { name: string; value: number; href?: string }[]; color?: Color; testId?: string } & ValueFormat) {
  return (
    <div data-testid={testId}>
      <BarList
        // Tremor opens a row's link in a new tab unless told otherwise; a drill-down stays in this one.
        data={data.map((d) => (d.href ? { ...d, target: "_self" } : d))}
        color={color}
        valueFormatter={toFormatter(format as ValueFormat)}
      />
    </div>
  );
}

/** Shares of a whole. */
export function ChartDonut({
  data,
  testId,
  ...format
}: { data: { name: string; value: number }[]; testId?: string } & ValueFormat) {
  return (
    <div data-testid={testId}>
      <DonutChart
        data={data}
        index="name"
        category="value"
        colors={PALETTE}
        valueFormatter={toFormatter(format as ValueFormat)}
        className="h-40"
      />
    </div>
  );
}

export function Sparkline({
  data,
  color = "blue",
  testId,
}: {
  data: { label: string; value: number | null }[];
  color?: Color;
  testId?: string;
}) {
  // A sparkline is a shape, not a reading (the tile shows the number): hidden from screen readers, and nulls (an
  // undefined rate) stay gaps instead of being drawn as 0.
  return (
    <div data-testid={testId} aria-hidden="true">
      <SparkAreaChart
        data={data}
        index="label"
        categories={["value"]}
        colors={[color]}
        className="mt-2 h-10 w-full"
        connectNulls={false}
      />
    </div>
  );
}

// ---- the dashboards' charts: one line of settings each -------------------------------------------------------

type Money = SeriesProps & { currency: string };

/** Money over time (MRR, ARR), compact axis. */
export const MoneyAreaChart = (p: Money) => (
  <Chart type="area" format="moneyCompact" colors={["blue", "indigo"]} height="h-72" yAxisWidth={64} {...p} />
);

/** MRR movements per period, stacked: gains above zero, losses below (Tremor stacks with offset "sign"). */
export const MovementsChart = (p: Omit<Money, "index" | "categories" | "colors">) => (
  <Chart
    type="bar"
    format="moneyCompact"
    index="period"
    categories={["New", "Expansion", "Reactivation", "Contraction", "Churn"]}
    colors={["emerald", "blue", "teal", "amber", "rose"]}
    stack
    height="h-72"
    yAxisWidth={64}
    {...p}
  />
);

/** Rates per period as lines; an undefined rate is a gap. */
export const RatioLineChart = (p: SeriesProps) => (
  <Chart type="line" format="percent" colors={["rose", "amber", "emerald", "blue"]} {...p} />
);

/** Money per period, stacked by channel. */
export const MoneyBarChart = (p: Money) => <Chart type="bar" format="moneyCompact" stack yAxisWidth={64} {...p} />;

/** Counts per period, stacked by category when `stack` (signups, leads by source, tickets). */
export const CountBarChart = (p: SeriesProps & { stack?: boolean }) => (
  <Chart type="bar" format="count" allowDecimals={false} yAxisWidth={40} {...p} />
);

/** The lifecycle funnel: contacts reaching each stage in the period, as horizontal bars in stage order. */
export const FunnelChart = (p: { data: { stage: string; Contacts: number }[]; testId?: string }) => (
  <Chart
    type="bar"
    format="count"
    index="stage"
    categories={["Contacts"]}
    colors={["indigo"]}
    layout="vertical"
    allowDecimals={false}
    showLegend={false}
    height="h-72"
    yAxisWidth={112}
    {...p}
  />
);

// Survey and duration series are bars, not lines: a month without answers is a gap (null), and a line through
// sparse months would draw nothing at all or hide single points.

/** NPS per period on its −100 … 100 scale. */
export const NpsBarChart = (p: Omit<SeriesProps, "categories">) => (
  <Chart
    type="bar"
    format="points"
    categories={["NPS"]}
    colors={["violet"]}
    minValue={-100}
    maxValue={100}
    showLegend={false}
    height="h-48"
    yAxisWidth={40}
    {...p}
  />
);

/** A fraction per period (CSAT), 0 … 100 %. */
export const RatioBarChart = (p: SeriesProps) => (
  <Chart
    type="bar"
    format="percent"
    colors={["emerald"]}
    minValue={0}
    maxValue={1}
    showLegend={false}
    height="h-56"
    yAxisWidth={48}
    {...p}
  />
);

/** Durations in seconds per period (first response and resolution medians). */
export const DurationBarChart = (p: SeriesProps) => (
  <Chart type="bar" format="duration" colors={["blue", "amber"]} height="h-56" yAxisWidth={48} {...p} />
);

/** A breakdown in money; each row links to its customers when `href` is set. */
export const MoneyBarList = (p: {
  data: { name: string; value: number; href?: string }[];
  currency: string;
  color?: Color;
  testId?: string;
}) => <ChartBarList format="money" {...p} />;

/** Shares of MRR, compact. */
export const MoneyDonut = (p: { data: { name: string; value: number }[]; currency: string; testId?: string }) => (
  <ChartDonut format="moneyCompact" {...p} />
);
