import { describe, expect, it } from "vitest";
import { loadFixture, loadLifecycle } from "../testing";
import { normalizeCustomer, toCountryCode } from "./customer";

type Obj = Record<string, unknown>;
const lifecycle07 = loadLifecycle().find((e) => e.id === "evt_TqLifecycle000007")!.data.object as Obj;
const legacy = loadFixture<{ data: { object: Obj } }>("legacy-api-2020", "customer_updated").data.object;
const openapi = (name: string) => loadFixture<Obj>("openapi-fixtures3", name);
const nullAddress = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

const countryOf = (o: Obj): string | null => {
  const n = normalizeCustomer(o);
  if (!n.ok) throw new Error(n.reason);
  return n.value.country;
};

describe("customer country (current shape, 2026-10-28 lifecycle event 07)", () => {
  it("is unknown when the address is all nulls and shipping is null, as the fixture sends it", () => {
    expect(countryOf(lifecycle07)).toBeNull();
  });
  it("takes the billing address's country", () => {
    expect(countryOf({ ...lifecycle07, address: { ...nullAddress, country: "DE", city: "Berlin" } })).toBe("DE");
  });
  it("prefers the billing address over the shipping address", () => {
    const shipping = { address: { ...nullAddress, country: "FR" }, name: "Alice Corp", phone: null };
    expect(countryOf({ ...lifecycle07, address: { ...nullAddress, country: "DE" }, shipping })).toBe("DE");
  });
  it("falls back to the shipping address when the billing address has no country", () => {
    const shipping = { address: { ...nullAddress, country: "FR" }, name: "Alice Corp", phone: null };
    expect(countryOf({ ...lifecycle07, shipping })).toBe("FR");
    expect(countryOf({ ...lifecycle07, address: null, shipping })).toBe("FR");
  });
  it("upper-cases and trims a lower-case code", () => {
    expect(countryOf({ ...lifecycle07, address: { ...nullAddress, country: " gb " } })).toBe("GB");
  });
  it("reads the OpenAPI sample's empty `shipping: {}` and null country as unknown", () => {
    // The sample's discount has a null coupon, which the normalizer rejects; without it the customer reads.
    const { discount: _d, ...rest } = openapi("customer");
    expect(countryOf(rest)).toBeNull();
  });
});

describe("customer country (2020-03-02 shape, legacy customer.updated)", () => {
  it("is unknown when address is null and the shipping address's country is an empty string, as sent", () => {
    expect(legacy.address).toBeNull();
    expect((legacy.shipping as { address: { country: string } }).address.country).toBe("");
    expect(countryOf(legacy)).toBeNull();
  });
  it("falls back to the shipping address (SG) when address is null", () => {
    const shipping = { ...(legacy.shipping as Obj), address: { ...nullAddress, country: "SG", city: "Singapore" } };
    expect(countryOf({ ...legacy, shipping })).toBe("SG");
  });
  it("takes the billing address (US) over a shipping address (SG)", () => {
    const shipping = { ...(legacy.shipping as Obj), address: { ...nullAddress, country: "SG" } };
    expect(countryOf({ ...legacy, address: { ...nullAddress, country: "US" }, shipping })).toBe("US");
  });
  it("skips a free-text billing country and uses the shipping one", () => {
    const shipping = { ...(legacy.shipping as Obj), address: { ...nullAddress, country: "SG" } };
    expect(countryOf({ ...legacy, address: { ...nullAddress, country: "Singapore" }, shipping })).toBe("SG");
  });
});

describe("a deleted stub and odd values", () => {
  it("reads the deleted stub without an address as unknown, and does not reject it", () => {
    const n = normalizeCustomer(openapi("deleted_customer"));
    expect(n.ok && [n.value.deleted, n.value.country]).toEqual([true, null]);
  });
  it("treats a malformed address as absent instead of rejecting the customer", () => {
    expect(countryOf({ ...lifecycle07, address: "Berlin", shipping: { address: 7 } })).toBeNull();
  });
  it("accepts only two letters: '', 'DEU', 'Germany', '1A' and null are unknown", () => {
    expect(["", "DEU", "Germany", "1A", null, undefined].map(toCountryCode)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(["de", "De", "DE"].map(toCountryCode)).toEqual(["DE", "DE", "DE"]);
  });
});
