import { sql, type SQL } from "drizzle-orm";
import { splitWindow, type CohortTotals, type DailyTotals, type WindowCorrection } from "@/lib/metrics/headline-totals";
import { emptyTotals, flagsInForce, ROLLUP_KEYS, type RollupTotals } from "@/lib/metrics/rollup";
import type { Day } from "@/lib/metrics/types";
import { addDays, endOfPeriod, minDay } from "@/lib/metrics/time";
import { rowsOf, type Executor } from "../client";
import { unconvertedOnly } from "../schema";
import { ofCustomers, payingRow, snakeCase } from "./mrr";

const TOTALS_ARRAY = sql.raw(ROLLUP_KEYS.map((k) => `"${snakeCase(k)}"`).join(", "));

/** Rollup rows come back as one json array of arrays: a thousand rows parse in one JSON.parse, not per column. */
function unpack(row: readonly unknown[], from: number): RollupTotals {
  const t = emptyTotals();
  ROLLUP_KEYS.forEach((k, i) => (t[k] = Number(row[from + i])));
  return t;
}

/** The workspace's daily sums up to `to`, by day. */
export async function listDailyTotals(workspaceId: string, db: Executor, to: Day): Promise<DailyTotals[]> {
  const [result] = rowsOf<{ rows: [Day, ...number[]][] }>(
    await db.execute(sql`
      select coalesce(json_agg(json_build_array(day, ${TOTALS_ARRAY}) order by day), '[]'::json) as rows
      from mrr_daily where workspace_id = ${workspaceId} and day <= ${to}`),
  );
  return (result?.rows ?? []).map((r) => ({ ...unpack(r, 1), day: r[0] }));
}

/** The per-cohort monthly sums with cohort and month up to `month` (YYYY-MM). */
export async function listCohortTotals(workspaceId: string, db: Executor, month: string): Promise<CohortTotals[]> {
  const [result] = rowsOf<{ rows: [string, string, ...number[]][] }>(
    await db.execute(sql`
      select coalesce(json_agg(json_build_array(cohort, month, ${TOTALS_ARRAY})), '[]'::json) as rows
      from mrr_cohort_monthly where workspace_id = ${workspaceId} and cohort <= ${month} and month <= ${month}`),
  );
  return (result?.rows ?? []).map((r) => ({ ...unpack(r, 2), cohort: r[0], month: r[1] }));
}

