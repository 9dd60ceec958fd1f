import { describe, expect, it } from "vitest";
import { loadFixture, loadLifecycle } from "../testing";
import { normalizeCharge } from "./charge";
import { normalizeCoupon } from "./coupon";
import { normalizeCreditNote } from "./credit-note";
import { normalizeCustomer } from "./customer";
import { normalizeDiscount } from "./discount";
import { normalizeInvoice } from "./invoice";
import { normalizePrice } from "./price";
import { normalizeProduct } from "./product";
import { normalizePromotionCode } from "./promotion-code";
import { normalizeSubscription } from "./subscription";
import { normalizeSubscriptionSchedule } from "./subscription-schedule";

const life = loadLifecycle();
const obj = (suffix: string) => life.find((e) => e.id.endsWith(suffix))!.data.object;
const legacy = (name: string) =>
  loadFixture<{ data: { object: Record<string, unknown> } }>("legacy-api-2020", name).data.object;
const openapi = (name: string) => loadFixture<Record<string, unknown>>("openapi-fixtures3", name);
const ok = <T>(n: { ok: true; value: T } | { ok: false; reason: string }): T => {
  if (!n.ok) throw new Error(n.reason);
  return n.value;
};

describe("subscription-v2 (2026-10-28 lifecycle)", () => {
  it("reads periods from the item (2026-05-27 → 2026-06-10) and 1 seat at 2000 per month (event 08)", () => {
    const s = ok(normalizeSubscription(obj("08")));
    expect(s.shape).toBe("v2");
    expect([s.status, s.currency, s.items[0]!.quantity, s.items[0]!.price.unitAmountDecimal]).toEqual([
      "trialing",
      "usd",
      1,
      "2000",
    ]);
    expect([s.currentPeriodStart, s.currentPeriodEnd]).toEqual([1779872400000, 1781082000000]);
    expect(s.useCustomerDiscount).toBe(false);
  });
  it("keeps discount ids unresolved (event 17: ['di_TqDisc0000000001'])", () => {
    expect(ok(normalizeSubscription(obj("17"))).discounts).toEqual([{ id: "di_TqDisc0000000001" }]);
  });
  it("reads the end of event 24: canceled, ended_at 1786266000 s, reason cancellation_requested", () => {
    const s = ok(normalizeSubscription(obj("24")));
    expect([s.status, s.endedAt, s.cancellationReason]).toEqual(["canceled", 1786266000000, "cancellation_requested"]);
  });
  it("rejects a subscription without items, naming the field", () => {
    const { items: _i, ...rest } = obj("08");
    const n = normalizeSubscription(rest);
    expect(n.ok).toBe(false);
    expect(!n.ok && n.reason).toMatch(/^items: /);
  });
  it("reads the openapi fixture's shape (values are fake)", () => {
    expect(normalizeSubscription(openapi("subscription")).ok).toBe(true);
  });
});

describe("subscription-v1 (2020-03-02)", () => {
  it("reads current_period_* on the subscription (1618980344 → 1621572344), plan price and quantity 1", () => {
    const s = ok(normalizeSubscription(legacy("subscription_updated")));
    expect(s.shape).toBe("v1");
    expect([s.currentPeriodStart, s.currentPeriodEnd]).toEqual([1618980344000, 1621572344000]);
    expect(s.items[0]!.currentPeriodStart).toBe(1618980344000);
    expect([s.items[0]!.price.id, s.items[0]!.quantity, s.currency]).toEqual([
      "price_1IDQm5JDPojXS6LNM31hxKzp",
      1,
      "usd",
    ]);
    expect(s.items[0]!.price.taxBehavior).toBe("unspecified");
    expect(s.useCustomerDiscount).toBe(true);
  });
  it("reads a legacy deletion: canceled with ended_at 1623149102 s", () => {
    const s = ok(normalizeSubscription(legacy("subscription_deleted")));
    expect([s.status, s.endedAt]).toEqual(["canceled", 1623149102000]);
  });
  it("resolves an inline legacy `discount` with its coupon object (12.5% forever)", () => {
    const base = legacy("subscription_updated");
    const discount = {
      object: "discount",
      coupon: { id: "HALF", percent_off: 12.5, duration: "forever", amount_off: null },
      customer: "cus_x",
      start: 1618980344,
      end: null,
      subscription: "sub_x",
    };
    const s = ok(normalizeSubscription({ ...base, discount }));
    expect(s.useCustomerDiscount).toBe(false);
    expect(s.discounts).toEqual([
      {
        id: "HALF:1618980344",
        inline: expect.objectContaining({
          couponId: "HALF",
          coupon: expect.objectContaining({ percentOff: "12.5", duration: "forever" }),
          start: 1618980344000,
          end: null,
        }),
      },
    ]);
  });
});

