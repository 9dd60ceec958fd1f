import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { workspaces } from "./core";

/** A workspace's metric policies and KPI settings, stored as partial objects over the defaults of lib/metrics. */
export const metricSettings = pgTable("metric_settings", {
  workspaceId: text()
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  policy: jsonb()
    .$type<Record<string, unknown>>()
    .notNull()
    .default(sql`'{}'::jsonb`),
  settings: jsonb()
    .$type<Record<string, unknown>>()
    .notNull()
    .default(sql`'{}'::jsonb`),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: text(),
  /**
   * A policy change being applied in the background (ADR 0017): the policy it will store and its job. While set,
   * every ledger refresh also records its customers in `ledger_pending_customers`.
   */
  pending: jsonb().$type<Record<string, unknown>>(),
  /** Bumped by every whole-ledger rebuild: a pending change computed before a rebuild must start again. */
  ledgerEpoch: integer().notNull().default(0),
});

/**
 * The customers whose ledger inputs changed while a policy change was being computed (ADR 0017): the change
 * computes them again under the exclusive lock before it swaps the ledger.
 */
export const ledgerPendingCustomers = pgTable(
  "ledger_pending_customers",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    customerId: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.customerId] })],
);

/**
 * A policy change's computed difference, one row per customer whose ledger changes (ADR 0017): the ledger rows to
 * upsert and the days to delete, the trial marks to upsert and the keys to delete, as the table rows of
 * `mrr_changes` and `trial_marks` in jsonb. Written batch by batch while the change computes, moved into the
 * ledger by one statement at the swap. `runId` names the pass that computed it.
 */
export const ledgerStagedChanges = pgTable(
  "ledger_staged_changes",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    runId: text().notNull(),
    customerId: text().notNull(),
    rows: jsonb().$type<Record<string, unknown>[]>().notNull(),
    deletes: jsonb().$type<string[]>().notNull(),
    marks: jsonb().$type<Record<string, unknown>[]>().notNull(),
    unmarks: jsonb().$type<{ subscription_id: string; seq: number }[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.runId, t.customerId] })],
);

/** 1 major unit of `currency` = `rate` major units of the workspace's reporting currency, from `rateDate` on. */
export const fxRates = pgTable(
  "fx_rates",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    currency: char({ length: 3 }).notNull(),
    rateDate: date({ mode: "string" }).notNull(),
    /** A decimal string with up to 10 places: parsed exactly, never as a float. */
    rate: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.currency, t.rateDate] })],
);

/**
 * A ledger row (of the table alias `alias`, if given) on which its customer pays with only parts left unconverted
 * for lack of an FX rate: m ≤ 0 and some unconverted amount above 0. The predicate of two partial indexes, which
 * the queries that read them spell with it.
 */
export function unconvertedOnly(alias?: string) {
  const of = alias ? `${alias}.` : "";
  return sql.raw(`${of}mrr <= 0 and ${of}unconverted @? '$.* ? (@ > 0)'`);
}

/**
 * The per-customer MRR change ledger (docs/decisions/0004-mrr-ledger.md): one row per customer per local day on
 * which its end-of-day MRR state changes, with the movement of that day. `mrr` as of D is the customer's latest
 * row on or before D; every period total is a sum of rows. Derived data: rebuilt from the projection at will.
 */