/** Per cohort, the contributions of ledger rows dated in (after, through]: what a month cell holds past a day. */
export async function sumCohortRows(
  workspaceId: string,
  db: Executor,
  range: { after: Day; through: Day },
): Promise<(RollupTotals & { cohort: string })[]> {
  if (range.through <= range.after) return [];
  const rows = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      select cohort,
        coalesce(sum(mrr - previous_mrr), 0) as "mrrDelta",
        coalesce(sum((mrr > 0)::int - (previous_mrr > 0)::int), 0) as "positiveDelta",
        coalesce(sum(paying_delta), 0) as "payingDelta",
        count(*) filter (where first_new) as members,
        coalesce(sum(amount) filter (where first_new), 0) as "initialMrr",
        coalesce(sum(amount) filter (where kind = 'new'), 0) as new,
        coalesce(sum(amount) filter (where kind = 'expansion'), 0) as expansion,
        coalesce(sum(amount) filter (where kind = 'contraction'), 0) as contraction,
        coalesce(sum(amount) filter (where kind = 'churn'), 0) as churn,
        coalesce(sum(amount) filter (where kind = 'reactivation'), 0) as reactivation
      from mrr_changes
      where workspace_id = ${workspaceId} and cohort is not null and day > ${range.after} and day <= ${range.through}
      group by cohort`),
  );
  return rows.map((r) => {
    const t = Object.fromEntries(ROLLUP_KEYS.map((k) => [k, Number(r[k] ?? 0)])) as RollupTotals;
    return { ...t, cohort: String(r.cohort) };
  });
}

/**
 * For each window [start, end] as of `asOf`, what the cohort sums do not hold (lib/metrics/headline-totals.ts
 * splitWindow): distinct customers who stopped paying in it (unless `churners` is false: only movement-based churn
 * reads them); customers whose first `new` falls in its part months, and how many; returning customers (a
 * reactivation in the window ending a spell without paying that began before it). For the customers named, how
 * many pay at the end, their end MRR and their movements in the window. And the customers who start or stop paying
 * with only unconverted parts in it (WindowCorrection.unconvertedTurns). With `customers`, only those customers
 * count (a filtered view). Reads the kind index, the two indexes of wholly unconverted rows (usually empty) and the
 * named customers' own rows.
 */
export async function listWindowCorrections(
  workspaceId: string,
  db: Executor,
  windows: readonly [Day, Day][],
  opts: {
    asOf: Day;
    churners?: boolean;
    customers?: readonly string[] | null;
    /** The key `${start}|${end}` of a window no customer count reads (the trailing year's): its counts are null. */
    uncounted?: string | null;
  },
): Promise<Map<string, WindowCorrection>> {
  const out = new Map<string, WindowCorrection>();
  if (windows.length === 0) return out;
  const churners = opts.churners ?? true;
  const uncounted = opts.uncounted ?? null;
  const uncountedIdx = windows.findIndex(([start, end]) => `${start}|${end}` === uncounted);
  const mine = (column: SQL) => ofCustomers(opts.customers ?? null, column);
  const values = sql.join(
    windows.map(([start, end], i) => {
      // The part months: before the whole months, and after them when the window ends inside a month.
      const whole = splitWindow(start, end, opts.asOf);
      const wholeStart = whole ? `${whole.from}-01` : null;
      const wholeEnd = whole ? minDay(end, endOfPeriod(`${whole.to}-01`, "month")) : null;
      const head = !wholeStart ? [start, end] : start < wholeStart ? [start, addDays(wholeStart, -1)] : [null, null];
      const tail = wholeEnd && wholeEnd < end ? [addDays(wholeEnd, 1), end] : [null, null];
      return sql`(${i}::int, ${start}::date, ${end}::date, ${head[0]}::date, ${head[1]}::date, ${tail[0]}::date, ${tail[1]}::date)`;
    }),
    sql`, `,
  );
  const rows = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      -- (Each interpolated value is a parameter: up to 64 the statement is prepared (db/prepared.ts), so the window
      -- list carries 7 per window and the rest few.)
      with w as (
        select v.*, v.idx <> ${uncountedIdx}::int as counted, ${workspaceId}::text as ws
        from (values ${values}) v(idx, s, e, head_from, head_to, tail_from, tail_to)
      ),
      part_new as (
        select w.idx, m.customer_id
        from w cross join lateral (
          select customer_id from mrr_changes
          where workspace_id = ${workspaceId} and kind = 'new' and day >= w.head_from and day <= w.head_to
            and first_new and ${mine(sql`customer_id`)}
          union all
          select customer_id from mrr_changes
          where workspace_id = ${workspaceId} and kind = 'new' and day >= w.tail_from and day <= w.tail_to
            and first_new and ${mine(sql`customer_id`)}) m
      ),
      comebacks as (
        select w.idx, r.customer_id
        from w join mrr_changes r
          on r.workspace_id = ${workspaceId} and r.kind = 'reactivation' and r.day >= w.s and r.day <= w.e
        -- m ≤ 0 the day before the window: the spell without paying that this return ends began before it
        where r.zero_since < w.s and ${mine(sql`r.customer_id`)}
      ),
      named as (select idx, customer_id from part_new union select idx, customer_id from comebacks),
      named_rows as (
        select n.idx, n.customer_id,
          sum(r.mrr - r.previous_mrr) as end_mrr,
          coalesce(sum(r.amount) filter (where r.kind = 'expansion'), 0) as expansion,
          coalesce(sum(r.amount) filter (where r.kind = 'contraction'), 0) as contraction,
          coalesce(sum(r.amount) filter (where r.kind = 'churn'), 0) as churn,
          coalesce(sum(r.amount) filter (where r.kind = 'reactivation'), 0) as reactivation
        from named n join w using (idx)
        join mrr_changes r on r.workspace_id = ${workspaceId} and r.customer_id = n.customer_id
          and r.day >= w.s and r.day <= w.e
        group by n.idx, n.customer_id
      ),
      named_sums as (
        select idx, count(*) as entrants, count(*) filter (where end_mrr > 0) as paying_at_end,
          sum(end_mrr) as end_mrr, sum(expansion) as expansion, sum(contraction) as contraction,
          sum(churn) as churn, sum(reactivation) as reactivation
        from named_rows group by idx
      ),
      part_counts as (select idx, count(*) as new_customers from part_new group by idx),
      -- Rows on which the customer pays with only unconverted parts (no FX rate; unconvertedOnly and its two partial
      -- indexes) that begin inside a counted window, and those that end inside it.
      unconverted_begins as (
        select w.idx, u.workspace_id, u.customer_id, u.day, u.next_day
        from w join mrr_changes u on w.counted and u.workspace_id = w.ws and ${unconvertedOnly("u")}
          and u.day >= w.s and u.day <= w.e
        where ${mine(sql`u.customer_id`)}
      ),
      unconverted_ends as (
        select w.idx, u.workspace_id, u.customer_id, u.day, u.next_day
        from w join mrr_changes u on w.counted and u.workspace_id = w.ws and ${unconvertedOnly("u")}
          and u.next_day >= w.s and u.next_day <= w.e
        where ${mine(sql`u.customer_id`)}
      ),
      -- the days a customer stops paying: a churn that leaves no unconverted part, or the row after a wholly
      -- unconverted one that pays nothing (it moves no converted MRR, so it is no churn)
      stops as (
        select * from (
          select w.idx, c.customer_id
          from w join mrr_changes c
            on c.workspace_id = w.ws and c.kind = 'churn' and c.day >= w.s and c.day <= w.e
          where w.counted and ${mine(sql`c.customer_id`)}
            and not exists (
              select 1 from unconverted_begins u where u.idx = w.idx and u.customer_id = c.customer_id and u.day = c.day)
          union all
          select u.idx, u.customer_id
          from unconverted_ends u
          join mrr_changes n on n.workspace_id = u.workspace_id and n.customer_id = u.customer_id and n.day = u.next_day
          where not ${payingRow(sql`n`)}) x
        where ${churners}::boolean
      ),
      churners as (select idx, count(distinct customer_id) as churned_customers from stops group by idx),
      -- The customers who start or stop paying with only unconverted parts in a window: in force at its start with
      -- the row ending inside it, and not at its end with a row beginning inside it (from_start); or the other way.
      unconverted_turns as (
        select u.idx, u.workspace_id, u.customer_id, true as from_start
        from unconverted_ends u join w using (idx)
        where u.day < w.s and not exists (
          select 1 from unconverted_begins b
          where b.idx = u.idx and b.customer_id = u.customer_id and (b.next_day is null or b.next_day > w.e))
        union all
        select b.idx, b.workspace_id, b.customer_id, false
        from unconverted_begins b join w using (idx)
        where (b.next_day is null or b.next_day > w.e) and not exists (
          select 1 from unconverted_ends u where u.idx = b.idx and u.customer_id = b.customer_id and u.day < w.s)
      ),
      -- WindowCorrection.unconvertedTurns: −1 for each unconverted at the start only who pays nothing at the end,
      -- +1 for each unconverted at the end only with m > 0 at the start (the state at the other end looked up)
      kept_turns as (
        select t.idx,
          count(*) filter (where not t.from_start and coalesce(r.mrr, 0) > 0)
            - count(*) filter (where t.from_start and not coalesce(${payingRow(sql`r`)}, false)) as turns
        from unconverted_turns t join w using (idx)
        left join lateral (
          select r.mrr, r.unconverted from mrr_changes r
          where r.workspace_id = t.workspace_id and r.customer_id = t.customer_id
            and r.day <= case when t.from_start then w.e else w.s - 1 end
          order by r.day desc limit 1) r on true
        group by t.idx
      )
      select w.idx, coalesce(h.new_customers, 0) as new_customers,
        coalesce(c.churned_customers, 0) as churned_customers,
        coalesce(s.entrants, 0) as entrants, coalesce(s.paying_at_end, 0) as paying_at_end,
        coalesce(s.end_mrr, 0) as end_mrr, coalesce(s.expansion, 0) as expansion,
        coalesce(s.contraction, 0) as contraction, coalesce(s.churn, 0) as churn,
        coalesce(s.reactivation, 0) as reactivation,
        coalesce(t.turns, 0) as unconverted_turns
      from w left join part_counts h using (idx) left join churners c using (idx) left join named_sums s using (idx)
        left join kept_turns t using (idx)`),
  );
  for (const r of rows) {
    const window = windows[Number(r.idx)];
    if (!window) continue;
    const key = `${window[0]}|${window[1]}`;
    const counted = key !== uncounted;
    out.set(key, {
      newCustomers: Number(r.new_customers),
      churnedCustomers: churners && counted ? Number(r.churned_customers) : null,
      entrants: Number(r.entrants),
      entrantsPayingAtEnd: Number(r.paying_at_end),
      entrantsEndMrr: Number(r.end_mrr),
      expansion: Number(r.expansion),
      contraction: Number(r.contraction),
      churn: Number(r.churn),
      reactivation: Number(r.reactivation),
      unconvertedTurns: counted ? Number(r.unconverted_turns) : null,
    });
  }
  return out;
}

