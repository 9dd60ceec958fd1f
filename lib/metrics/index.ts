/**
 * lib/metrics: pure KPI functions. Records, a policy and an as-of day go in; `{ value, breakdown }` comes out.
 * Finance modules are re-exported here; marketing and customer-success modules add their own lines.
 */
export * from "./types";
export * from "./money";
export * from "./time";
export * from "./policy";
export * from "./kpi";
export * from "./fx";
export * from "./price-amount";
export * from "./discounts";
export * from "./subscription-mrr";
export * from "./metered";
export * from "./mrr-series";
export * from "./committed-mrr";
export * from "./trials";
export * from "./movements";
export * from "./movement-periods";
export * from "./ledger";
export * from "./cash";
export * from "./finance-retention";
export * from "./finance";
export * from "./headline";
export * from "./catalog";