export const mrrChanges = pgTable(
  "mrr_changes",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    customerId: text().notNull(),
    day: date({ mode: "string" }).notNull(),
    mrr: bigint({ mode: "number" }).notNull(),
    previousMrr: bigint({ mode: "number" }).notNull(),
    kind: text({ enum: ["new", "expansion", "contraction", "churn", "reactivation"] }),
    amount: bigint({ mode: "number" }).notNull(),
    fxImpact: bigint({ mode: "number" }).notNull().default(0),
    annualMrr: bigint({ mode: "number" }).notNull().default(0),
    cmrr: bigint({ mode: "number" }).notNull().default(0),
    annualCmrr: bigint({ mode: "number" }).notNull().default(0),
    trialing: boolean().notNull().default(false),
    involuntary: boolean().notNull().default(false),
    eventIds: text().array().notNull(),
    unconverted: jsonb().$type<Record<string, number>>(),
    warnings: text().array().notNull(),
    // What this row adds to the workspace totals (docs/decisions/0009-kpi-rollups.md): the change against the
    // customer's previous row of annual MRR, of committed MRR, of "paying" and of "trialing without paying" (−1, 0 or 1).
    annualDelta: bigint({ mode: "number" }).notNull().default(0),
    cmrrDelta: bigint({ mode: "number" }).notNull().default(0),
    annualCmrrDelta: bigint({ mode: "number" }).notNull().default(0),
    payingDelta: smallint().notNull().default(0),
    trialingDelta: smallint().notNull().default(0),
    /** The month (YYYY-MM) of the customer's first `new` movement, on every row of the customer; null before it. */
    cohort: char({ length: 7 }),
    /** This row is the customer's first `new` movement (its cohort's size and initial MRR count it). */
    firstNew: boolean().notNull().default(false),
    /** The day of the customer's next row; null on its last. The row is in force on [day, next_day). */
    nextDay: date({ mode: "string" }),
    /** On a return to paying (m from ≤ 0 to > 0, not the first time): the day m last fell to ≤ 0. */
    zeroSince: date({ mode: "string" }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.customerId, t.day] }),
    index("mrr_changes_day_idx").on(t.workspaceId, t.day),
    // Customers entering (new, reactivation) or leaving (churn) in a window, by kind: few rows, read by the KPI
    // answers (a year's reactivations without its news and churns). With what the window corrections test of
    // each (first_new, zero_since), so they come from an index-only scan.
    index("mrr_changes_entry_idx")
      .on(t.workspaceId, t.kind, t.day, t.customerId, t.firstNew, t.zeroSince)
      .where(sql`kind in ('new', 'reactivation', 'churn')`),
    // The moving rows, with what counting distinct customers per kind needs (an index-only scan).
    index("mrr_changes_moves_idx")
      .on(t.workspaceId, t.day, t.kind, t.customerId)
      .where(sql`kind is not null`),
    // Rows that carry an FX warning or an unconverted part (usually none), by the days they are in force.
    index("mrr_changes_flagged_idx")
      .on(t.workspaceId, t.day, t.nextDay)
      .where(sql`unconverted is not null or cardinality(warnings) > 0`),
    // Rows on which the customer pays with only unconverted parts (no FX rate; usually none), by the day they begin
    // and by the day they end: the customer counts of a window read the few that begin or end inside it.
    index("mrr_changes_unconverted_day_idx").on(t.workspaceId, t.day, t.nextDay, t.customerId).where(unconvertedOnly()),
    index("mrr_changes_unconverted_next_idx")
      .on(t.workspaceId, t.nextDay, t.day, t.customerId)
      .where(unconvertedOnly()),
  ],
);

const rollupColumns = () => ({
  mrrDelta: bigint({ mode: "number" }).notNull().default(0),
  annualDelta: bigint({ mode: "number" }).notNull().default(0),
  cmrrDelta: bigint({ mode: "number" }).notNull().default(0),
  annualCmrrDelta: bigint({ mode: "number" }).notNull().default(0),
  /** Change in the number of customers with MRR > 0. */
  positiveDelta: integer().notNull().default(0),
  payingDelta: integer().notNull().default(0),
  trialingDelta: integer().notNull().default(0),
  new: bigint({ mode: "number" }).notNull().default(0),
  expansion: bigint({ mode: "number" }).notNull().default(0),
  contraction: bigint({ mode: "number" }).notNull().default(0),
  churn: bigint({ mode: "number" }).notNull().default(0),
  reactivation: bigint({ mode: "number" }).notNull().default(0),
  fxImpact: bigint({ mode: "number" }).notNull().default(0),
  involuntaryChurn: bigint({ mode: "number" }).notNull().default(0),
  /** Cohort members gained (first `new` rows) and their initial MRR. */
  members: integer().notNull().default(0),
  initialMrr: bigint({ mode: "number" }).notNull().default(0),
});

/**
 * Σ of `mrr_changes` per workspace and day (docs/decisions/0009-kpi-rollups.md): every stock as of D is the sum
 * of the days up to D, every flow of a period the sum of its days. Kept in step with the ledger in the same
 * transaction; derived, so rebuilt from the ledger at will.
 */
