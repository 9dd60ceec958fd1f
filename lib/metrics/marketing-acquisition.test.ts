import { describe, expect, it } from "vitest";
import {
  computeAttribution,
  computeCacBlended,
  computeCacByChannel,
  computeCacPaid,
  computeCacPaybackMonths,
  computeChannelRoi,
  computeTrafficRoi,
  type AcquisitionInput,
} from "./cac";
import { createCustomerLinker } from "./customer-linking";
import { DEFAULT_KPI_SETTINGS, type LeadRecord, type NewCustomer, type SpendRecord } from "./kpi-inputs";

const june = { start: "2026-06-01", end: "2026-06-30" };
let seq = 0;
const rec = (day: string) => ({ id: `e${++seq}`, day, occurredAt: Date.parse(`${day}T12:00:00Z`) });
const spendRow = (channel: string, amount: number): SpendRecord => ({
  ...rec("2026-06-05"),
  channel,
  amount,
  currency: "usd",
});

// K1/K2: spend google_ads 30000, linkedin 20000, sales_team 10000; new customers google_ads 3 (12000 new MRR in
// total), linkedin 1 (2000), organic 2 (10000).
const newCustomers: NewCustomer[] = [
  { customerId: "cus_g1", firstPaidDay: "2026-06-10", newMrr: 4000 },
  { customerId: "cus_g2", firstPaidDay: "2026-06-10", newMrr: 4000 },
  { customerId: "cus_g3", firstPaidDay: "2026-06-10", newMrr: 4000 },
  { customerId: "cus_l1", firstPaidDay: "2026-06-10", newMrr: 2000 },
  { customerId: "cus_o1", firstPaidDay: "2026-06-10", newMrr: 5000 },
  { customerId: "cus_o2", firstPaidDay: "2026-06-10", newMrr: 5000 },
];
const sourceOf: Record<string, string> = { g: "google_ads", l: "linkedin", o: "organic" };
const leads: LeadRecord[] = newCustomers.map((c) => ({
  ...rec("2026-06-02"),
  contactId: `c_${c.customerId}`,
  customerId: c.customerId,
  source: sourceOf[c.customerId.charAt(4)] ?? "unknown",
}));
const k1: AcquisitionInput = {
  period: june,
  newCustomers,
  spend: [spendRow("google_ads", 30000), spendRow("linkedin", 20000), spendRow("sales_team", 10000)],
  reportingCurrency: "usd",
  leads,
  signups: [],
  linker: createCustomerLinker(newCustomers.map((c) => ({ customerId: c.customerId, email: null }))),
  settings: DEFAULT_KPI_SETTINGS,
};
const withOverhead = { ...k1, settings: { ...DEFAULT_KPI_SETTINGS, overheadChannels: ["sales_team"] } };
const margin = (grossMargin: number) => ({ ...k1, settings: { ...DEFAULT_KPI_SETTINGS, grossMargin } });

describe("K1 CAC", () => {
  it("gives cacBlended 10000 (60000 ÷ 6 new customers)", () => {
    expect(computeCacBlended(k1).value).toBe(10000);
  });

  it("gives cacPaid 15000 (60000 ÷ 4: sales_team is paid with 0 customers)", () => {
    expect(computeCacPaid(k1)).toMatchObject({ value: 15000, breakdown: { numerator: 60000, denominator: 4 } });
  });

  it("gives cacPaid 12500 with overheadChannels [sales_team] (50000 ÷ 4)", () => {
    expect(computeCacPaid(withOverhead).value).toBe(12500);
  });

  it("gives cacByChannel google_ads 10000, linkedin 20000, organic 0 (no spend), sales_team null (no customers)", () => {
    expect(computeCacByChannel(k1).value).toEqual({ google_ads: 10000, linkedin: 20000, organic: 0, sales_team: null });
  });
});

describe("K2 payback and K2b ROI", () => {
  it("gives cacPaybackMonths 3.125 at margin 0.8 (60000 ÷ (24000 × 0.8)) and 2.5 at the default 1.0", () => {
    expect(computeCacPaybackMonths(margin(0.8)).value).toBe(3.125);
    expect(computeCacPaybackMonths(k1).value).toBe(2.5);
  });

  it("gives channelRoi google_ads 3.8 ((12000 × 12 − 30000) ÷ 30000), linkedin 0.2, organic null", () => {
    const roi = computeChannelRoi(margin(1)).value;
    expect(roi.google_ads).toBe(3.8);
    expect(roi.linkedin).toBe(0.2);
    expect(roi.organic).toBeNull();
    expect(roi.sales_team).toBe(-1);
  });

  it("gives trafficRoi 2.36 with overhead [sales_team] ((168000 − 50000) ÷ 50000) and 1.8 without it", () => {
    expect(computeTrafficRoi(withOverhead).value).toBe(2.36);
    expect(computeTrafficRoi(k1).value).toBe(1.8);
  });
});

describe("Z1 zero denominators", () => {
  it("gives cacBlended, cacPaid and cacPaybackMonths null with spend 5000 and no new customers", () => {
    const empty = { ...k1, newCustomers: [], spend: [spendRow("google_ads", 5000)] };
    expect(computeCacBlended(empty).value).toBeNull();
    expect(computeCacPaid(empty).value).toBeNull();
    expect(computeCacPaybackMonths(empty).value).toBeNull();
    expect(computeTrafficRoi({ ...empty, spend: [] }).value).toBeNull();
  });
});

describe("attribution", () => {
  it("takes the earliest sourced lead or signup (first touch) and the latest on or before the first paid day (last touch)", () => {
    const linker = createCustomerLinker([{ customerId: "cus_1", email: "ada@acme.com" }]);
    const input = {
      period: june,
      newCustomers: [{ customerId: "cus_1", firstPaidDay: "2026-06-10", newMrr: 1000 }],
      leads: [{ ...rec("2026-05-01"), contactId: "c1", source: "LinkedIn", email: "ada@acme.com" }],
      signups: [
        { ...rec("2026-06-08"), userId: "u1", customerId: "cus_1", source: "google_ads" },
        { ...rec("2026-06-12"), userId: "u2", customerId: "cus_1", source: "referral" },
      ],
      linker,
    };
    expect(computeAttribution(input).breakdown.customers).toEqual([
      { customerId: "cus_1", firstTouch: "linkedin", lastTouch: "google_ads", newMrr: 1000 },
    ]);
    const unattributed = computeAttribution({ ...input, leads: [], signups: [] });
    expect(unattributed.value).toEqual({ firstTouch: { unattributed: 1 }, lastTouch: { unattributed: 1 } });
  });
});
