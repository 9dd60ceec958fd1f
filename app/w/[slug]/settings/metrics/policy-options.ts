import type { MetricPolicy } from "@/lib/metrics/policy";

type Choice = { key: keyof MetricPolicy; label: string; explain: string; options: { value: string; label: string }[] };

/** Every choice of lib/metrics/policy.ts, with a one-line explanation of each (docs/metrics.md has the long form). */
export const policyChoices: Choice[] = [
  {
    key: "discounts",
    label: "Discounts",
    explain: "Whether repeating and forever coupons lower MRR while they are active (one-time coupons never do).",
    options: [
      { value: "applied", label: "Applied (default)" },
      { value: "foreverOnly", label: "Forever coupons only" },
      { value: "ignored", label: "Ignored: list price" },
    ],
  },
  {
    key: "pastDue",
    label: "Past due",
    explain: "Past-due subscriptions keep their MRR, or churn after a number of days without payment.",
    options: [
      { value: "included", label: "Keep in MRR (default)" },
      { value: "churnAfterDays", label: "Churn after N days" },
    ],
  },
  {
    key: "unpaid",
    label: "Unpaid",
    explain: "Stripe's unpaid status (dunning exhausted) is a churn, or keeps its MRR.",
    options: [
      { value: "churn", label: "Churn (default)" },
      { value: "included", label: "Keep in MRR" },
    ],
  },
  {
    key: "paused",
    label: "Paused",
    explain: "Paused subscriptions and paused collection drop to 0 (churn, then reactivation) or keep their MRR.",
    options: [
      { value: "excluded", label: "0 while paused (default)" },
      { value: "included", label: "Keep in MRR" },
    ],
  },
  {
    key: "churnRecognition",
    label: "Churn counted",
    explain: "A cancellation counts when the subscription ends, or as soon as it is requested.",
    options: [
      { value: "atEnd", label: "When it ends (default)" },
      { value: "atRequest", label: "When requested" },
    ],
  },
  {
    key: "intervalFactors",
    label: "Interval factors",
    explain: "How weekly and daily prices become monthly: calendar (52/12, 365/12) or simple (4, 30).",
    options: [
      { value: "calendar", label: "Calendar (default)" },
      { value: "simple", label: "Simple" },
    ],
  },
  {
    key: "metered",
    label: "Metered usage",
    explain: "Usage-based items stay out of MRR, or add a trailing 3-month average of their invoiced usage.",
    options: [
      { value: "excluded", label: "Excluded (default)" },
      { value: "trailing3MonthAverage", label: "Trailing 3-month average" },
    ],
  },
  {
    key: "fxRate",
    label: "FX rate",
    explain: "Foreign-currency MRR is locked at the rate of its last change, or revalued daily (shown as FX impact).",
    options: [
      { value: "lastChange", label: "Rate at last change (default)" },
      { value: "daily", label: "Daily revaluation" },
    ],
  },
  {
    key: "arr",
    label: "ARR basis",
    explain: "ARR is MRR × 12, or counts only plans billed yearly or longer.",
    options: [
      { value: "mrrTimes12", label: "MRR × 12 (default)" },
      { value: "annualContractsOnly", label: "Annual contracts only" },
    ],
  },
  {
    key: "churnRateBasis",
    label: "Churn-rate basis",
    explain: "Logo churn over customers paying at the start, or churn movements ÷ (start + new), Stripe-like.",
    options: [
      { value: "startCohort", label: "Start cohort (default)" },
      { value: "movements", label: "Movements" },
    ],
  },
];