export const mrrDaily = pgTable(
  "mrr_daily",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    ...rollupColumns(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day] })],
);

/** Σ of `mrr_changes` per workspace, cohort and calendar month: the cohort retention table. */
export const mrrCohortMonthly = pgTable(
  "mrr_cohort_monthly",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    cohort: char({ length: 7 }).notNull(),
    month: char({ length: 7 }).notNull(),
    ...rollupColumns(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.cohort, t.month] })],
);

/**
 * What the ledger rows in force on a day carry besides MRR (docs/decisions/0013-flag-rollup.md): per workspace,
 * day and flag (`warning:<text>` or `unconverted:<currency>`), the change in the number of rows in force that
 * carry it and in their unconverted amount. A row adds its flags on its day and takes them away on its next row's
 * day, so the flags in force as of D are the sums over the days up to D whose row count is above 0.
 */
export const mrrFlagDaily = pgTable(
  "mrr_flag_daily",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    flag: text().notNull(),
    rows: integer().notNull().default(0),
    amount: bigint({ mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.flag] })],
);

/**
 * One row per trialing subscription version (lib/metrics/trials.ts TrialMark): what its trial's outcome is, known
 * before or after the next version arrives. Kept with the ledger, from the same histories and policies, so the
 * trial conversion rate of any as-of day reads a few rows instead of whole subscription histories.
 */
export const trialMarks = pgTable(
  "trial_marks",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    customerId: text().notNull(),
    subscriptionId: text().notNull(),
    seq: integer().notNull(),
    trialFrom: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    trialEnd: timestamp({ withTimezone: true, mode: "date" }),
    nextFrom: timestamp({ withTimezone: true, mode: "date" }),
    laterTrialFrom: timestamp({ withTimezone: true, mode: "date" }),
    convertedAtNext: boolean().notNull(),
    convertedAtTrialEnd: boolean().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.customerId, t.subscriptionId, t.seq] }),
    // The trials that may end in a period: by the next version's start, or by their trial end.
    index("trial_marks_next_idx").on(t.workspaceId, t.nextFrom),
    index("trial_marks_end_idx").on(t.workspaceId, t.trialEnd),
  ],
);

/**
 * Paid invoices counted by workspace-local paid day, currency and amount paid (ADR 0014): what cash collected reads
 * from invoices, a few hundred rows a month however many invoices. Kept by triggers on `invoices` (migration 0008),
 * so every writer (webhook, backfill, rebuild) keeps it in the same statement. `created_after` is the invoice's
 * `created` when that lies after its payment (a period counts it only once it exists), else -infinity.
 */
export const paidInvoiceDaily = pgTable(
  "paid_invoice_daily",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    amount: bigint({ mode: "number" }).notNull(),
    createdAfter: timestamp({ withTimezone: true, mode: "date" })
      .notNull()
      .default(sql`'-infinity'::timestamptz`),
    count: integer().notNull(),
  },
  (t) => [
    primaryKey({
      name: "paid_invoice_daily_pk",
      columns: [t.workspaceId, t.day, t.currency, t.amount, t.createdAfter],
    }),
  ],
);

/**
 * Invoices with a failed payment, counted by the local day of their first failed attempt, currency, amount due then,
 * and the local day they were paid with the amount paid ('infinity' and 0 while unpaid): what failed-payment
 * recovery reads (ADR 0014). Kept by triggers on `invoices` and `invoice_payment_failures` (migration 0008).
 * `created_after` is the invoice's `created` when that lies after its first failure, else -infinity.
 */
export const paymentRecoveryDaily = pgTable(
  "payment_recovery_daily",
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    due: bigint({ mode: "number" }).notNull(),
    paidDay: date({ mode: "string" })
      .notNull()
      .default(sql`'infinity'::date`),
    amountPaid: bigint({ mode: "number" }).notNull().default(0),
    createdAfter: timestamp({ withTimezone: true, mode: "date" })
      .notNull()
      .default(sql`'-infinity'::timestamptz`),
    count: integer().notNull(),
  },
  (t) => [
    primaryKey({
      name: "payment_recovery_daily_pk",
      columns: [t.workspaceId, t.day, t.currency, t.due, t.paidDay, t.amountPaid, t.createdAfter],
    }),
  ],
);
