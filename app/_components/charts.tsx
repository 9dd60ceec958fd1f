"use client";

// Client wrappers for Tremor charts: recharts draws in the browser, and formatters are functions, which a server
// component cannot pass down. Every chart takes plain data and, for drill-down, plain hrefs per point.

import { AreaChart, BarChart, BarList, DonutChart, LineChart, SparkAreaChart, type Color } from "@tremor/react";
import { useRouter } from "next/navigation";
import { formatMoney, formatPercent } from "@/lib/format";

type Row = Record<string, string | number | null>;
/** links[indexValue][category] → href of the list behind that point. */
type Links = Record<string, Record<string, string>>;

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

export function MoneyAreaChart({
  data,
  index,
  categories,
  currency,
  colors = ["blue", "indigo"],
  links,
  testId,
}: {
  data: Row[];
  index: string;
  categories: string[];
  currency: string;
  colors?: Color[];
  links?: Links;
  testId?: string;
}) {
  const onValueChange = useDrill(links, index);
  return (
    <div data-testid={testId}>
      <AreaChart
        data={data}
        index={index}
        categories={categories}
        colors={colors}
        valueFormatter={(v: number) => formatMoney(Math.round(v), currency, { compact: true })}
        yAxisWidth={64}
        className="h-72"
        {...(onValueChange ? { onValueChange } : {})}
      />
    </div>
  );
}

/** MRR movements per period, stacked: gains above zero, losses below (Tremor stacks with offset "sign"). */
export function MovementsChart({
  data,
  currency,
  links,
  testId,
}: {
  data: Row[];
  currency: string;
  links?: Links;
  testId?: string;
}) {
  const onValueChange = useDrill(links, "period");
  return (
    <div data-testid={testId}>
      <BarChart
        data={data}
        index="period"
        categories={["New", "Expansion", "Reactivation", "Contraction", "Churn"]}
        colors={["emerald", "blue", "teal", "amber", "rose"]}
        stack
        valueFormatter={(v: number) => formatMoney(Math.round(v), currency, { compact: true })}
        yAxisWidth={64}
        className="h-72"
        {...(onValueChange ? { onValueChange } : {})}
      />
    </div>
  );
}

export function RatioLineChart({
  data,
  index,
  categories,
  colors = ["rose", "amber", "emerald", "blue"],
  testId,
}: {
  data: Row[];
  index: string;
  categories: string[];
  colors?: Color[];
  testId?: string;
}) {
  return (
    <div data-testid={testId}>
      <LineChart
        data={data}
        index={index}
        categories={categories}
        colors={colors}
        valueFormatter={(v: number) => formatPercent(v, { digits: 1 })}
        yAxisWidth={56}
        connectNulls={false}
        className="h-64"
      />
    </div>
  );
}

/** A BarList in money; each row links to its customers when `href` is set. */
export function MoneyBarList({
  data,
  currency,
  color = "blue",
  testId,
}: {
  data: { name: string; value: number; href?: string }[];
  currency: string;
  color?: Color;
  testId?: string;
}) {
  return (
    <div data-testid={testId}>
      <BarList data={data} color={color} valueFormatter={(v: number) => formatMoney(v, currency)} />
    </div>
  );
}

export function MoneyDonut({
  data,
  currency,
  testId,
}: {
  data: { name: string; value: number }[];
  currency: string;
  testId?: string;
}) {
  return (
    <div data-testid={testId}>
      <DonutChart
        data={data}
        index="name"
        category="value"
        colors={["blue", "emerald", "amber", "violet", "rose", "cyan", "slate"]}
        valueFormatter={(v: number) => formatMoney(v, currency, { compact: true })}
        className="h-40"
      />
    </div>
  );
}