/**
 * What the ledger rows in force at the end of `day` carry as unconverted parts and warnings: Σ unconverted per
 * currency and the distinct warnings (sorted). For the whole workspace it sums mrr_flag_daily up to the day; for
 * some customers it reads their flagged rows (`sumFlaggedRowsAsOf`).
 */
export async function sumFlaggedAsOf(
  workspaceId: string,
  db: Executor,
  day: Day,
  customers: readonly string[] | null = null,
) {
  const [flags] = await sumFlaggedOnDays(workspaceId, db, [day], customers);
  return flags!;
}

/** `sumFlaggedAsOf` for each of `days`, in their order: one read of mrr_flag_daily for the whole workspace. */
export async function sumFlaggedOnDays(
  workspaceId: string,
  db: Executor,
  days: readonly Day[],
  customers: readonly string[] | null = null,
): Promise<{ unconverted: Record<string, number> | null; warnings: string[] }[]> {
  if (customers) return Promise.all(days.map((day) => sumFlaggedRowsAsOf(workspaceId, db, day, customers)));
  if (days.length === 0) return [];
  const list = sql.join(
    days.map((day, i) => sql`(${i}::int, ${day}::date)`),
    sql`, `,
  );
  const rows = rowsOf<{ idx: string | number; flag: string; rows: string | number; amount: string | number }>(
    await db.execute(sql`
      with d(idx, day) as (values ${list})
      select d.idx, f.flag, sum(f."rows") as "rows", sum(f.amount) as amount
      from d join mrr_flag_daily f on f.workspace_id = ${workspaceId} and f.day <= d.day
      group by d.idx, f.flag`),
  );
  return days.map((_, i) => {
    const { unconverted, warnings } = flagsInForce(
      rows.filter((r) => Number(r.idx) === i).map((r) => [r.flag, { rows: Number(r.rows), amount: Number(r.amount) }]),
    );
    return { unconverted: Object.keys(unconverted).length > 0 ? unconverted : null, warnings };
  });
}

