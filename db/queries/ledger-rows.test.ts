import { describe, expect, it } from "vitest";
import { annotateLedger, type AnnotatedChange } from "@/lib/metrics/rollup";
import { diffLedgerRows, sameLedgerRow } from "./mrr";

// The comparison behind every ledger write: a refresh writes only the rows that differ, and a policy change keeps
// only the customers whose rows do. A row read back from the table must equal the row computed again.
const [june, july] = annotateLedger([
  {
    customerId: "cus_a",
    day: "2026-06-10",
    mrr: 2000,
    previousMrr: 0,
    kind: "new",
    amount: 2000,
    fxImpact: 0,
    annualMrr: 0,
    cmrr: 2000,
    annualCmrr: 0,
    trialing: false,
    involuntary: false,
    eventIds: ["evt_1", "evt_2"],
    unconverted: { gbp: 500, eur: 100 },
    warnings: [],
  },
  {
    customerId: "cus_a",
    day: "2026-07-16",
    mrr: 6000,
    previousMrr: 2000,
    kind: "expansion",
    amount: 4000,
    fxImpact: 0,
    annualMrr: 0,
    cmrr: 6000,
    annualCmrr: 0,
    trialing: false,
    involuntary: false,
    eventIds: ["evt_3"],
    warnings: ["stale_fx_rate:eur:2026-01-01"],
  },
]) as [AnnotatedChange, AnnotatedChange];

describe("ledger rows compared column by column", () => {
  it("equal as stored: object keys in another order, null and absent alike", () => {
    // As a row comes back from the table: keys in column order, `unconverted` null rather than absent.
    const readBack = { ...july, unconverted: null } as unknown as AnnotatedChange;
    expect(sameLedgerRow(july, readBack)).toBe(true);
    expect(sameLedgerRow(june, { ...june, unconverted: { eur: 100, gbp: 500 } })).toBe(true);
  });

  it("differs in any one column, an array item, or an unconverted amount", () => {
    expect(sameLedgerRow(july, { ...july, nextDay: "2026-08-09" })).toBe(false);
    expect(sameLedgerRow(july, { ...july, eventIds: ["evt_3", "evt_4"] })).toBe(false);
    expect(sameLedgerRow(july, { ...july, warnings: [] })).toBe(false);
    expect(sameLedgerRow(june, { ...june, unconverted: { gbp: 500 } })).toBe(false);
    expect(sameLedgerRow(june, { ...june, unconverted: { gbp: 500, eur: 101 } })).toBe(false);
    expect(sameLedgerRow(june, { ...june, unconverted: undefined })).toBe(false);
    // An empty set of unconverted parts is stored as {}, not as null.
    expect(sameLedgerRow({ ...july, unconverted: {} }, july)).toBe(false);
    expect(sameLedgerRow(june, { ...june, cohort: null })).toBe(false);
  });

  it("upserts what is new or differs and deletes the days that are gone", () => {
    const august = { ...july, day: "2026-08-09", kind: "churn" as const, mrr: 0, previousMrr: 6000, amount: -6000 };
    const next = [june, { ...july, cmrr: 5000 }];
    expect(diffLedgerRows([june, july, august], next)).toEqual({
      upserts: [{ ...july, cmrr: 5000 }],
      deletes: [{ customerId: "cus_a", day: "2026-08-09" }],
    });
    expect(diffLedgerRows([june, july], [june, { ...july }])).toEqual({ upserts: [], deletes: [] });
    expect(diffLedgerRows([], [june])).toEqual({ upserts: [june], deletes: [] });
  });
});
