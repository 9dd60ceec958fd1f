/**
 * The finance KPIs as the UI presents them: label, unit, a one-line definition, and the policies and settings that
 * change them. docs/metrics.md gives the long form; metrics.md §4.1 is the source.
 */
import type { FinanceKey } from "./finance";
import type { KpiSettings, MetricPolicy } from "./policy";

export type KpiUnit = "money" | "count" | "ratio" | "months" | "boolean" | "table";

export type CatalogEntry = {
  label: string;
  unit: KpiUnit;
  definition: string;
  /** MRR policies the value depends on ("mrr" stands for every policy of §2.2). */
  policies: (keyof MetricPolicy)[];
  settings: (keyof KpiSettings)[];
};

/** Every MRR policy: the KPIs built on MRR follow all of them. */
const MRR_POLICIES: (keyof MetricPolicy)[] = [
  "intervalFactors",
  "metered",
  "discounts",
  "trials",
  "pastDue",
  "pastDueChurnDays",
  "unpaid",
  "paused",
  "churnRecognition",
  "fxRate",
];
const MOVEMENT_POLICIES: (keyof MetricPolicy)[] = [...MRR_POLICIES, "reactivationWindowDays"];

/** Label, unit, definition and inputs of every finance KPI key (the keys of `computeHeadline`). */
export const financeCatalog: Record<FinanceKey, CatalogEntry> = {
  mrr: {
    label: "MRR",
    unit: "money",
    definition:
      "Monthly recurring revenue: the sum of every customer's normalized monthly subscription amount at the end of the day.",
    policies: MRR_POLICIES,
    settings: [],
  },
  arr: {
    label: "ARR",
    unit: "money",
    definition: "Annual run-rate: MRR × 12, or 12 × the MRR of yearly-or-longer plans only.",
    policies: [...MRR_POLICIES, "arr"],
    settings: [],
  },
  cmrr: {
    label: "Committed MRR",
    unit: "money",
    definition:
      "MRR after every scheduled change: cancellations to 0, schedules (also not started) to their last phase, ending discounts dropped.",
    policies: MRR_POLICIES,
    settings: [],
  },
  carr: {
    label: "Committed ARR",
    unit: "money",
    definition: "Committed MRR × 12 (yearly plans only under the annual-contracts basis).",
    policies: [...MRR_POLICIES, "arr"],
    settings: [],
  },
  netNewMrr: {
    label: "Net new MRR",
    unit: "money",
    definition: "New + expansion + reactivation + contraction + churn in the period (end MRR − start MRR − FX impact).",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
  newMrr: {
    label: "New MRR",
    unit: "money",
    definition: "MRR from customers paying for the first time (or returning after the reactivation window).",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
  expansionMrr: {
    label: "Expansion MRR",
    unit: "money",
    definition: "MRR added by paying customers who pay more (upgrades, seats).",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
  contractionMrr: {
    label: "Contraction MRR",
    unit: "money",
    definition: "MRR lost by customers who pay less but still pay (negative).",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
  churnedMrr: {
    label: "Churned MRR",
    unit: "money",
    definition: "MRR lost by customers whose MRR dropped to 0 (negative), split into voluntary and involuntary.",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
  reactivationMrr: {
    label: "Reactivation MRR",
    unit: "money",
    definition: "MRR from former customers who pay again within the reactivation window.",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
  payingCustomers: {
    label: "Paying customers",
    unit: "count",
    definition: "Customers whose MRR is above 0 at the end of the day.",
    policies: MRR_POLICIES,
    settings: [],
  },
  trialingCustomers: {
    label: "Trialing customers",
    unit: "count",
    definition: "Customers with a trialing subscription and no MRR.",
    policies: MRR_POLICIES,
    settings: [],
  },
  arpa: {
    label: "ARPA",
    unit: "money",
    definition: "Average revenue per account: MRR ÷ paying customers.",
    policies: MRR_POLICIES,
    settings: [],
  },
  acv: {
    label: "ACV",
    unit: "money",
    definition: "Average contract value: ARR ÷ paying customers.",
    policies: [...MRR_POLICIES, "arr"],
    settings: [],
  },
  acvNew: {
    label: "ACV of new business",
    unit: "money",
    definition: "12 × new MRR ÷ new customers in the period.",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
  trialConversionRate: {
    label: "Trial conversion",
    unit: "ratio",
    definition: "Trials that ended in the period and pay at the end of that day ÷ trials that ended in the period.",
    policies: MRR_POLICIES,
    settings: [],
  },
  customerChurnRate: {
    label: "Customer churn rate",
    unit: "ratio",
    definition: "Customers paying at the start who no longer pay at the end ÷ customers paying at the start.",
    policies: [...MOVEMENT_POLICIES, "churnRateBasis"],
    settings: [],
  },
  customerRetentionRate: {
    label: "Customer retention rate",
    unit: "ratio",
    definition: "Customers paying at both the start and the end ÷ customers paying at the start.",
    policies: MRR_POLICIES,
    settings: [],
  },
  grossRevenueChurnRate: {
    label: "Gross revenue churn",
    unit: "ratio",
    definition: "Contraction and churn of start customers ÷ their start MRR.",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
  netRevenueChurnRate: {
    label: "Net revenue churn",
    unit: "ratio",
    definition: "(Losses − expansion − reactivation) of start customers ÷ their start MRR; negative when they grow.",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
  nrr: {
    label: "Net revenue retention",
    unit: "ratio",
    definition:
      "Start customers' MRR at the end (with expansion and reactivation, after losses) ÷ their MRR at the start.",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
  nrrTrailing12m: {
    label: "NRR, year over year",
    unit: "ratio",
    definition: "Today's MRR of the customers paying 12 months ago ÷ their MRR then.",
    policies: MRR_POLICIES,
    settings: [],
  },
  grr: {
    label: "Gross revenue retention",
    unit: "ratio",
    definition: "Start customers' MRR after contraction and churn only ÷ their start MRR.",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
  quickRatio: {
    label: "Quick ratio",
    unit: "ratio",
    definition: "(New + expansion + reactivation) ÷ (contraction + churn) in the period.",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
  ltv: {
    label: "Customer lifetime value",
    unit: "money",
    definition: "ARPA × gross margin ÷ pooled monthly customer churn of the last complete months.",
    policies: [...MOVEMENT_POLICIES, "churnRateBasis"],
    settings: ["grossMargin", "ltvChurnWindowMonths"],
  },
  ltvToCac: {
    label: "LTV : CAC",
    unit: "ratio",
    definition: "Lifetime value ÷ blended CAC (all spend in the period ÷ new customers).",
    policies: [...MOVEMENT_POLICIES, "churnRateBasis"],
    settings: ["grossMargin", "ltvChurnWindowMonths"],
  },
  ltvToCacHealthy: {
    label: "LTV : CAC ≥ 3",
    unit: "boolean",
    definition: "Whether LTV is at least three times CAC.",
    policies: [...MOVEMENT_POLICIES, "churnRateBasis"],
    settings: ["grossMargin", "ltvChurnWindowMonths"],
  },
  cacPaybackMonths: {
    label: "CAC payback",
    unit: "months",
    definition: "Months of new MRR, after gross margin, needed to earn back the period's spend.",
    policies: MOVEMENT_POLICIES,
    settings: ["grossMargin"],
  },
  cashCollected: {
    label: "Cash collected",
    unit: "money",
    definition: "Invoices paid plus standalone charges minus refunds in the period, each at its own day's rate.",
    policies: [],
    settings: [],
  },
  failedPaymentRecoveryRate: {
    label: "Failed-payment recovery",
    unit: "ratio",
    definition: "Amount paid so far on invoices that first failed in the period ÷ their amount due at that failure.",
    policies: [],
    settings: [],
  },
  cohortRetention: {
    label: "Cohort retention",
    unit: "table",
    definition: "For each first-paid month: the share of customers still paying, and of MRR kept, month by month.",
    policies: MOVEMENT_POLICIES,
    settings: [],
  },
};