describe("discount and coupon", () => {
  it("reads source.coupon as an id to resolve later (lifecycle 16: LAUNCH25, 2026-06-17 → 2026-09-15)", () => {
    const d = ok(normalizeDiscount(obj("16")));
    expect(d).toMatchObject({
      id: "di_TqDisc0000000001",
      couponId: "LAUNCH25",
      coupon: null,
      start: 1781686800000,
      end: 1789462800000,
      subscriptionId: "sub_TqSub00000000001",
    });
  });
  it("rejects the openapi discount whose source.coupon is null", () => {
    expect(normalizeDiscount(openapi("discount")).ok).toBe(false);
  });
  it("reads LAUNCH25 as 25 percent, repeating for 3 months (lifecycle 06)", () => {
    expect(ok(normalizeCoupon(obj("06")))).toEqual({
      id: "LAUNCH25",
      percentOff: "25",
      amountOff: null,
      currency: null,
      currencyOptions: {},
      duration: "repeating",
      durationInMonths: 3,
    });
  });
  it("keeps 25.5 percent as the decimal string '25.5' and drops duration_in_months for forever (openapi coupon)", () => {
    expect(ok(normalizeCoupon(openapi("coupon")))).toMatchObject({
      percentOff: "25.5",
      duration: "forever",
      durationInMonths: null,
    });
  });
});

describe("price and plan", () => {
  it("reads price_TqProMonthly0001 as 2000 per month, exclusive tax (lifecycle 02)", () => {
    expect(ok(normalizePrice(obj("02")))).toMatchObject({
      id: "price_TqProMonthly0001",
      interval: "month",
      intervalCount: 1,
      unitAmountDecimal: "2000",
      taxBehavior: "exclusive",
      type: "recurring",
    });
  });
  it("reads the plan twin of a price with the same id (lifecycle 03) and legacy plans (59900 per month)", () => {
    expect(ok(normalizePrice(obj("03"))).id).toBe("price_TqProMonthly0001");
    expect(ok(normalizePrice(legacy("plan_created")))).toMatchObject({
      unitAmountDecimal: "59900",
      interval: "month",
      taxBehavior: "unspecified",
    });
    expect(ok(normalizePrice(legacy("price_created")))).toMatchObject({ unitAmountDecimal: "400" });
  });
  it("reads the openapi price and plan shapes", () => {
    expect(normalizePrice(openapi("price")).ok).toBe(true);
    expect(normalizePrice(openapi("plan")).ok).toBe(true);
  });
});

describe("invoice-v1 and invoice-v2", () => {
  it("v2: reads parent.subscription_details.subscription and 3 lines, 2 of them prorations (lifecycle 19, 7700 due)", () => {
    const i = ok(normalizeInvoice(obj("19")));
    expect([i.shape, i.subscriptionId, i.amountDue, i.attemptCount]).toEqual(["v2", "sub_TqSub00000000001", 7700, 1]);
    expect(i.lines!.map((l) => [l.amount, l.proration])).toEqual([
      [-1600, true],
      [4800, true],
      [6000, false],
    ]);
  });
  it("v2: paid 7700 at 1783933200 s (lifecycle 21)", () => {
    expect(ok(normalizeInvoice(obj("21")))).toMatchObject({ status: "paid", amountPaid: 7700, paidAt: 1783933200000 });
  });
  it("v1: reads `subscription` on the invoice (legacy invoice.paid)", () => {
    const i = ok(normalizeInvoice(legacy("invoice_paid")));
    expect([i.shape, i.subscriptionId, i.status]).toEqual(["v1", "sub_JsuPyCPhXWfZar", "paid"]);
    expect(normalizeInvoice(legacy("invoice_finalized")).ok).toBe(true);
  });
  it("reads the openapi invoice shape", () => {
    expect(normalizeInvoice(openapi("invoice")).ok).toBe(true);
  });
});

describe("other objects", () => {
  it("customer: lifecycle 07, legacy updated (discount null), openapi (rejects its discount with null coupon)", () => {
    expect(ok(normalizeCustomer(obj("07")))).toMatchObject({
      id: "cus_TqAlice00000001",
      email: "billing@alice.example",
      discount: null,
    });
    expect(ok(normalizeCustomer(legacy("customer_updated")))).toMatchObject({ currency: "usd", deleted: false });
    expect(normalizeCustomer(openapi("customer")).ok).toBe(false);
    expect(ok(normalizeCustomer(openapi("deleted_customer"))).deleted).toBe(true);
  });
  it("product, promotion code, credit note, charge, schedule: openapi shapes", () => {
    expect(ok(normalizeProduct(obj("01"))).id).toBe("prod_TqPro000000001");
    expect(ok(normalizePromotionCode(openapi("promotion_code")))).toMatchObject({ code: "FALL20", couponId: null });
    expect(ok(normalizeCreditNote(openapi("credit_note")))).toMatchObject({
      amount: 1690,
      invoiceId: "in_1Pgc75B7WZ01zgkWYv4iMwt7",
    });
    expect(ok(normalizeCharge(openapi("charge")))).toMatchObject({ amount: 100, paid: true });
    const sched = normalizeSubscriptionSchedule(openapi("subscription_schedule"));
    expect(sched.ok || sched.reason).toBe(true);
  });
});
