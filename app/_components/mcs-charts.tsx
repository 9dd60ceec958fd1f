"use client";

// Client wrappers for the marketing and customer-success charts: recharts draws in the browser, and the value
// formatters are functions, which a server component cannot pass down. Every chart takes plain data.

import { BarChart, type Color } from "@tremor/react";
import { formatCount, formatMoney, formatPercent } from "@/lib/format";
import { formatDuration, formatPoints } from "./mcs-format";

type Row = Record<string, string | number | null>;

/** The lifecycle funnel: contacts reaching each stage in the period, as horizontal bars in stage order. */
export function FunnelChart({ data, testId }: { data: { stage: string; Contacts: number }[]; testId?: string }) {
  return (
    <div data-testid={testId}>
      <BarChart
        data={data}
        index="stage"
        categories={["Contacts"]}
        colors={["indigo"]}
        layout="vertical"
        valueFormatter={(v: number) => formatCount(v)}
        allowDecimals={false}
        yAxisWidth={112}
        showLegend={false}
        className="h-72"
      />
    </div>
  );
}

/** Counts per period, stacked by category (signups, leads by source, tickets). */
export function CountBarChart({
  data,
  index,
  categories,
  colors = ["blue", "emerald", "amber", "violet", "rose", "cyan", "slate", "fuchsia"],
  stack = false,
  testId,
}: {
  data: Row[];
  index: string;
  categories: string[];
  colors?: Color[];
  stack?: boolean;
  testId?: string;
}) {
  return (
    <div data-testid={testId}>
      <BarChart
        data={data}
        index={index}
        categories={categories}
        colors={colors}
        stack={stack}
        allowDecimals={false}
        valueFormatter={(v: number) => formatCount(v)}
        yAxisWidth={40}
        className="h-64"
      />
    </div>
  );
}

/** Money per period, stacked by channel. */
export function MoneyBarChart({
  data,
  index,
  categories,
  currency,
  colors = ["blue", "emerald", "amber", "violet", "rose", "cyan", "slate", "fuchsia"],
  testId,
}: {
  data: Row[];
  index: string;
  categories: string[];
  currency: string;
  colors?: Color[];
  testId?: string;
}) {
  return (
    <div data-testid={testId}>
      <BarChart
        data={data}
        index={index}
        categories={categories}
        colors={colors}
        stack
        valueFormatter={(v: number) => formatMoney(Math.round(v), currency, { compact: true })}
        yAxisWidth={64}
        className="h-64"
      />
    </div>
  );
}

// Survey and duration series are bars, not lines: a month without answers is a gap (null), and a line through
// sparse months would draw nothing at all or hide single points.

/** NPS per period on its −100 … 100 scale. */
export function NpsBarChart({ data, index, testId }: { data: Row[]; index: string; testId?: string }) {
  return (
    <div data-testid={testId}>
      <BarChart
        data={data}
        index={index}
        categories={["NPS"]}
        colors={["violet"]}
        minValue={-100}
        maxValue={100}
        valueFormatter={(v: number) => formatPoints(v)}
        showLegend={false}
        yAxisWidth={40}
        className="h-48"
      />
    </div>
  );
}

/** A fraction per period (CSAT), 0 … 100 %. */
export function RatioBarChart({
  data,
  index,
  categories,
  colors = ["emerald"],
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
      <BarChart
        data={data}
        index={index}
        categories={categories}
        colors={colors}
        minValue={0}
        maxValue={1}
        valueFormatter={(v: number) => formatPercent(v, { digits: 1 })}
        showLegend={false}
        yAxisWidth={48}
        className="h-56"
      />
    </div>
  );
}

/** Durations in seconds per period (first response and resolution medians). */
export function DurationBarChart({
  data,
  index,
  categories,
  colors = ["blue", "amber"],
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
      <BarChart
        data={data}
        index={index}
        categories={categories}
        colors={colors}
        valueFormatter={(v: number) => formatDuration(v, { compact: true })}
        yAxisWidth={48}
        className="h-56"
      />
    </div>
  );
}