/**
 * The changes of mrr_flag_daily up to `to`, summed by day and flag, in day order: `flagsAtDays` (lib/metrics/rollup.ts)
 * reads from them the flags in force at the end of each period of a movements answer.
 */
export async function listFlagChanges(workspaceId: string, db: Executor, to: Day) {
  return rowsOf<{ day: string; flag: string; rows: string | number; amount: string | number }>(
    await db.execute(sql`
      select day::text as day, flag, sum("rows") as "rows", sum(amount) as amount from mrr_flag_daily
      where workspace_id = ${workspaceId} and day <= ${to}
      group by day, flag order by day, flag`),
  ).map((r) => ({ day: r.day, flag: r.flag, rows: Number(r.rows), amount: Number(r.amount) }));
}

/** `sumFlaggedAsOf` from the ledger rows themselves (of some customers only, when given): the flagged index. */
export async function sumFlaggedRowsAsOf(
  workspaceId: string,
  db: Executor,
  day: Day,
  customers: readonly string[] | null = null,
) {
  const [row] = rowsOf<{ unconverted: Record<string, string | number> | null; warnings: string[] | null }>(
    await db.execute(sql`
      with in_force as (
        select unconverted, warnings from mrr_changes
        where workspace_id = ${workspaceId} and (unconverted is not null or cardinality(warnings) > 0)
          and day <= ${day} and (next_day is null or next_day > ${day}) and ${ofCustomers(customers)}
      )
      select
        (select jsonb_object_agg(currency, total) from (
           select u.key as currency, sum(u.value::numeric) as total
           from in_force, jsonb_each_text(in_force.unconverted) u group by u.key) t) as unconverted,
        (select array_agg(distinct x) from in_force, unnest(in_force.warnings) x) as warnings`),
  );
  const unconverted = Object.fromEntries(Object.entries(row?.unconverted ?? {}).map(([k, v]) => [k, Number(v)]));
  return { unconverted: Object.keys(unconverted).length > 0 ? unconverted : null, warnings: row?.warnings ?? [] };
}
